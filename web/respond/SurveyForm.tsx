// The survey as a customer answers it. The public page and the staff preview both render this component.
import { createMemo, createSignal, For, onCleanup, Show } from 'solid-js';
import { isServer } from 'solid-js/web';
import type { Locale, LocalizedText, Question, SurveyDefinition } from '../../surveys/definition.ts';
import {
  pruneHidden,
  validateAnswer,
  visibleQuestions,
  type AnswerValue,
  type Answers,
  type QuestionErrors,
} from '../../surveys/answers.ts';
import { localize, ui } from './i18n.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { QuestionField } from './QuestionField.tsx';
import './survey.css';

/** What one attempt to send the answers came to. */
export type SubmitOutcome =
  /** Stored (or already stored): the form's work is over. */
  | { kind: 'done' }
  /** The server refused these answers; the customer has to change something. */
  | { kind: 'rejected'; message?: string; questionErrors?: QuestionErrors }
  /** Network or server trouble: the form keeps everything and tries again with backoff. */
  | { kind: 'failed' };

export interface SurveyFormProps {
  definition: SurveyDefinition;
  locale: Locale;
  /** Shows the 中文 / English switch when given. */
  onLocaleChange?: (locale: Locale) => void;
  /** Answers restored after a reload; read once. */
  initialAnswers?: Answers;
  /** Called on every change, with the raw answers (including hidden ones), to keep progress. */
  onAnswersChange?: (answers: Answers) => void;
  /** Sends the checked answers (hidden questions pruned). One attempt per call; a throw counts as 'failed'. */
  onSubmit?: (answers: Answers) => Promise<SubmitOutcome>;
  /** Staff preview: everything works, but submitting only checks the answers. */
  preview?: boolean;
  /** Prefix of control names and ids; fixed when the server renders the form, unique per form otherwise. */
  idPrefix?: string;
  /** Render only the first questions, with no submit button and only the language switch's place (the
   *  server's early HTML); the page's script then renders them all, with the buttons. Buttons before the
   *  script could do nothing, or reload the page. */
  firstQuestions?: number;
}

type Status =
  | { kind: 'attention'; count: number }
  | { kind: 'sending' }
  | { kind: 'retrying' }
  | { kind: 'rejected'; message?: LocalizedText | string }
  | { kind: 'preview' };

const firstRetryMs = 2_000;
const maxRetryMs = 30_000;
let formCount = 0;

export function SurveyForm(props: SurveyFormProps) {
  const idPrefix = props.idPrefix ?? `sv${++formCount}`;
  const [answers, setAnswers] = createSignal<Answers>({ ...props.initialAnswers });
  /** Questions the customer changed and then answered another after, or all of them once submit was tried:
   *  their problems show inline from then on. Leaving a question by focus alone shows nothing, because an
   *  error appearing above the finger mid-tap would move the next question away from it. */
  const [touched, setTouched] = createSignal<Record<string, true>>({});
  const [serverErrors, setServerErrors] = createSignal<QuestionErrors>({});
  const [phase, setPhase] = createSignal<'idle' | 'sending' | 'retrying' | 'done'>('idle');
  const [status, setStatus] = createSignal<Status | null>(null);
  const text = () => ui[props.locale];
  let form: HTMLFormElement | undefined;
  let changed = new Set<string>();
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const visible = createMemo(() => visibleQuestions(props.definition, answers()));
  const problemOf = (question: Question) => validateAnswer(question, answers()[question.id]);
  const answeredCount = createMemo(
    () => visible().filter((question) => answers()[question.id] !== undefined && problemOf(question) === null).length,
  );

  const errorOf = (question: Question): string | null => {
    const error: LocalizedText | null | undefined =
      serverErrors()[question.id] ?? (touched()[question.id] ? problemOf(question) : null);
    return error ? localize(error, props.locale) : null;
  };

  const markTouched = (ids: Iterable<string>) => {
    const next = { ...touched() };
    for (const id of ids) next[id] = true;
    setTouched(next);
  };

  const setAnswer = (questionId: string, value: AnswerValue | undefined) => {
    const next = { ...answers() };
    if (value === undefined) delete next[questionId];
    else next[questionId] = value;
    setAnswers(next);
    // Answering another question means the customer has moved on from the ones changed before.
    markTouched([...changed].filter((id) => id !== questionId));
    changed = new Set([questionId]);
    if (serverErrors()[questionId]) {
      const { [questionId]: _fixed, ...rest } = serverErrors();
      setServerErrors(rest);
    }
    props.onAnswersChange?.(next);
  };

  const focusQuestion = (questionId: string) => {
    const fieldset = form?.querySelector<HTMLElement>(`[data-question="${CSS.escape(questionId)}"]`);
    if (!fieldset) return;
    // In an expectation/experience pair, the part still missing; elsewhere the chosen radio or the first control.
    const area = fieldset.querySelector<HTMLElement>('[role=radiogroup][aria-invalid=true]') ?? fieldset;
    const control = area.querySelector<HTMLElement>('input:checked') ?? area.querySelector<HTMLElement>('input, textarea');
    control?.focus({ preventScroll: true });
    fieldset.scrollIntoView({ block: 'start' });
  };

  const submit = async (byCustomer: boolean) => {
    if (phase() === 'sending' || phase() === 'done') return;
    clearTimeout(retryTimer);
    setServerErrors({});
    markTouched(visible().map((question) => question.id));
    const problems = visible().filter((question) => problemOf(question) !== null);
    if (problems.length > 0) {
      setPhase('idle');
      setStatus({ kind: 'attention', count: problems.length });
      if (byCustomer) focusQuestion(problems[0]!.id);
      return;
    }
    if (props.preview || !props.onSubmit) {
      setStatus({ kind: 'preview' });
      return;
    }
    setPhase('sending');
    setStatus({ kind: 'sending' });
    let outcome: SubmitOutcome;
    try {
      outcome = await props.onSubmit(pruneHidden(props.definition, answers()));
    } catch {
      outcome = { kind: 'failed' };
    }
    if (outcome.kind === 'done') {
      setPhase('done');
      setStatus(null);
    } else if (outcome.kind === 'rejected') {
      failures = 0;
      setPhase('idle');
      const errors = outcome.questionErrors ?? {};
      setServerErrors(errors);
      const flagged = visible().filter((question) => errors[question.id]);
      // An error about the form as a whole, or about a question the customer cannot see, goes in the status line.
      const elsewhere = Object.keys(errors).find((id) => !flagged.some((question) => question.id === id));
      setStatus(
        flagged.length > 0 && !elsewhere
          ? { kind: 'attention', count: flagged.length }
          : { kind: 'rejected', message: (elsewhere && errors[elsewhere]) || outcome.message },
      );
      if (flagged[0]) focusQuestion(flagged[0].id);
    } else {
      // Same response id on every attempt, so a retry can never store the answers twice.
      const delayMs = Math.min(maxRetryMs, firstRetryMs * 2 ** failures++);
      setPhase('retrying');
      setStatus({ kind: 'retrying' });
      retryTimer = setTimeout(() => void submit(false), delayMs);
    }
  };

  const retryWhenOnline = () => {
    if (phase() === 'retrying') void submit(false);
  };
  if (!isServer) {
    window.addEventListener('online', retryWhenOnline);
    onCleanup(() => {
      clearTimeout(retryTimer);
      window.removeEventListener('online', retryWhenOnline);
    });
  }

  const statusText = () => {
    const current = status();
    if (!current) return '';
    switch (current.kind) {
      case 'attention':
        return text().needsAttention(current.count);
      case 'sending':
        return text().sending;
      case 'retrying':
        return text().retrying;
      case 'rejected': {
        const message = typeof current.message === 'object' ? localize(current.message, props.locale) : current.message;
        return message ? `${text().rejected} ${message}` : text().rejected;
      }
      case 'preview':
        return text().previewValid;
    }
  };
  const percent = () => (visible().length === 0 ? 0 : Math.round((answeredCount() / visible().length) * 100));

  return (
    <div class="sv" lang={props.locale}>
      <Show when={props.onLocaleChange}>
        {(change) =>
          props.firstQuestions === undefined ? (
            <LanguageSwitch locale={props.locale} onChange={change()} />
          ) : (
            // The server's early form keeps the switch's place only: its buttons could do nothing before the
            // script, and on an English page "中文" alone would have the browser load a CJK font first.
            <div class="sv-lang" />
          )
        }
      </Show>
      <header class="sv-head">
        <h1>{localize(props.definition.title, props.locale)}</h1>
        <Show when={props.definition.intro}>
          {(intro) => <p class="sv-intro">{localize(intro(), props.locale)}</p>}
        </Show>
      </header>
      <div class="sv-progress">
        <span>{text().answered(answeredCount(), visible().length)}</span>
        <div class="sv-bar" aria-hidden="true">
          <div style={{ width: `${percent()}%` }} />
        </div>
      </div>
      <form
        ref={form}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit(true);
        }}
        // Enter in a one-line answer (or the phone's "Go" key) should not send the whole survey.
        onKeyDown={(event) => {
          const target = event.target;
          if (event.key === 'Enter' && target instanceof HTMLInputElement && ['text', 'email', 'tel'].includes(target.type)) event.preventDefault();
        }}
      >
        <For each={props.firstQuestions === undefined ? visible() : visible().slice(0, props.firstQuestions)}>
          {(question) => {
            return (
            <div class="sv-slot">
              <QuestionField
                question={question}
                value={answers()[question.id]}
                error={errorOf(question)}
                locale={props.locale}
                idPrefix={idPrefix}
                onChange={(value) => setAnswer(question.id, value)}
              />
            </div>
            );
          }}
        </For>
        <Show when={props.firstQuestions === undefined}>
          <div class="sv-actions">
            <button
              type="submit"
              class="sv-submit"
              data-testid="submit"
              aria-disabled={phase() === 'sending' ? 'true' : undefined}
            >
              {phase() === 'sending' ? text().sending : text().submit}
            </button>
            <p class="sv-status" role="status" data-testid="status">
              {statusText()}
            </p>
            <Show when={phase() === 'retrying'}>
              <button type="button" class="sv-retry" onClick={() => void submit(true)}>
                {text().retryNow}
              </button>
            </Show>
          </div>
        </Show>
      </form>
    </div>
  );
}
