// One question of the survey being edited: common fields, the fields of its type, and its show-if condition.
import { createSignal, For, Index, Match, Show, Switch } from 'solid-js';
import { scaleOf, type Scale } from '../../../surveys/answers.ts';
import {
  locales,
  questionTypes,
  ratingScales,
  satisfactionFactors,
  textFormats,
  type Question,
  type QuestionType,
} from '../../../surveys/definition.ts';
import { localized } from '../i18n.ts';
import { t } from './text.ts';
import {
  EditorCheckbox,
  EditorLocalized,
  EditorSelect,
  EditorText,
  fieldId,
  languageLabel,
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
  /** One step up or down; `from` says which control asked, so the keyboard can stay on it. */
  move: (delta: -1 | 1, from?: 'buttons' | 'handle') => void;
  remove: () => void;
  /** Whether the question's fields are shown, or only its heading. */
  expanded: boolean;
  toggle: () => void;
  /** A press on the handle, by mouse, finger or pen; the list the question is in follows it and takes the drop. */
  dragStart: (event: PointerEvent) => void;
}

/** Move up, move down and remove buttons of one item in a list; the move buttons' ids end in -up and -down. */
function ItemTools(props: {
  class: string;
  idPrefix: string;
  index: number;
  count: number;
  upLabel: string;
  downLabel: string;
  removeLabel: string;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}) {
  return (
    <div class={props.class}>
      <button
        type="button"
        class="button button-small"
        id={`${props.idPrefix}-up`}
        aria-label={props.upLabel}
        disabled={props.index === 0}
        onClick={() => props.onMove(-1)}
      >
        <span aria-hidden="true">↑ </span>
        {t('editor.up')}
      </button>
      <button
        type="button"
        class="button button-small"
        id={`${props.idPrefix}-down`}
        aria-label={props.downLabel}
        disabled={props.index === props.count - 1}
        onClick={() => props.onMove(1)}
      >
        <span aria-hidden="true">↓ </span>
        {t('editor.down')}
      </button>
      <button
        type="button"
        class="button button-small button-danger"
        aria-label={props.removeLabel}
        onClick={() => props.onRemove()}
      >
        {t('editor.remove')}
      </button>
    </div>
  );
}

export function QuestionEditor(props: QuestionEditorProps) {
  const n = () => props.index + 1;
  const path = (rest: string) => `questions.${props.index}.${rest}`;
  const headingId = () => `q${props.index}-heading`;
  const bodyId = () => `q${props.index}-body`;
  let card!: HTMLElement;

  return (
    <section
      ref={card}
      class="card question"
      classList={{ collapsed: !props.expanded }}
      id={fieldId(`questions.${props.index}`)}
      tabindex="-1"
      aria-labelledby={headingId()}
      data-testid="question-card"
      data-question-id={props.question.id}
    >
      <div class="question-header">
        <button
          type="button"
          class="drag-handle"
          id={`q${props.index}-handle`}
          aria-label={t('editor.dragHandle', { n: n() })}
          data-testid="drag-handle"
          onPointerDown={(event) => props.dragStart(event)}
          onKeyDown={(event) => {
            if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
            event.preventDefault();
            props.move(event.key === 'ArrowUp' ? -1 : 1, 'handle');
          }}
        >
          <span aria-hidden="true">⠿</span>
        </button>
        <h3 id={headingId()} class="question-heading">
          <button
            type="button"
            class="question-toggle"
            id={`q${props.index}-toggle`}
            aria-expanded={props.expanded}
            aria-controls={props.expanded ? bodyId() : undefined}
            data-testid="question-toggle"
            onClick={() => props.toggle()}
          >
            <span class="toggle-mark" aria-hidden="true">
              {props.expanded ? '▾' : '▸'}
            </span>
            {t('editor.questionHeading', { n: n() })}
            <span class="muted"> · {t(`questionTypes.${props.question.type}`)}</span>
            <span class="question-title-summary"> · {localized(props.question.title) || t('editor.untitled')}</span>
          </button>
        </h3>
        <ItemTools
          class="question-tools"
          idPrefix={`q${props.index}`}
          index={props.index}
          count={props.count}
          upLabel={t('editor.moveUp', { n: n() })}
          downLabel={t('editor.moveDown', { n: n() })}
          removeLabel={t('editor.removeQuestion', { n: n() })}
          onMove={props.move}
          onRemove={props.remove}
        />
      </div>

      <UnclaimedErrors prefix={`questions.${props.index}`} />

      <Show when={props.expanded}>
        <div id={bodyId()} class="question-body">
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
          <FlagCheckbox {...props} flag="required" idSuffix="required" label={t('editor.required')} />

          <TypeFields {...props} />
          <ConditionEditor {...props} />
        </div>
      </Show>
    </section>
  );
}

type Flag = 'required' | 'withImportance' | 'repurchaseIntent' | 'allowOther' | 'multiline';

/** The checkbox of one yes/no setting of the question; its id is `q<index>-<idSuffix>`. */
function FlagCheckbox(props: QuestionEditorProps & { flag: Flag; idSuffix: string; label: string }) {
  return (
    <EditorCheckbox
      id={`q${props.index}-${props.idSuffix}`}
      label={props.label}
      checked={props.question[props.flag]}
      onChange={(checked) => props.update((question) => (question[props.flag] = checked))}
    />
  );
}

const labelEnds = [
  { key: 'min', label: 'editor.labelMin' },
  { key: 'max', label: 'editor.labelMax' },
] as const;

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
      <Show when={type() === 'rating'}>
        <FlagCheckbox {...props} flag="repurchaseIntent" idSuffix="repurchase-intent" label={t('editor.repurchaseIntent')} />
      </Show>
      <Show when={type() === 'expectation_experience'}>
        <AttributeField {...props} />
        <FlagCheckbox {...props} flag="withImportance" idSuffix="importance" label={t('editor.withImportance')} />
      </Show>
      <Show when={hasEndLabels(type())}>
        <fieldset class="subgroup">
          <legend>{t('editor.endLabels')}</legend>
          <div class="grid-2">
            <For each={labelEnds}>
              {(end) => (
                <EditorLocalized
                  path={path(`labels.${end.key}`)}
                  label={t(end.label)}
                  value={props.question.labels[end.key]}
                  onInput={(locale, value) => props.update((question) => (question.labels[end.key][locale] = value))}
                />
              )}
            </For>
          </div>
        </fieldset>
      </Show>
      <Show when={isChoiceType(type())}>
        <OptionsEditor {...props} />
      </Show>
      <Show when={type() === 'multiple_choice'}>
        <FlagCheckbox {...props} flag="allowOther" idSuffix="other" label={t('editor.allowOther')} />
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
          <EditorSelect
            path={path('format')}
            label={t('editor.format')}
            value={props.question.format}
            options={[
              { value: '', label: t('editor.formats.any') },
              ...textFormats.map((format) => ({ value: format, label: t(`editor.formats.${format}`) })),
            ]}
            onChange={(format) => props.update((question) => (question.format = format))}
          />
        </div>
        <FlagCheckbox {...props} flag="multiline" idSuffix="multiline" label={t('editor.multiline')} />
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
                    <For each={locales}>
                      {(locale) => (
                        <EditorText
                          path={path(`label.${locale}`)}
                          label={`${t('editor.optionLabel')} · ${languageLabel(locale)}`}
                          lang={locale}
                          value={option().label[locale]}
                          onInput={(value) =>
                            props.update((question) => (question.options[optionIndex]!.label[locale] = value))
                          }
                        />
                      )}
                    </For>
                  </div>
                  <ItemTools
                    class="option-tools"
                    idPrefix={`q${props.index}-o${optionIndex}`}
                    index={optionIndex}
                    count={props.question.options.length}
                    upLabel={t('editor.moveOptionUp', { n: m })}
                    downLabel={t('editor.moveOptionDown', { n: m })}
                    removeLabel={t('editor.removeOption', { n: m })}
                    onMove={(delta) => moveOption(optionIndex, delta)}
                    onRemove={() => props.update((question) => void question.options.splice(optionIndex, 1))}
                  />
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

/** The answer range of a scale question, as the public page uses it; none for other questions. */
function scaleRange(question: QuestionDraft | undefined): Partial<Scale> {
  // scaleOf reads only the type and the scale, which a draft keeps as a question does.
  return (question && scaleOf({ type: question.type, scale: question.scale } as Question)) ?? {};
}

function ConditionEditor(props: QuestionEditorProps) {
  const base = () => `questions.${props.index}.showIf`;
  const condition = () => props.question.showIf;
  const source = () => props.earlier.find((question) => question.id === condition()?.question);
  const kind = () => {
    const current = condition();
    return current ? conditionInputKind(source(), current.op) : 'none';
  };
  const valuePath = () => `${base()}.value`;
  const valueError = useFieldError(valuePath);
  const setValue = (value: string) => props.update((question) => (question.showIf!.value = value));

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
                    path={valuePath()}
                    label={t('editor.conditionValue')}
                    placeholder={t('editor.chooseOption')}
                    value={current().value}
                    options={(source()?.options ?? []).map((option) => ({
                      value: option.id,
                      label: localized(option.label) || option.id,
                    }))}
                    onChange={setValue}
                  />
                </Match>
                <Match when={kind() === 'options-multi'}>
                  <fieldset
                    class="condition-values"
                    id={fieldId(valuePath())}
                    tabindex="-1"
                    aria-invalid={valueError() ? 'true' : undefined}
                    aria-describedby={valueError() ? `${fieldId(valuePath())}-error` : undefined}
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
                      <p class="field-error" id={`${fieldId(valuePath())}-error`}>
                        {valueError()}
                      </p>
                    </Show>
                  </fieldset>
                </Match>
                <Match when={kind() === 'boolean'}>
                  <EditorSelect
                    path={valuePath()}
                    label={t('editor.conditionValue')}
                    value={current().value === 'false' ? 'false' : 'true'}
                    options={[
                      { value: 'true', label: t('app.yes') },
                      { value: 'false', label: t('app.no') },
                    ]}
                    onChange={setValue}
                  />
                </Match>
                <Match when={kind() === 'number'}>
                  <EditorText
                    path={valuePath()}
                    label={t('editor.conditionValue')}
                    type="number"
                    inputMode="numeric"
                    min={scaleRange(source()).min}
                    max={scaleRange(source()).max}
                    value={current().value}
                    onInput={setValue}
                  />
                </Match>
                <Match when={kind() === 'number-list'}>
                  <EditorText
                    path={valuePath()}
                    label={t('editor.conditionValues')}
                    hint={t('editor.conditionValuesHint')}
                    value={current().value}
                    onInput={setValue}
                  />
                </Match>
                <Match when={kind() === 'text'}>
                  <EditorText
                    path={valuePath()}
                    label={t('editor.conditionValue')}
                    value={current().value}
                    onInput={setValue}
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
