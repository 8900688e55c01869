// One question of the survey being edited: common fields, the fields of its type, and its show-if condition.
import { createSignal, For, Index, Match, Show, Switch } from 'solid-js';
import {
  questionTypes,
  ratingScales,
  satisfactionFactors,
  scaleBounds,
  type QuestionType,
} from '../../../surveys/definition.ts';
import { localized, t } from '../i18n.ts';
import {
  EditorCheckbox,
  EditorLocalized,
  EditorSelect,
  EditorText,
  fieldId,
  UnclaimedErrors,
  useFieldError,
} from './fields.tsx';
import {
  conditionInputKind,
  hasEndLabels,
  isChoiceType,
  newOption,
  opsFor,
  type ConditionOp,
  type QuestionDraft,
} from './model.ts';

export interface QuestionEditorProps {
  question: QuestionDraft;
  index: number;
  count: number;
  /** Questions before this one, which a condition may depend on. */
  earlier: QuestionDraft[];
  update: (change: (question: QuestionDraft) => void) => void;
  rename: (id: string) => void;
  changeType: (type: QuestionType) => void;
  move: (delta: -1 | 1) => void;
  remove: () => void;
}

export function QuestionEditor(props: QuestionEditorProps) {
  const n = () => props.index + 1;
  const path = (rest: string) => `questions.${props.index}.${rest}`;
  const headingId = () => `q${props.index}-heading`;

  return (
    <section
      class="card question"
      id={fieldId(`questions.${props.index}`)}
      tabindex="-1"
      aria-labelledby={headingId()}
    >
      <div class="question-header">
        <h3 id={headingId()}>
          {t('editor.questionHeading', { n: n() })}
          <span class="muted"> · {t(`questionTypes.${props.question.type}`)}</span>
        </h3>
        <div class="question-tools">
          <button
            type="button"
            class="button button-small"
            id={`q${props.index}-up`}
            aria-label={t('editor.moveUp', { n: n() })}
            disabled={props.index === 0}
            onClick={() => props.move(-1)}
          >
            <span aria-hidden="true">↑ </span>
            {t('editor.up')}
          </button>
          <button
            type="button"
            class="button button-small"
            id={`q${props.index}-down`}
            aria-label={t('editor.moveDown', { n: n() })}
            disabled={props.index === props.count - 1}
            onClick={() => props.move(1)}
          >
            <span aria-hidden="true">↓ </span>
            {t('editor.down')}
          </button>
          <button
            type="button"
            class="button button-small button-danger"
            aria-label={t('editor.removeQuestion', { n: n() })}
            onClick={() => props.remove()}
          >
            {t('editor.remove')}
          </button>
        </div>
      </div>

      <UnclaimedErrors prefix={`questions.${props.index}`} />

      <div class="grid-2">
        <EditorSelect
          path={path('type')}
          label={t('editor.type')}
          value={props.question.type}
          options={questionTypes.map((type) => ({ value: type, label: t(`questionTypes.${type}`) }))}
          onChange={(type) => props.changeType(type)}
        />
        <EditorText
          path={path('id')}
          label={t('editor.questionId')}
          hint={t('editor.questionIdHint')}
          value={props.question.id}
          onInput={(id) => props.rename(id)}
        />
      </div>

      <EditorLocalized
        path={path('title')}
        label={t('editor.questionTitle')}
        value={props.question.title}
        onInput={(locale, value) => props.update((question) => (question.title[locale] = value))}
      />
      <EditorLocalized
        path={path('help')}
        label={t('editor.help')}
        value={props.question.help}
        multiline
        onInput={(locale, value) => props.update((question) => (question.help[locale] = value))}
      />
      <EditorCheckbox
        id={`q${props.index}-required`}
        label={t('editor.required')}
        checked={props.question.required}
        onChange={(checked) => props.update((question) => (question.required = checked))}
      />

      <TypeFields {...props} />
      <ConditionEditor {...props} />
    </section>
  );
}

function TypeFields(props: QuestionEditorProps) {
  const path = (rest: string) => `questions.${props.index}.${rest}`;
  const type = () => props.question.type;
  return (
    <>
      <Show when={type() === 'rating' || type() === 'expectation_experience'}>
        <EditorSelect
          path={path('scale')}
          label={t('editor.scale')}
          value={props.question.scale}
          options={ratingScales.map((scale) => ({ value: scale, label: scale }))}
          onChange={(scale) => props.update((question) => (question.scale = scale))}
        />
      </Show>
      <Show when={type() === 'expectation_experience'}>
        <AttributeField {...props} />
        <EditorCheckbox
          id={`q${props.index}-importance`}
          label={t('editor.withImportance')}
          checked={props.question.withImportance}
          onChange={(checked) => props.update((question) => (question.withImportance = checked))}
        />
      </Show>
      <Show when={hasEndLabels(type())}>
        <fieldset class="subgroup">
          <legend>{t('editor.endLabels')}</legend>
          <div class="grid-2">
            <EditorLocalized
              path={path('labels.min')}
              label={t('editor.labelMin')}
              value={props.question.labels.min}
              onInput={(locale, value) => props.update((question) => (question.labels.min[locale] = value))}
            />
            <EditorLocalized
              path={path('labels.max')}
              label={t('editor.labelMax')}
              value={props.question.labels.max}
              onInput={(locale, value) => props.update((question) => (question.labels.max[locale] = value))}
            />
          </div>
        </fieldset>
      </Show>
      <Show when={isChoiceType(type())}>
        <OptionsEditor {...props} />
      </Show>
      <Show when={type() === 'multiple_choice'}>
        <EditorCheckbox
          id={`q${props.index}-other`}
          label={t('editor.allowOther')}
          checked={props.question.allowOther}
          onChange={(checked) => props.update((question) => (question.allowOther = checked))}
        />
      </Show>
      <Show when={type() === 'text'}>
        <div class="grid-2">
          <EditorText
            path={path('maxLength')}
            label={t('editor.maxLength')}
            type="number"
            inputMode="numeric"
            min={1}
            max={10000}
            value={props.question.maxLength}
            onInput={(value) => props.update((question) => (question.maxLength = value))}
          />
        </div>
        <EditorCheckbox
          id={`q${props.index}-multiline`}
          label={t('editor.multiline')}
          checked={props.question.multiline}
          onChange={(checked) => props.update((question) => (question.multiline = checked))}
        />
      </Show>
    </>
  );
}

const customAttribute = '__custom';

function AttributeField(props: QuestionEditorProps) {
  const isFactor = (key: string) => (satisfactionFactors as readonly string[]).includes(key);
  const [custom, setCustom] = createSignal(!isFactor(props.question.attribute));
  const path = () => `questions.${props.index}.attribute`;
  return (
    <div class="grid-2">
      <EditorSelect
        path={`${path()}Choice`}
        label={t('editor.attribute')}
        value={custom() ? customAttribute : props.question.attribute}
        options={[
          ...satisfactionFactors.map((factor) => ({ value: factor as string, label: t(`factors.${factor}`) })),
          { value: customAttribute, label: t('editor.attributeCustom') },
        ]}
        onChange={(choice) => {
          if (choice === customAttribute) {
            setCustom(true);
            props.update((question) => (question.attribute = ''));
            queueMicrotask(() => document.getElementById(fieldId(path()))?.focus());
          } else {
            setCustom(false);
            props.update((question) => (question.attribute = choice));
          }
        }}
      />
      <Show when={custom()}>
        <EditorText
          path={path()}
          label={t('editor.attributeKey')}
          hint={t('editor.questionIdHint')}
          value={props.question.attribute}
          onInput={(value) => props.update((question) => (question.attribute = value))}
        />
      </Show>
    </div>
  );
}

function OptionsEditor(props: QuestionEditorProps) {
  const base = () => `questions.${props.index}.options`;
  const groupError = useFieldError(base);
  const moveOption = (from: number, delta: -1 | 1) => {
    const to = from + delta;
    if (to < 0 || to >= props.question.options.length) return;
    props.update((question) => {
      const [moved] = question.options.splice(from, 1);
      question.options.splice(to, 0, moved!);
    });
    requestAnimationFrame(() => {
      const same = document.getElementById(`q${props.index}-o${to}-${delta < 0 ? 'up' : 'down'}`) as HTMLButtonElement | null;
      const other = document.getElementById(`q${props.index}-o${to}-${delta < 0 ? 'down' : 'up'}`);
      (same && !same.disabled ? same : other)?.focus();
    });
  };
  const addOption = () => {
    props.update((question) => void question.options.push(newOption(question.options)));
    const added = props.question.options.length - 1;
    requestAnimationFrame(() => document.getElementById(fieldId(`${base()}.${added}.label.zh-CN`))?.focus());
  };
  return (
    <fieldset class="subgroup" id={fieldId(base())} tabindex="-1" aria-invalid={groupError() ? 'true' : undefined}>
      <legend>{t('editor.options')}</legend>
      <Show when={groupError()}>
        <p class="field-error">{groupError()}</p>
      </Show>
      <ol class="option-list">
        <Index each={props.question.options}>
          {(option, optionIndex) => {
            const path = (rest: string) => `${base()}.${optionIndex}.${rest}`;
            const m = optionIndex + 1;
            return (
              <li>
                <fieldset class="option">
                  <legend>{t('editor.option', { n: m })}</legend>
                  <div class="option-fields">
                    <EditorText
                      path={path('id')}
                      label={t('editor.optionId')}
                      value={option().id}
                      class="option-id"
                      onInput={(value) => props.update((question) => (question.options[optionIndex]!.id = value))}
                    />
                    <EditorText
                      path={path('label.zh-CN')}
                      label={`${t('editor.optionLabel')} · ${t('editor.languageZh')}`}
                      lang="zh-CN"
                      value={option().label['zh-CN']}
                      onInput={(value) =>
                        props.update((question) => (question.options[optionIndex]!.label['zh-CN'] = value))
                      }
                    />
                    <EditorText
                      path={path('label.en')}
                      label={`${t('editor.optionLabel')} · ${t('editor.languageEn')}`}
                      lang="en"
                      value={option().label.en}
                      onInput={(value) => props.update((question) => (question.options[optionIndex]!.label.en = value))}
                    />
                  </div>
                  <div class="option-tools">
                    <button
                      type="button"
                      class="button button-small"
                      id={`q${props.index}-o${optionIndex}-up`}
                      aria-label={t('editor.moveOptionUp', { n: m })}
                      disabled={optionIndex === 0}
                      onClick={() => moveOption(optionIndex, -1)}
                    >
                      <span aria-hidden="true">↑ </span>
                      {t('editor.up')}
                    </button>
                    <button
                      type="button"
                      class="button button-small"
                      id={`q${props.index}-o${optionIndex}-down`}
                      aria-label={t('editor.moveOptionDown', { n: m })}
                      disabled={optionIndex === props.question.options.length - 1}
                      onClick={() => moveOption(optionIndex, 1)}
                    >
                      <span aria-hidden="true">↓ </span>
                      {t('editor.down')}
                    </button>
                    <button
                      type="button"
                      class="button button-small button-danger"
                      aria-label={t('editor.removeOption', { n: m })}
                      onClick={() => props.update((question) => void question.options.splice(optionIndex, 1))}
                    >
                      {t('editor.remove')}
                    </button>
                  </div>
                </fieldset>
              </li>
            );
          }}
        </Index>
      </ol>
      <button type="button" class="button button-small" onClick={addOption}>
        + {t('editor.addOption')}
      </button>
    </fieldset>
  );
}

function scaleRange(question: QuestionDraft | undefined): { min?: number; max?: number } {
  if (!question) return {};
  switch (question.type) {
    case 'rating':
    case 'expectation_experience':
      return scaleBounds(question.scale);
    case 'nps':
      return { min: 0, max: 10 };
    case 'csat':
      return { min: 1, max: 5 };
    case 'ces':
      return { min: 1, max: 7 };
    default:
      return {};
  }
}

function ConditionEditor(props: QuestionEditorProps) {
  const base = () => `questions.${props.index}.showIf`;
  const condition = () => props.question.showIf;
  const source = () => props.earlier.find((question) => question.id === condition()?.question);
  const kind = () => {
    const current = condition();
    return current ? conditionInputKind(source(), current.op) : 'none';
  };
  const valueError = useFieldError(() => `${base()}.value`);

  const setQuestion = (id: string) =>
    props.update((question) => {
      const current = question.showIf;
      if (!current) return;
      const next = props.earlier.find((candidate) => candidate.id === id);
      current.question = id;
      if (!opsFor(next?.type).includes(current.op)) current.op = 'answered';
      current.value = next?.type === 'consent' ? 'true' : '';
      current.values = [];
    });
  const setOp = (op: ConditionOp) =>
    props.update((question) => {
      const current = question.showIf;
      if (!current) return;
      const before = conditionInputKind(source(), current.op);
      current.op = op;
      if (conditionInputKind(source(), op) !== before) {
        current.value = source()?.type === 'consent' ? 'true' : '';
        current.values = [];
      }
    });
  const toggleValue = (optionId: string, on: boolean) =>
    props.update((question) => {
      const current = question.showIf;
      if (!current) return;
      current.values = on ? [...current.values, optionId] : current.values.filter((value) => value !== optionId);
    });

  const questionChoices = () => {
    const list = props.earlier.map((question) => ({
      value: question.id,
      label: `${question.id} — ${localized(question.title) || t(`questionTypes.${question.type}`)}`,
    }));
    const current = condition()?.question;
    // Keep a reference that no longer matches visible, so the select does not silently show another question.
    if (current && !list.some((choice) => choice.value === current)) list.push({ value: current, label: current });
    return list;
  };

  return (
    <div class="condition">
      <Show
        when={props.index > 0 || condition()}
        fallback={<p class="hint">{t('editor.noEarlier')}</p>}
      >
        <EditorCheckbox
          id={`q${props.index}-has-condition`}
          label={t('editor.condition')}
          checked={!!condition()}
          onChange={(on) =>
            props.update((question) => {
              const last = props.earlier[props.earlier.length - 1];
              question.showIf = on ? { question: last?.id ?? '', op: 'answered', value: '', values: [] } : null;
            })
          }
        />
      </Show>
      <Show when={condition()}>
        {(current) => (
          <fieldset class="subgroup condition-fields" id={fieldId(base())} tabindex="-1">
            <legend class="sr-only">{t('editor.conditionLegend')}</legend>
            <UnclaimedErrors prefix={base()} exact />
            <div class="condition-row">
              <EditorSelect
                path={`${base()}.question`}
                label={t('editor.conditionQuestion')}
                placeholder={t('editor.chooseQuestion')}
                value={current().question}
                options={questionChoices()}
                onChange={setQuestion}
              />
              <EditorSelect
                path={`${base()}.op`}
                label={t('editor.conditionOp')}
                value={current().op}
                options={opsFor(source()?.type).map((op) => ({ value: op, label: t(`editor.ops.${op}`) }))}
                onChange={setOp}
              />
              <Switch>
                <Match when={kind() === 'options'}>
                  <EditorSelect
                    path={`${base()}.value`}
                    label={t('editor.conditionValue')}
                    placeholder={t('editor.chooseOption')}
                    value={current().value}
                    options={(source()?.options ?? []).map((option) => ({
                      value: option.id,
                      label: localized(option.label) || option.id,
                    }))}
                    onChange={(value) => props.update((question) => (question.showIf!.value = value))}
                  />
                </Match>
                <Match when={kind() === 'options-multi'}>
                  <fieldset
                    class="condition-values"
                    id={fieldId(`${base()}.value`)}
                    tabindex="-1"
                    aria-invalid={valueError() ? 'true' : undefined}
                    aria-describedby={valueError() ? `${fieldId(`${base()}.value`)}-error` : undefined}
                  >
                    <legend>{t('editor.conditionValues')}</legend>
                    <For each={source()?.options ?? []}>
                      {(option) => (
                        <EditorCheckbox
                          id={`q${props.index}-cond-${option.id}`}
                          label={localized(option.label) || option.id}
                          checked={current().values.includes(option.id)}
                          onChange={(on) => toggleValue(option.id, on)}
                        />
                      )}
                    </For>
                    <Show when={valueError()}>
                      <p class="field-error" id={`${fieldId(`${base()}.value`)}-error`}>
                        {valueError()}
                      </p>
                    </Show>
                  </fieldset>
                </Match>
                <Match when={kind() === 'boolean'}>
                  <EditorSelect
                    path={`${base()}.value`}
                    label={t('editor.conditionValue')}
                    value={current().value === 'false' ? 'false' : 'true'}
                    options={[
                      { value: 'true', label: t('app.yes') },
                      { value: 'false', label: t('app.no') },
                    ]}
                    onChange={(value) => props.update((question) => (question.showIf!.value = value))}
                  />
                </Match>
                <Match when={kind() === 'number'}>
                  <EditorText
                    path={`${base()}.value`}
                    label={t('editor.conditionValue')}
                    type="number"
                    inputMode="numeric"
                    min={scaleRange(source()).min}
                    max={scaleRange(source()).max}
                    value={current().value}
                    onInput={(value) => props.update((question) => (question.showIf!.value = value))}
                  />
                </Match>
                <Match when={kind() === 'number-list'}>
                  <EditorText
                    path={`${base()}.value`}
                    label={t('editor.conditionValues')}
                    hint={t('editor.conditionValuesHint')}
                    value={current().value}
                    onInput={(value) => props.update((question) => (question.showIf!.value = value))}
                  />
                </Match>
                <Match when={kind() === 'text'}>
                  <EditorText
                    path={`${base()}.value`}
                    label={t('editor.conditionValue')}
                    value={current().value}
                    onInput={(value) => props.update((question) => (question.showIf!.value = value))}
                  />
                </Match>
              </Switch>
            </div>
          </fieldset>
        )}
      </Show>
    </div>
  );
}
