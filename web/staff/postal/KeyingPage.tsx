// /keying: returned postal forms keyed in with the keyboard alone. A code opens the form; one row per question
// takes what the paper shows (a digit, an option's number, a list of numbers, text); Ctrl+Enter stores it. With
// double keying, a second person's differing keying shows both values side by side to be settled.
import { useSearchParams } from '@solidjs/router';
import { batch, createMemo, createResource, createSignal, For, onMount, Show } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { answerLabel, scaleOf, validateAnswer, validateAnswers, visibleQuestions, type Answers } from '../../../surveys/answers.ts';
import type { LocalizedText, Question } from '../../../surveys/definition.ts';
import { keyedText, readKeyedAnswer, readKeyedForm, type KeyedForm } from '../../../server/postal/rules.ts';
import { ApiError } from '../request.ts';
import { formatCount } from '../i18n.ts';
import { t } from './text.ts';
import { canAuthor } from '../session.ts';
import { describeError, ErrorMessage, fieldMessage, usePageTitle } from '../ui.tsx';
import { postalApi, type KeyingDifference, type KeyingForm } from './api.ts';
import { customerName } from '../text.ts';

type Notice = { kind: 'success' | 'info'; text: string };

export default function KeyingPage() {
  usePageTitle(() => t('postal.title'));
  const [params] = useSearchParams<{ campaign?: string }>();
  const [progress, { refetch: refetchProgress }] = createResource(
    () => params.campaign || undefined,
    (campaignId) => postalApi.progress(campaignId),
  );

  let codeInput!: HTMLInputElement;
  const [code, setCode] = createSignal('');
  const [codeError, setCodeError] = createSignal('');
  const [opening, setOpening] = createSignal(false);
  const [form, setForm] = createSignal<KeyingForm | null>(null);
  const [notice, setNotice] = createSignal<Notice | null>(null);

  const [typed, setTyped] = createStore<KeyedForm>({});
  // Each field's problem as it came (both languages where it has them), shown in the language on screen now.
  const [errors, setErrors] = createStore<Record<string, LocalizedText | string | undefined>>({});
  const [formError, setFormError] = createSignal<unknown>(null);
  const [differences, setDifferences] = createSignal<KeyingDifference[] | null>(null);
  const [storing, setStoring] = createSignal(false);
  let responseId = '';
  let formElement: HTMLFormElement | undefined;

  onMount(() => codeInput.focus());

  const backToCode = (message: Notice | null) => {
    batch(() => {
      setForm(null);
      setDifferences(null);
      setTyped(reconcile({}));
      setErrors(reconcile({}));
      setFormError(null);
      setCode('');
      setNotice(message);
    });
    if (params.campaign) void refetchProgress();
    codeInput.focus();
  };

  const open = async (event: Event) => {
    event.preventDefault();
    if (opening()) return;
    setCodeError('');
    setNotice(null);
    setOpening(true);
    try {
      const opened = await postalApi.form(code());
      responseId = crypto.randomUUID();
      batch(() => {
        setTyped(reconcile({}));
        setErrors(reconcile({}));
        setFormError(null);
        setDifferences(null);
        setForm(opened);
      });
      if (opened.state === 'first' || opened.state === 'second') focusField(0);
    } catch (error) {
      setCodeError(describeError(error));
      codeInput.focus();
    } finally {
      setOpening(false);
    }
  };

  const fields = () => (formElement ? [...formElement.querySelectorAll<HTMLInputElement>('input[data-question]:not(:disabled)')] : []);
  const focusField = (index: number) => queueMicrotask(() => fields()[index]?.focus());
  const focusQuestion = (questionId: string) =>
    queueMicrotask(() => document.querySelector<HTMLInputElement>(`[data-question="${CSS.escape(questionId)}"]`)?.focus());

  /** The questions asked, given what was typed: worked out once per keystroke, not once per row. */
  const askedIds = createMemo(() => {
    const current = form();
    if (!current) return null;
    const answers: Answers = {};
    for (const question of current.definition.questions) {
      const read = readKeyedAnswer(question, typed[question.id] ?? '');
      if (read.ok && read.answer !== undefined) answers[question.id] = read.answer;
    }
    return new Set(visibleQuestions(current.definition, answers).map((question) => question.id));
  });
  const asked = (question: Question) => askedIds()?.has(question.id) ?? true;

  /** The typed form as answers, with every problem shown beside its field; null when there are problems. */
  const checkedAnswers = (): Answers | null => {
    const current = form()!;
    const visibleTyped: KeyedForm = {};
    for (const question of current.definition.questions) if (asked(question)) visibleTyped[question.id] = typed[question.id] ?? '';
    const read = readKeyedForm(current.definition, visibleTyped);
    const problems: Record<string, LocalizedText> = read.ok ? {} : read.errors;
    let answers: Answers | null = read.ok ? read.answers : null;
    if (answers) {
      const validated = validateAnswers(current.definition, answers);
      if (validated.ok) answers = validated.answers;
      else Object.assign(problems, validated.errors);
    }
    showProblems(problems);
    return Object.keys(problems).length === 0 ? answers : null;
  };

  const showProblems = (problems: Record<string, LocalizedText | string>) => {
    setErrors(reconcile(problems));
    const first = form()?.definition.questions.find((question) => problems[question.id]);
    if (first) focusQuestion(first.id);
  };

  const submit = async (settling: boolean) => {
    const current = form();
    if (!current || storing()) return;
    setFormError(null);
    const answers = checkedAnswers();
    if (!answers) return;
    setStoring(true);
    try {
      const outcome = await (settling ? postalApi.resolve : postalApi.key)(code(), { answers, responseId });
      const name = customerName(current.customer.name);
      if (outcome.status === 'stored') backToCode({ kind: 'success', text: t('postal.stored', { name }) });
      else if (outcome.status === 'duplicate') backToCode({ kind: 'info', text: t('postal.duplicate', { name }) });
      else if (outcome.status === 'first_keyed') backToCode({ kind: 'success', text: t('postal.firstKept', { name }) });
    } catch (error) {
      const body = error instanceof ApiError ? (error.body as { differences?: KeyingDifference[] } | null) : null;
      if (body?.differences) {
        setDifferences(body.differences);
        queueMicrotask(() => document.querySelector<HTMLElement>('[data-testid="keying-differences"] button')?.focus());
      } else {
        if (error instanceof ApiError && Object.keys(error.fields).length > 0) {
          showProblems(error.fields as Record<string, LocalizedText | string>);
        }
        setFormError(error);
      }
    } finally {
      setStoring(false);
    }
  };

  /** Enter moves on, Ctrl+Enter stores: the clerk's hands stay on the keyboard. */
  const onFieldKey = (event: KeyboardEvent) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    if (event.ctrlKey || event.metaKey) {
      void submit(differences() !== null);
      return;
    }
    const all = fields();
    const next = all[all.indexOf(event.currentTarget as HTMLInputElement) + 1];
    if (next) next.focus();
    else formElement?.querySelector<HTMLButtonElement>('button[type="submit"]')?.focus();
  };

  const questionNumber = (question: Question) => (form()?.definition.questions.indexOf(question) ?? 0) + 1;

  return (
    <div class="page postal-keying">
      <header class="page-header">
        <h1>{t('postal.title')}</h1>
        <p class="muted">{t('postal.intro')}</p>
      </header>

      <Show when={params.campaign}>
        <Show when={progress.error}>
          <ErrorMessage error={progress.error} onRetry={refetchProgress} />
        </Show>
        <Show when={progress.latest}>
          {(current) => (
            <section class="card postal-progress" aria-labelledby="postal-progress-title" data-testid="keying-progress">
              <h2 id="postal-progress-title">
                {t('postal.progress')}: {current().campaign.name}
              </h2>
              <dl class="postal-counts">
                <div>
                  <dt>{t('postal.invited')}</dt>
                  <dd>{formatCount(current().invited)}</dd>
                </div>
                <div>
                  <dt>{t('postal.printed')}</dt>
                  <dd>{formatCount(current().printed)}</dd>
                </div>
                <Show when={current().campaign.doubleKeying}>
                  <div>
                    <dt>{t('postal.keyedOnce')}</dt>
                    <dd>{formatCount(current().keyedOnce)}</dd>
                  </div>
                </Show>
                <div>
                  <dt>{t('postal.storedCount')}</dt>
                  <dd data-testid="keying-stored-count">{formatCount(current().stored)}</dd>
                </div>
              </dl>
              <Show when={canAuthor()}>
                <p>
                  <a class="button" href={postalApi.lettersHref(current().campaign.id)} download="">
                    {t('postal.letters')}
                  </a>
                </p>
                <p class="hint">{t('postal.lettersHint')}</p>
              </Show>
            </section>
          )}
        </Show>
      </Show>

      <form class="postal-code" onSubmit={open}>
        <div class="field" classList={{ 'field-invalid': !!codeError() }}>
          <label for="keying-code">{t('postal.code')}</label>
          <input
            ref={codeInput}
            id="keying-code"
            name="code"
            data-testid="keying-code"
            autocomplete="off"
            spellcheck={false}
            autofocus
            value={code()}
            aria-invalid={codeError() ? 'true' : undefined}
            aria-describedby={codeError() ? 'keying-code-hint keying-code-error' : 'keying-code-hint'}
            onInput={(event) => setCode(event.currentTarget.value)}
          />
          <p class="hint" id="keying-code-hint">
            {t('postal.codeHint')}
          </p>
          <Show when={codeError()}>
            <p class="field-error" id="keying-code-error" data-testid="keying-code-error">
              {codeError()}
            </p>
          </Show>
        </div>
        <button type="submit" class="button" disabled={opening()}>
          {opening() ? t('postal.opening') : t('postal.open')}
        </button>
      </form>

      <p class="postal-notice" classList={{ 'alert alert-success': notice()?.kind === 'success', 'alert alert-info': notice()?.kind === 'info' }} role="status" aria-live="polite" data-testid="keying-status">
        {notice()?.text ?? ''}
      </p>

      <Show when={form()}>
        {(current) => (
          <section class="card postal-form" aria-labelledby="postal-form-title" data-testid="keying-form">
            <h2 id="postal-form-title">{t('postal.form')}</h2>
            <dl class="postal-facts">
              <div>
                <dt>{t('postal.customer')}</dt>
                <dd data-testid="keying-customer">
                  {customerName(current().customer.name)}
                  {current().customer.contactName ? ` · ${current().customer.contactName}` : ''}
                </dd>
              </div>
              <div>
                <dt>{t('postal.campaign')}</dt>
                <dd>{current().campaign.name}</dd>
              </div>
              <div>
                <dt>{t('postal.language')}</dt>
                <dd>{t(`locales.${current().locale}`)}</dd>
              </div>
              <div>
                <dt>{t('postal.round')}</dt>
                <dd>
                  {!current().doubleKeying ? t('postal.roundSingle') : current().state === 'second' ? t('postal.roundSecond') : t('postal.roundFirst')}
                </dd>
              </div>
            </dl>

            <Show when={current().state === 'answered' || current().state === 'mine'}>
              <div class="alert alert-info" data-testid="keying-closed">
                <p>{current().state === 'answered' ? t('postal.answered') : t('postal.mine')}</p>
                <button type="button" class="button" onClick={() => backToCode(null)}>
                  {t('postal.cancel')}
                </button>
              </div>
            </Show>

            <Show when={current().state === 'first' || current().state === 'second'}>
              <form
                ref={formElement}
                novalidate
                onSubmit={(event) => {
                  event.preventDefault();
                  void submit(differences() !== null);
                }}
              >
                <p class="hint">{t('postal.how')}</p>
                <Show when={differences()}>
                  {(list) => <Differences form={current()} differences={list()} typed={typed} setTyped={(id, value) => setTyped(id, value)} number={questionNumber} onStore={() => void submit(true)} />}
                </Show>
                <fieldset class="postal-rows" classList={{ 'postal-rows-settling': differences() !== null }}>
                  <legend>{t('postal.answers')}</legend>
                  <For each={current().definition.questions}>
                    {(question) => (
                      <KeyedRow
                        question={question}
                        number={questionNumber(question)}
                        formLocale={current().locale}
                        value={typed[question.id] ?? ''}
                        error={errors[question.id] === undefined ? undefined : fieldMessage(errors[question.id])}
                        asked={asked(question)}
                        onInput={(value) => {
                          setTyped(question.id, value);
                          if (errors[question.id]) setErrors(question.id, undefined);
                        }}
                        onKeyDown={onFieldKey}
                      />
                    )}
                  </For>
                </fieldset>
                <Show when={formError()}>
                  <ErrorMessage error={formError()} />
                </Show>
                <Show when={Object.keys(errors).some((id) => errors[id])}>
                  <p class="field-error" role="alert">
                    {t('postal.problems', { count: Object.keys(errors).filter((id) => errors[id]).length })}
                  </p>
                </Show>
                <div class="actions">
                  <button type="submit" class="button button-primary" data-testid="keying-store" disabled={storing()}>
                    {storing() ? t('postal.storing') : differences() ? t('postal.storeSettled') : t('postal.store')}
                  </button>
                  <button type="button" class="button" onClick={() => backToCode(null)}>
                    {t('postal.cancel')}
                  </button>
                </div>
              </form>
            </Show>
          </section>
        )}
      </Show>
    </div>
  );
}

/** How to type the answer to a question, in the screen's language, with the form's own option words. */
function typingHint(question: Question, formLocale: 'zh-CN' | 'en'): string {
  switch (question.type) {
    case 'rating':
    case 'nps':
    case 'csat':
    case 'ces':
      return t('postal.scaleHint', scaleOf(question));
    case 'expectation_experience':
      return question.withImportance ? t('postal.pairImportanceHint', scaleOf(question)) : t('postal.pairHint', scaleOf(question));
    case 'single_choice':
    case 'multiple_choice': {
      const options = question.options.map((option, index) => `${index + 1} ${option.label[formLocale]}`).join(' · ');
      const how = question.type === 'single_choice' ? t('postal.singleHint') : t('postal.multipleHint');
      const other = question.type === 'multiple_choice' && question.allowOther ? `, ${t('postal.otherHint')}` : '';
      return `${how}${other}: ${options}`;
    }
    case 'text':
      return t('postal.textHint');
    case 'consent':
      return t('postal.consentHint');
  }
}

function KeyedRow(props: {
  question: Question;
  number: number;
  formLocale: 'zh-CN' | 'en';
  value: string;
  error: string | undefined;
  asked: boolean;
  onInput: (value: string) => void;
  onKeyDown: (event: KeyboardEvent) => void;
}) {
  const id = () => `keyed-${props.question.id}`;
  const reading = () => {
    if (!props.value.trim()) return '';
    const read = readKeyedAnswer(props.question, props.value);
    if (!read.ok || validateAnswer(props.question, read.answer) !== null) return '';
    return answerLabel(props.question, read.answer, props.formLocale);
  };
  const numeric = () => props.question.type !== 'text' && !(props.question.type === 'multiple_choice' && props.question.allowOther);
  return (
    <div class="postal-row" classList={{ 'field-invalid': !!props.error, 'postal-row-skipped': !props.asked }}>
      <label for={id()}>
        <span class="postal-number">{props.number}.</span> {props.question.title[props.formLocale]}
      </label>
      <input
        id={id()}
        data-question={props.question.id}
        data-testid={`keyed-${props.question.id}`}
        autocomplete="off"
        inputMode={numeric() ? 'numeric' : 'text'}
        lang={props.question.type === 'text' ? props.formLocale : undefined}
        value={props.asked ? props.value : ''}
        disabled={!props.asked}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={`${id()}-hint${props.error ? ` ${id()}-error` : ''}`}
        onInput={(event) => props.onInput(event.currentTarget.value)}
        onKeyDown={props.onKeyDown}
      />
      <p class="hint" id={`${id()}-hint`}>
        {props.asked ? typingHint(props.question, props.formLocale) : t('postal.notAsked')}
        <Show when={reading()}>
          {' '}
          <span class="postal-reading">{t('postal.reading', { value: reading() })}</span>
        </Show>
      </p>
      <Show when={props.error}>
        <p class="field-error" id={`${id()}-error`} data-testid={`keyed-${props.question.id}-error`}>
          {props.error}
        </p>
      </Show>
    </div>
  );
}

/** The questions two keyings disagree on: both values, each a button that puts it in the settled field. */
function Differences(props: {
  form: KeyingForm;
  differences: KeyingDifference[];
  typed: KeyedForm;
  setTyped: (questionId: string, value: string) => void;
  number: (question: Question) => number;
  onStore: () => void;
}) {
  const question = (id: string) => props.form.definition.questions.find((candidate) => candidate.id === id);
  const shown = (difference: KeyingDifference, side: 'first' | 'second') => {
    const target = question(difference.questionId);
    const value = difference[side];
    return target && value !== undefined ? answerLabel(target, value, props.form.locale) : t('postal.blank');
  };
  const typedFor = (difference: KeyingDifference, side: 'first' | 'second') => {
    const target = question(difference.questionId);
    return target ? keyedText(target, difference[side]) : '';
  };
  return (
    <section class="alert alert-warning postal-differences" data-testid="keying-differences" aria-labelledby="postal-differences-title">
      <h3 id="postal-differences-title">{t('postal.differencesTitle')}</h3>
      <p>{t('postal.differencesIntro')}</p>
      <div class="table-scroll" role="region" aria-label={t('postal.differencesLabel')} tabindex="-1">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('postal.question')}</th>
              <th scope="col">{t('postal.firstKeying')}</th>
              <th scope="col">{t('postal.secondKeying')}</th>
              <th scope="col">{t('postal.settled')}</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.differences}>
              {(difference) => {
                const target = question(difference.questionId);
                const settledMatches = (side: 'first' | 'second') =>
                  (props.typed[difference.questionId] ?? '').trim() === typedFor(difference, side);
                return (
                  <tr data-testid={`difference-${difference.questionId}`}>
                    <th scope="row">
                      {target ? `${props.number(target)}. ${target.title[props.form.locale]}` : difference.questionId}
                    </th>
                    <td>
                      <button
                        type="button"
                        class="button button-small"
                        aria-pressed={settledMatches('first')}
                        data-testid={`use-first-${difference.questionId}`}
                        onClick={() => props.setTyped(difference.questionId, typedFor(difference, 'first'))}
                      >
                        {t('postal.useFirst', { value: shown(difference, 'first') })}
                      </button>
                    </td>
                    <td>
                      <button
                        type="button"
                        class="button button-small"
                        aria-pressed={settledMatches('second')}
                        data-testid={`use-second-${difference.questionId}`}
                        onClick={() => props.setTyped(difference.questionId, typedFor(difference, 'second'))}
                      >
                        {t('postal.useSecond', { value: shown(difference, 'second') })}
                      </button>
                    </td>
                    <td>
                      <input
                        class="postal-settled"
                        data-testid={`settled-${difference.questionId}`}
                        autocomplete="off"
                        aria-label={`${t('postal.settled')}${t('app.labelSeparator')}${target ? props.number(target) : difference.questionId}`}
                        value={props.typed[difference.questionId] ?? ''}
                        onInput={(event) => props.setTyped(difference.questionId, event.currentTarget.value)}
                        onKeyDown={(event) => {
                          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
                            event.preventDefault();
                            props.onStore();
                          }
                        }}
                      />
                    </td>
                  </tr>
                );
              }}
            </For>
          </tbody>
        </table>
      </div>
    </section>
  );
}
