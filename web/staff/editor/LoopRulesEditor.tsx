// The editor's "Close the loop" section: rules that open a complaint case from a survey answer (a detractor,
// an unhappy CSAT, experience below expectation, "please contact me"). Off until a rule is added. Problems come
// from the same draft check as the rest of the editor, shown at the field they concern.
import { For, Show } from 'solid-js';
import { loopRuleKinds, type LoopRuleKind } from '../../../surveys/loop-rules.ts';
import { localized } from '../i18n.ts';
import { t } from './text.ts';
import { EditorSelect, EditorText, fieldId, UnclaimedErrors } from './fields.tsx';
import { newLoopRule, ruleQuestions, setRuleKind, type LoopRuleDraft, type QuestionDraft, type SurveyDraft } from './model.ts';

export interface LoopRulesEditorProps {
  draft: SurveyDraft;
  /** Changes the rules in place. */
  change: (edit: (rules: LoopRuleDraft[]) => void) => void;
  /** Tells screen readers what just happened. */
  announce: (text: string) => void;
}

const focusLater = (id: string) => requestAnimationFrame(() => document.getElementById(id)?.focus());

/** "3. How likely are you to recommend us?" as a question reads in a picker. */
function questionLabel(question: QuestionDraft, questions: readonly QuestionDraft[]) {
  const n = questions.indexOf(question) + 1;
  return `${n}. ${localized(question.title) || question.id}`;
}

export function LoopRulesEditor(props: LoopRulesEditorProps) {
  const add = () => {
    props.change((rules) => {
      rules.push(newLoopRule(rules, props.draft.questions));
    });
    const index = props.draft.loopRules.length - 1;
    props.announce(t('editor.loop.added', { n: index + 1 }));
    focusLater(fieldId(`loopRules.${index}.kind`));
  };

  return (
    <section class="card loop-rules" aria-labelledby="section-loop-rules" id={fieldId('loopRules')} tabindex="-1" data-testid="loop-rules">
      <h2 id="section-loop-rules">{t('editor.loop.title')}</h2>
      <p class="hint">{t('editor.loop.explanation')}</p>
      <UnclaimedErrors prefix="loopRules" exact />
      <Show when={props.draft.loopRules.length > 0} fallback={<p data-testid="loop-off">{t('editor.loop.off')}</p>}>
        <p class="hint">{t('editor.loop.consent')}</p>
        <ol class="loop-rule-list">
          <For each={props.draft.loopRules}>
            {(_rule, index) => (
              <li>
                <RuleEditor {...props} index={index()} />
              </li>
            )}
          </For>
        </ol>
      </Show>
      <button type="button" class="button" id="add-loop-rule" data-testid="add-loop-rule" onClick={add}>
        + {t('editor.loop.add')}
      </button>
    </section>
  );
}

function RuleEditor(props: LoopRulesEditorProps & { index: number }) {
  const base = () => `loopRules.${props.index}`;
  const rule = () => props.draft.loopRules[props.index]!;
  const headingId = () => `loop-rule${props.index}-heading`;
  const edit = (change: (rule: LoopRuleDraft) => void) => props.change((rules) => change(rules[props.index]!));
  const questions = () => ruleQuestions(rule().kind, props.draft.questions);
  const chosen = () => props.draft.questions.find((question) => question.id === rule().question);
  const attributes = () => [...new Set(ruleQuestions('c_below', props.draft.questions).map((question) => question.attribute.trim()))];

  const removeThis = () => {
    props.change((rules) => {
      rules.splice(props.index, 1);
    });
    props.announce(t('editor.loop.removed'));
    focusLater('add-loop-rule');
  };

  return (
    <section class="loop-rule" id={fieldId(base())} tabindex="-1" aria-labelledby={headingId()} data-testid={`loop-rule-${props.index}`}>
      <div class="question-header">
        <h3 id={headingId()}>{t('editor.loop.ruleHeading', { n: props.index + 1 })}</h3>
        <button type="button" class="button button-small button-danger" data-testid={`remove-loop-rule-${props.index}`} onClick={removeThis}>
          {t('editor.loop.remove', { n: props.index + 1 })}
        </button>
      </div>
      <UnclaimedErrors prefix={base()} />
      <div class="grid-2">
        <EditorSelect
          path={`${base()}.kind`}
          label={t('editor.loop.kind')}
          value={rule().kind}
          options={loopRuleKinds.map((kind) => ({ value: kind, label: t(`editor.loop.kinds.${kind}`) }))}
          onChange={(kind: LoopRuleKind) => edit((draft) => setRuleKind(draft, kind, props.draft.questions))}
        />
        <Show
          when={rule().kind !== 'c_below'}
          fallback={
            <EditorSelect
              path={`${base()}.attribute`}
              label={t('editor.loop.attribute')}
              value={rule().attribute}
              options={[
                { value: '', label: t('editor.loop.anyAttribute') },
                ...attributes().map((attribute) => ({ value: attribute, label: attribute })),
              ]}
              onChange={(attribute) => edit((draft) => (draft.attribute = attribute))}
            />
          }
        >
          <EditorSelect
            path={`${base()}.question`}
            label={t('editor.loop.question')}
            value={rule().question}
            placeholder={questions().length > 0 ? t('editor.loop.chooseQuestion') : t(`editor.loop.noQuestion.${rule().kind}`)}
            options={questions().map((question) => ({ value: question.id, label: questionLabel(question, props.draft.questions) }))}
            onChange={(question) =>
              edit((draft) => {
                draft.question = question;
                draft.option = '';
              })
            }
          />
        </Show>
      </div>
      <Show when={rule().kind !== 'contact_requested'}>
        <EditorText
          path={`${base()}.value`}
          label={t(`editor.loop.value.${rule().kind as Exclude<LoopRuleKind, 'contact_requested'>}`)}
          hint={t(`editor.loop.valueHint.${rule().kind as Exclude<LoopRuleKind, 'contact_requested'>}`)}
          type="number"
          inputMode={rule().kind === 'c_below' ? 'text' : 'numeric'}
          value={rule().value}
          onInput={(value) => edit((draft) => (draft.value = value))}
        />
      </Show>
      <Show when={rule().kind === 'contact_requested' && chosen()?.type === 'single_choice'}>
        <EditorSelect
          path={`${base()}.option`}
          label={t('editor.loop.option')}
          value={rule().option}
          placeholder={t('editor.loop.chooseOption')}
          options={(chosen()?.options ?? []).map((option) => ({ value: option.id, label: localized(option.label) || option.id }))}
          onChange={(option) => edit((draft) => (draft.option = option))}
        />
      </Show>
    </section>
  );
}
