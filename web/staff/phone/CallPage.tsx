// /calls/:campaignId: one screen per call. The interviewer takes the next customer, reads the script, keys
// in the answers and records what the call came to; then the next customer is offered.
import { A, useParams } from '@solidjs/router';
import { createSignal, For, Match, onCleanup, Show, Switch } from 'solid-js';
import type { Locale } from '../../../surveys/definition.ts';
import type { Answers, QuestionErrors } from '../../../surveys/answers.ts';
import { instantOfLocal, localDateTime } from '../../../server/phone/rules.ts';
import { ApiError } from '../request.ts';
import { SurveyForm, type SubmitOutcome } from '../../respond/SurveyForm.tsx';
import { formatDateTime, locale } from '../i18n.ts';
import { t } from './text.ts';
import { describeError, ErrorMessage, Field, Loading, usePageTitle } from '../ui.tsx';
import { phoneApi, type CallOutcome, type CallSheet, type NextCallReply } from './api.ts';
import { customerName } from '../text.ts';

const renewEveryMs = 5 * 60_000;
const quickOutcomes = ['no_answer', 'busy', 'refused', 'wrong_number'] as const;

export default function CallPage() {
  const params = useParams<{ campaignId: string }>();
  const [reply, setReply] = createSignal<NextCallReply | null>(null);
  // The campaign's name is known once a customer has been offered.
  const [campaignName, setCampaignName] = createSignal('');
  const heading = () => campaignName() || t('phone.title');
  usePageTitle(heading);
  const [taking, setTaking] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const [saved, setSaved] = createSignal<CallOutcome | null>(null);

  const takeNext = async () => {
    setTaking(true);
    setError(null);
    try {
      const next = await phoneApi.next(params.campaignId);
      if (!next.none) setCampaignName(next.campaign.name);
      setReply(next);
    } catch (failure) {
      setError(failure);
    } finally {
      setTaking(false);
    }
  };

  const afterOutcome = (outcome: CallOutcome) => {
    setSaved(outcome);
    void takeNext();
  };

  return (
    <>
      <p class="breadcrumb">
        <A href="/calls">← {t('phone.back')}</A>
      </p>
      <div class="page-header">
        <h1>{heading()}</h1>
        <Show when={reply()?.none !== false}>
          <div class="actions">
            <button type="button" class="button button-primary" data-testid="next-customer" disabled={taking()} onClick={() => void takeNext()}>
              {reply() ? t('phone.checkAgain') : t('phone.next')}
            </button>
          </div>
        </Show>
      </div>
      <Show when={saved()}>
        {(outcome) => (
          <p class="alert alert-success" role="status" data-testid="call-saved">
            {t(`phone.recorded.${outcome()}`)}
          </p>
        )}
      </Show>
      <Show when={error()}>{(failure) => <ErrorMessage error={failure()} onRetry={() => void takeNext()} />}</Show>
      <Show when={taking()}>
        <Loading label={t('phone.taking')} />
      </Show>
      <Show when={reply()} keyed>
        {(current) =>
          current.none ? (
            <Nobody reason={current.reason} nextAt={current.nextAt} />
          ) : (
            <Call sheet={current} onRecorded={afterOutcome} />
          )
        }
      </Show>
    </>
  );
}

function Nobody(props: { reason: 'all_done' | 'in_progress' | 'outside_hours' | 'later'; nextAt: string | null }) {
  const time = () => (props.nextAt ? formatDateTime(props.nextAt) : '');
  return (
    <div class="alert alert-info" data-testid="nobody">
      <p>
        <Switch>
          <Match when={props.reason === 'all_done'}>{t('phone.nobody.all_done')}</Match>
          <Match when={props.reason === 'in_progress'}>{t('phone.nobody.in_progress')}</Match>
          <Match when={props.reason === 'outside_hours'}>{t('phone.nobody.outside_hours', { time: time() })}</Match>
          <Match when={props.reason === 'later'}>{t('phone.nobody.later', { time: time() })}</Match>
        </Switch>
      </p>
    </div>
  );
}

/** The screen's language's script text when it differs from the customer's, or nothing. */
function otherScript(script: CallSheet['script'], customerLocale: Locale) {
  if (!script || locale() === customerLocale) return '';
  const text = script[locale()];
  return text && text !== script[customerLocale] ? text : '';
}

function Call(props: { sheet: CallSheet & { none: false }; onRecorded: (outcome: CallOutcome) => void }) {
  const sheet = props.sheet;
  const customer = sheet.customer;
  // One attempt and one response id per call: a retried request is recognised and never recorded twice.
  const attemptId = crypto.randomUUID();
  const responseId = crypto.randomUUID();
  const startedAt = Date.now();
  const [formLocale, setFormLocale] = createSignal<Locale>(customer.locale);
  const [note, setNote] = createSignal('');
  const [recording, setRecording] = createSignal<CallOutcome | null>(null);
  const [failure, setFailure] = createSignal<unknown>(null);
  const [askingCallback, setAskingCallback] = createSignal(false);
  const [callbackLocal, setCallbackLocal] = createSignal(localDateTime(Date.now() + 3600_000 - (Date.now() % 900_000), customer.timeZone));
  const [callbackError, setCallbackError] = createSignal<string | undefined>(undefined);
  let questions: HTMLDivElement | undefined;

  const renewal = setInterval(() => void phoneApi.renew(sheet.invitation.id).catch(() => undefined), renewEveryMs);
  onCleanup(() => clearInterval(renewal));

  const noteValue = () => note().trim() || undefined;

  const record = async (outcome: Exclude<CallOutcome, 'completed'>, callbackAt?: string) => {
    if (recording()) return;
    setRecording(outcome);
    setFailure(null);
    try {
      await phoneApi.outcome(sheet.invitation.id, { attemptId, outcome, callbackAt, note: noteValue() });
      props.onRecorded(outcome);
    } catch (error) {
      setFailure(error);
      setRecording(null);
    }
  };

  const complete = async (answers: Answers): Promise<SubmitOutcome> => {
    setRecording('completed');
    setFailure(null);
    try {
      await phoneApi.outcome(sheet.invitation.id, {
        attemptId,
        outcome: 'completed',
        answers,
        responseId,
        locale: formLocale(),
        startedAt,
        note: noteValue(),
      });
      props.onRecorded('completed');
      return { kind: 'done' };
    } catch (error) {
      setRecording(null);
      if (error instanceof ApiError && error.status < 500) {
        const body = error.body as { questionErrors?: QuestionErrors } | null;
        return { kind: 'rejected', message: describeError(error), questionErrors: body?.questionErrors };
      }
      return { kind: 'failed' };
    }
  };

  const saveCallback = () => {
    const at = instantOfLocal(callbackLocal(), customer.timeZone);
    if (at === null) {
      setCallbackError(t('phone.callbackRequired'));
      return;
    }
    setCallbackError(undefined);
    void record('callback', new Date(at).toISOString());
  };

  return (
    <div class="phone-call" data-testid="call">
      <section class="card phone-customer" aria-labelledby="call-customer">
        <h2 id="call-customer" data-testid="customer-name">
          {customerName(customer.name)}
        </h2>
        <dl class="details">
          <Show when={customer.contactName}>
            <dt>{t('phone.contactName')}</dt>
            <dd>{customer.contactName}</dd>
          </Show>
          <dt>{t('phone.phone')}</dt>
          <dd>
            <Show when={customer.phone} fallback={t('phone.noPhone')}>
              {(phone) => (
                <a class="phone-number" href={`tel:${phone().replace(/[^\d+]/g, '')}`} data-testid="customer-phone">
                  {phone()}
                </a>
              )}
            </Show>
          </dd>
          <dt>{t('phone.localTime')}</dt>
          <dd data-testid="customer-local-time">
            {t('phone.localTimeValue', { time: customer.localTime ?? t('app.none'), zone: customer.timeZone })}
          </dd>
          <dt>{t('phone.attempts')}</dt>
          <dd data-testid="call-attempts">{t('phone.attemptsValue', { n: sheet.invitation.attempts, max: sheet.campaign.maxAttempts })}</dd>
        </dl>
        <Show when={sheet.invitation.lastOutcomes.length > 0}>
          <h3 class="subheading">{t('phone.lastOutcomes')}</h3>
          <ul class="plain-list">
            <For each={sheet.invitation.lastOutcomes}>
              {(attempt) => (
                <li>
                  {formatDateTime(attempt.at)} · {t(`phone.outcomes.${attempt.outcome}`)}
                  <Show when={attempt.callbackAt}>{(at) => <> · {t('phone.callbackFor', { time: formatDateTime(at()) })}</>}</Show>
                  <Show when={attempt.note}>{(text) => <> · {text()}</>}</Show>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>

      <section class="card phone-script" aria-labelledby="call-script">
        <h2 id="call-script">{t('phone.script')}</h2>
        <Show when={sheet.script} fallback={<p class="muted">{t('phone.noScript')}</p>}>
          {(script) => (
            <>
              <p class="preserve-lines" lang={customer.locale} data-testid="call-script">
                {script()[customer.locale] || script()[customer.locale === 'en' ? 'zh-CN' : 'en']}
              </p>
              <Show when={otherScript(script(), customer.locale)}>
                {(other) => (
                  <details>
                    <summary>{t('phone.scriptInOther')}</summary>
                    <p class="preserve-lines" lang={locale()}>
                      {other()}
                    </p>
                  </details>
                )}
              </Show>
            </>
          )}
        </Show>
      </section>

      <section class="phone-questions" aria-labelledby="call-questions" ref={questions}>
        <h2 id="call-questions">{t('phone.questions')}</h2>
        <p class="muted">{t('phone.questionsHint')}</p>
        <SurveyForm definition={sheet.definition} locale={formLocale()} onLocaleChange={setFormLocale} onSubmit={complete} idPrefix="call" />
      </section>

      <section class="card phone-outcome" aria-labelledby="call-outcome">
        <h2 id="call-outcome">{t('phone.outcome')}</h2>
        <Field label={t('phone.note')} value={note()} onInput={setNote} multiline />
        <div class="phone-outcome-buttons">
          <button
            type="button"
            class="button button-primary"
            data-testid="outcome-completed"
            disabled={recording() !== null}
            onClick={() => questions?.querySelector('form')?.requestSubmit()}
          >
            {recording() === 'completed' ? t('phone.recording') : t('phone.completed')}
          </button>
          <For each={quickOutcomes}>
            {(outcome) => (
              <button
                type="button"
                class={outcome === 'refused' || outcome === 'wrong_number' ? 'button button-danger' : 'button'}
                data-testid={`outcome-${outcome}`}
                disabled={recording() !== null}
                onClick={() => void record(outcome)}
              >
                {recording() === outcome ? t('phone.recording') : t(`phone.${outcome}`)}
              </button>
            )}
          </For>
          <button
            type="button"
            class="button"
            aria-expanded={askingCallback()}
            data-testid="outcome-callback"
            disabled={recording() !== null}
            onClick={() => setAskingCallback(!askingCallback())}
          >
            {t('phone.callback')}
          </button>
        </div>
        <Show when={askingCallback()}>
          <div class="phone-callback">
            <Field
              label={t('phone.callbackAt', { zone: customer.timeZone })}
              type="datetime-local"
              name="callbackAt"
              value={callbackLocal()}
              onInput={setCallbackLocal}
              hint={t('phone.callbackHint')}
              error={callbackError()}
              required
            />
            <button type="button" class="button button-primary" data-testid="save-callback" disabled={recording() !== null} onClick={saveCallback}>
              {recording() === 'callback' ? t('phone.recording') : t('phone.saveCallback')}
            </button>
          </div>
        </Show>
        <Show when={failure()}>{(problem) => <ErrorMessage error={problem()} />}</Show>
      </section>
    </div>
  );
}
