// One question as a customer sees it: a fieldset whose legend is the question, with the matching controls.
import { For, Match, Show, Switch } from 'solid-js';
import type { Locale, Question, QuestionType } from '../../surveys/definition.ts';
import {
  otherMaxLength,
  scaleOf,
  type AnswerValue,
  type MultipleChoiceAnswer,
  type PairAnswer,
  type Scale,
} from '../../surveys/answers.ts';
import { localize, ui } from './i18n.ts';
import { endLabels, scaleValues } from './scales.ts';

export interface QuestionFieldProps {
  question: Question;
  value: AnswerValue | undefined;
  /** Already in the current language; null when the answer is fine or not yet checked. */
  error: string | null;
  locale: Locale;
  /** Unique per form, so two forms on one page (staff preview) never share radio names or ids. */
  idPrefix: string;
  onChange: (value: AnswerValue | undefined) => void;
}

type Of<T extends QuestionType> = Extract<Question, { type: T }>;

function ofType<T extends QuestionType>(question: Question, ...types: T[]): Of<T> | false {
  return (types as QuestionType[]).includes(question.type) && (question as Of<T>);
}

const singleScaleTypes = ['rating', 'nps', 'csat', 'ces'] as const;
const radioGroupTypes: QuestionType[] = [...singleScaleTypes, 'single_choice'];

export function QuestionField(props: QuestionFieldProps) {
  const text = () => ui[props.locale];
  const base = () => `${props.idPrefix}-${props.question.id}`;
  const legendId = () => `${base()}-t`;
  const helpId = () => `${base()}-h`;
  const errorId = () => `${base()}-e`;
  const isRadioGroup = () => radioGroupTypes.includes(props.question.type);
  // text and consent put help and error on their single input instead of the group.
  const ownInput = () => props.question.type === 'text' || props.question.type === 'consent';
  const describedBy = (...extra: string[]) =>
    [...extra, props.question.help ? helpId() : '', props.error ? errorId() : ''].filter(Boolean).join(' ') || undefined;
  const invalid = (): 'true' | undefined => (props.error ? 'true' : undefined);
  // Names the attribute being rated, unless the title already does.
  const factor = () => {
    const question = props.question;
    if (question.type !== 'expectation_experience') return undefined;
    const name = text().factors[question.attribute];
    return name && !localize(question.title, props.locale).includes(name) ? name : undefined;
  };

  return (
    <fieldset
      class="sv-q"
      classList={{ 'sv-q-invalid': !!props.error }}
      data-question={props.question.id}
      role={isRadioGroup() ? 'radiogroup' : undefined}
      aria-labelledby={legendId()}
      aria-describedby={ownInput() ? undefined : describedBy()}
      aria-required={isRadioGroup() && props.question.required ? 'true' : undefined}
      aria-invalid={isRadioGroup() ? invalid() : undefined}
    >
      <legend id={legendId()} class="sv-legend">
        <Show when={factor()}>
          <span class="sv-tag">{factor()}</span>{' '}
        </Show>
        {localize(props.question.title, props.locale)}
        <Show when={props.question.required}>
          {' '}
          <span class="sv-req">{text().required}</span>
        </Show>
      </legend>
      <Show when={props.question.help}>
        {(help) => (
          <p id={helpId()} class="sv-help">
            {localize(help(), props.locale)}
          </p>
        )}
      </Show>
      <Show when={props.error}>
        <p id={errorId()} class="sv-error" data-testid={`error-${props.question.id}`}>
          {props.error}
        </p>
      </Show>
      <Switch>
        <Match when={ofType(props.question, ...singleScaleTypes)}>
          {(question) => (
            <ScaleRadios
              name={base()}
              scale={scaleOf(question())}
              ends={endLabels(question(), props.locale)}
              value={props.value}
              onChange={props.onChange}
            />
          )}
        </Match>
        <Match when={ofType(props.question, 'expectation_experience')}>
          {(question) => (
            <PairScales
              question={question()}
              value={props.value}
              locale={props.locale}
              name={base()}
              invalid={!!props.error}
              describedBy={describedBy()}
              onChange={props.onChange}
            />
          )}
        </Match>
        <Match when={ofType(props.question, 'single_choice')}>
          {(question) => (
            <div class="sv-options">
              <For each={question().options}>
                {(option) => (
                  <label class="sv-option">
                    <input
                      type="radio"
                      name={base()}
                      value={option.id}
                      checked={props.value === option.id}
                      onChange={() => props.onChange(option.id)}
                    />
                    <span>{localize(option.label, props.locale)}</span>
                  </label>
                )}
              </For>
            </div>
          )}
        </Match>
        <Match when={ofType(props.question, 'multiple_choice')}>
          {(question) => (
            <MultipleChoice
              question={question()}
              value={props.value}
              locale={props.locale}
              invalid={invalid()}
              onChange={props.onChange}
            />
          )}
        </Match>
        <Match when={ofType(props.question, 'text')}>
          {(question) => {
            const maxLength = () => question().maxLength ?? 1000;
            const typed = () => (typeof props.value === 'string' ? props.value : '');
            const countId = () => `${base()}-c`;
            const common = () => ({
              id: `${base()}-i`,
              class: 'sv-input',
              maxLength: maxLength(),
              'aria-labelledby': legendId(),
              'aria-describedby': describedBy(countId()),
              'aria-invalid': invalid(),
              'aria-required': question().required ? ('true' as const) : undefined,
              value: typed(),
              onInput: (event: InputEvent & { currentTarget: HTMLInputElement | HTMLTextAreaElement }) =>
                props.onChange(event.currentTarget.value === '' ? undefined : event.currentTarget.value),
            });
            return (
              <>
                <Show when={question().multiline ?? true} fallback={<input {...inputKind(question().format)} {...common()} />}>
                  <textarea rows={4} {...common()} />
                </Show>
                <p id={countId()} class="sv-count">
                  {text().characters([...typed()].length, maxLength())}
                </p>
              </>
            );
          }}
        </Match>
        <Match when={ofType(props.question, 'consent')}>
          <label class="sv-option">
            <input
              type="checkbox"
              checked={props.value === true}
              aria-describedby={describedBy()}
              aria-invalid={invalid()}
              aria-required={props.question.required ? 'true' : undefined}
              onChange={(event) => props.onChange(event.currentTarget.checked ? true : undefined)}
            />
            <span>{text().agree}</span>
          </label>
        </Match>
      </Switch>
    </fieldset>
  );
}

/** A row of numbered radios styled as buttons; wraps into two even rows on a phone for 10 or 11 points. */
function ScaleRadios(props: {
  name: string;
  scale: Scale;
  ends: [string, string] | undefined;
  value: unknown;
  onChange: (value: number) => void;
}) {
  const values = () => scaleValues(props.scale);
  const narrowColumns = () => {
    const count = values().length;
    return count <= 7 ? count : Math.ceil(count / 2);
  };
  const endFor = (point: number) => {
    const ends = props.ends;
    if (!ends) return '';
    if (point === props.scale.min) return `, ${ends[0]}`;
    if (point === props.scale.max) return `, ${ends[1]}`;
    return '';
  };
  return (
    <div class="sv-scale-wrap">
      <div class="sv-scale" style={{ '--n': String(values().length), '--cols': String(narrowColumns()) }}>
        <For each={values()}>
          {(point) => (
            <label class="sv-point">
              <input
                type="radio"
                name={props.name}
                value={point}
                checked={props.value === point}
                onChange={() => props.onChange(point)}
              />
              <span>{point}</span>
              <Show when={endFor(point)}>
                <span class="sv-sr">{endFor(point)}</span>
              </Show>
            </label>
          )}
        </For>
      </div>
      <Show when={props.ends}>
        {(ends) => (
          <div class="sv-ends" aria-hidden="true">
            <span>{ends()[0]}</span>
            <span>{ends()[1]}</span>
          </div>
        )}
      </Show>
    </div>
  );
}

type PairPart = keyof PairAnswer;

/** Expectation and experience of one attribute on the same scale (c = b / a), optionally its importance. */
function PairScales(props: {
  question: Of<'expectation_experience'>;
  value: AnswerValue | undefined;
  locale: Locale;
  name: string;
  invalid: boolean;
  describedBy: string | undefined;
  onChange: (value: AnswerValue | undefined) => void;
}) {
  const text = () => ui[props.locale];
  const pair = (): Partial<PairAnswer> =>
    typeof props.value === 'object' && props.value !== null && !Array.isArray(props.value) ? (props.value as PairAnswer) : {};
  const parts = (): PairPart[] =>
    props.question.withImportance ? ['expectation', 'experience', 'importance'] : ['expectation', 'experience'];
  const hints: Record<PairPart, 'expectationHint' | 'experienceHint' | 'importanceHint'> = {
    expectation: 'expectationHint',
    experience: 'experienceHint',
    importance: 'importanceHint',
  };
  return (
    <For each={parts()}>
      {(part) => {
        const legendId = () => `${props.name}-${part}-t`;
        return (
          <fieldset
            class="sv-part"
            role="radiogroup"
            aria-labelledby={legendId()}
            aria-describedby={props.describedBy}
            aria-required={props.question.required && part !== 'importance' ? 'true' : undefined}
            aria-invalid={props.invalid && pair()[part] === undefined ? 'true' : undefined}
          >
            <legend id={legendId()} class="sv-part-name">
              {text()[part]} <span class="sv-part-hint">{text()[hints[part]]}</span>
            </legend>
            <ScaleRadios
              name={`${props.name}-${part}`}
              scale={scaleOf(props.question)}
              ends={part === 'importance' ? text().importanceEnds : endLabels(props.question, props.locale)}
              value={pair()[part]}
              onChange={(point) => props.onChange({ ...pair(), [part]: point } as PairAnswer)}
            />
          </fieldset>
        );
      }}
    </For>
  );
}

function MultipleChoice(props: {
  question: Of<'multiple_choice'>;
  value: AnswerValue | undefined;
  locale: Locale;
  invalid: 'true' | undefined;
  onChange: (value: AnswerValue | undefined) => void;
}) {
  const text = () => ui[props.locale];
  const current = (): MultipleChoiceAnswer => {
    const value = props.value as MultipleChoiceAnswer | undefined;
    return value && Array.isArray(value.selected) ? value : { selected: [] };
  };
  const update = (selected: string[], other: string | undefined) =>
    props.onChange(selected.length === 0 && other === undefined ? undefined : other === undefined ? { selected } : { selected, other });
  // Keep the selection in the author's option order, whatever order the boxes were ticked in.
  const toggle = (optionId: string, on: boolean) => {
    const chosen = new Set(current().selected);
    if (on) chosen.add(optionId);
    else chosen.delete(optionId);
    update(
      props.question.options.map((option) => option.id).filter((id) => chosen.has(id)),
      current().other,
    );
  };
  const otherOn = () => current().other !== undefined;
  return (
    <div class="sv-options">
      <For each={props.question.options}>
        {(option) => (
          <label class="sv-option">
            <input
              type="checkbox"
              value={option.id}
              checked={current().selected.includes(option.id)}
              aria-invalid={props.invalid}
              onChange={(event) => toggle(option.id, event.currentTarget.checked)}
            />
            <span>{localize(option.label, props.locale)}</span>
          </label>
        )}
      </For>
      <Show when={props.question.allowOther}>
        <label class="sv-option">
          <input
            type="checkbox"
            checked={otherOn()}
            aria-invalid={props.invalid}
            onChange={(event) => update(current().selected, event.currentTarget.checked ? '' : undefined)}
          />
          <span>{text().other}</span>
        </label>
        <Show when={otherOn()}>
          <input
            type="text"
            class="sv-input sv-other"
            maxLength={otherMaxLength}
            aria-label={text().otherSpecify}
            placeholder={text().otherSpecify}
            aria-invalid={props.invalid}
            value={current().other ?? ''}
            onInput={(event) => update(current().selected, event.currentTarget.value)}
          />
        </Show>
      </Show>
    </div>
  );
}

/** The field a contact detail is typed in: the phone's email or number keyboard, and what the browser may fill in. */
function inputKind(format: 'email' | 'phone' | undefined) {
  if (format === 'email') return { type: 'email', inputMode: 'email', autocomplete: 'email' } as const;
  if (format === 'phone') return { type: 'tel', inputMode: 'tel', autocomplete: 'tel' } as const;
  return { type: 'text' } as const;
}
