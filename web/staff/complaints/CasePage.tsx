// /complaints/cases/:id: one case and everything to work it. Its details, the customer (or the contact details
// given) for the roles that may see them, the linked survey answer, the deadlines with the business time left,
// the whole history in words; a reply to the customer (with saved replies in the case's language), an internal
// note, the moves the case's status allows, assigning, merging into another case, escalating and recording that
// the customer left. Every change names the version it read: when someone else changed the case meanwhile, the
// server's reason is shown with a way to reload.
import { A, useParams } from '@solidjs/router';
import { createResource, createSignal, For, Match, Show, Switch, type JSX } from 'solid-js';
import { businessMsBetween } from '../../../server/complaints/calendar.ts';
import { parseReference } from '../../../server/complaints/reference.ts';
import { caseSeverities, type CaseSeverity } from '../../../server/complaints/vocabulary.ts';
import { nextState, staffTransitions, type StaffTransition } from '../../../server/complaints/workflow.ts';
import { formatDateTime, localized, locale } from '../i18n.ts';
import { ApiError } from '../request.ts';
import { currentUser } from '../session.ts';
import { ConfirmDialog, ErrorMessage, Field, fieldMessage, Loading, Select, usePageTitle } from '../ui.tsx';
import { complaintsApi, type CaseAnswer, type CaseDetail, type CaseEvent, type ComplaintSettings, type Macro } from './api.ts';
import { nextDeadline, readDeadline, runningDeadlines } from './deadlines.ts';
import { changesOf } from './history.ts';
import { CaseStatusBadge, categoryName, SeverityBadge, TimeLeft, useNow } from './parts.tsx';
import { homeQueue, lastQueue, worksCases } from './QueuesPage.tsx';
import { t } from './text.ts';
import { customerName } from '../text.ts';

export default function CasePage() {
  const params = useParams<{ id: string }>();
  const [answer, { refetch }] = createResource(() => params.id, (id) => complaintsApi.get(id));
  const [settings] = createResource(() => complaintsApi.settings().then((loaded) => loaded.settings).catch(() => null));
  // A failed read has no reference to show (and reading it would throw the error).
  usePageTitle(() => (answer.state === 'errored' ? t('complaints.title') : (answer.latest?.case.reference ?? t('complaints.title'))));
  return (
    <>
      <p class="breadcrumb">
        <BackToQueue />
      </p>
      {/* Not Async: its page is built again on every read, and a reload after each change must keep what the
          page shows meanwhile (a message sent, a refusal). */}
      <Switch fallback={<Loading />}>
        <Match when={answer.state === 'errored'}>
          <ErrorMessage error={answer.error} onRetry={() => void refetch()} />
        </Match>
        <Match when={(answer.state === 'ready' || answer.state === 'refreshing') && answer.latest}>
          {(loaded) => <CaseView answer={loaded()} settings={settings() ?? null} reload={() => void refetch()} />}
        </Match>
      </Switch>
    </>
  );
}

/**
 * Runs one change to the case; on success the case is read again, so the page always shows what the server
 * holds. A refusal (409) keeps its reason on screen with a way to reload.
 */
function createChange(reload: () => void) {
  const [busy, setBusy] = createSignal<string | null>(null);
  const [error, setError] = createSignal<unknown>(null);
  const run = async (what: string, action: () => Promise<unknown>): Promise<boolean> => {
    if (busy()) return false;
    setBusy(what);
    setError(null);
    try {
      await action();
      reload();
      return true;
    } catch (caught) {
      setError(caught);
      return false;
    } finally {
      setBusy(null);
    }
  };
  return { busy, error, run, clear: () => setError(null) };
}

function CaseView(props: { answer: CaseAnswer; settings: ComplaintSettings | null; reload: () => void }) {
  const item = () => props.answer.case;
  const change = createChange(props.reload);
  const conflict = () => {
    const caught = change.error();
    return caught instanceof ApiError && caught.status === 409;
  };
  return (
    <div class="case-page" data-testid="case-page" data-version={item().version}>
      <div class="page-header">
        <div>
          <h1 data-testid="case-reference">{item().reference}</h1>
          <p class="case-badges">
            <CaseStatusBadge status={item().status} /> <SeverityBadge severity={item().severity} />
            <Show when={item().escalated}>
              {' '}
              <span class="badge badge-escalated">{t('complaints.list.escalated')}</span>
            </Show>
            <span class="muted small"> {t('complaints.detail.opened', { when: formatDateTime(new Date(item().createdAt).toISOString()) })}</span>
          </p>
          <NextDeadline item={item()} settings={props.settings} />
        </div>
      </div>
      <Show when={change.error()}>
        {(caught) => (
          <div class="case-refusal" data-testid="case-refusal">
            <Show when={conflict()}>
              <p class="strong">{t('complaints.detail.conflict')}</p>
            </Show>
            <ErrorMessage error={caught()} />
            <Show when={conflict()}>
              <button
                type="button"
                class="button"
                data-testid="case-reload"
                onClick={() => {
                  change.clear();
                  props.reload();
                }}
              >
                {t('complaints.detail.reload')}
              </button>
            </Show>
          </div>
        )}
      </Show>
      <div class="case-layout">
        <div class="case-main">
          <section class="card" aria-labelledby="case-description">
            <h2 id="case-description">{t('complaints.detail.description')}</h2>
            <p class="case-text" data-testid="case-description" lang={item().locale}>
              {item().description}
            </p>
            <Show when={item().desiredOutcome}>
              <h3>{t('complaints.detail.desiredOutcome')}</h3>
              <p class="case-text" lang={item().locale}>
                {item().desiredOutcome}
              </p>
            </Show>
          </section>
          <Show when={worksCases()}>
            <ReplyBox item={item()} change={change} />
            <NoteBox item={item()} change={change} />
          </Show>
          <History events={props.answer.events} settings={props.settings} />
        </div>
        <div class="case-side">
          <Show when={worksCases()}>
            <Transitions item={item()} settings={props.settings} change={change} />
            <Assign item={item()} change={change} />
          </Show>
          <Deadlines item={item()} settings={props.settings} />
          <Details item={item()} settings={props.settings} change={change} />
          <CustomerCard item={item()} />
          <Show when={worksCases()}>
            <StatusLink item={item()} change={change} />
          </Show>
          <Show when={worksCases() && item().status !== 'merged'}>
            <Merge item={item()} change={change} />
          </Show>
        </div>
      </div>
    </div>
  );
}

/** Back to the queue the agent came from, with its filters; to their home queue when they came from elsewhere. */
function BackToQueue() {
  const queue = () => lastQueue()?.queue ?? homeQueue();
  return (
    <A href={`/complaints${lastQueue()?.search ?? ''}`} data-testid="back-to-queue">
      {queue() === 'mine' ? t('complaints.detail.backMine') : queue() === 'all' ? t('complaints.detail.back') : t('complaints.detail.backTo', { queue: t(`complaints.queues.${queue()}`) })}
    </A>
  );
}

type Change = ReturnType<typeof createChange>;

/** The deadline that falls first, by the reference, so it is in view without scrolling on a phone. */
function NextDeadline(props: { item: CaseDetail; settings: ComplaintSettings | null }) {
  const now = useNow();
  return (
    <Show when={props.settings}>
      {(loaded) => (
        <Show when={nextDeadline(props.item)}>
          {(mark) => (
            <p class="case-next-deadline" data-testid="case-next-deadline">
              <TimeLeft reading={readDeadline((from, to) => businessMsBetween(loaded().calendar, from, to), props.item, mark(), now())} showName />
            </p>
          )}
        </Show>
      )}
    </Show>
  );
}

function Row(props: { label: string; children: JSX.Element; testId?: string }) {
  return (
    <div>
      <dt>{props.label}</dt>
      <dd data-testid={props.testId}>{props.children}</dd>
    </div>
  );
}

function Details(props: { item: CaseDetail; settings: ComplaintSettings | null; change: Change }) {
  const item = () => props.item;
  const [editing, setEditing] = createSignal(false);
  const editable = () => worksCases() && props.item.status !== 'merged' && props.item.status !== 'closed';
  return (
    <section class="card" aria-labelledby="case-details">
      <h2 id="case-details">{t('complaints.detail.details')}</h2>
      <Show when={editable()}>
        <Show
          when={editing()}
          fallback={
            <p>
              <button type="button" class="button button-small" data-testid="edit-details" onClick={() => setEditing(true)}>
                {t('complaints.detail.edit')}
              </button>
            </p>
          }
        >
          <EditDetails item={props.item} settings={props.settings} change={props.change} onDone={() => setEditing(false)} />
        </Show>
      </Show>
      <dl class="details">
        <Row label={t('complaints.detail.category')} testId="case-category">
          {categoryName(props.settings?.categories, item().category)}
        </Row>
        <Row label={t('complaints.detail.channel')}>{t(`complaints.channels.${item().channel}`)}</Row>
        <Row label={t('complaints.detail.source')}>{t(`complaints.sources.${item().source}`)}</Row>
        <Row label={t('complaints.detail.locale')}>{t(`locales.${item().locale}`)}</Row>
        <Show when={item().orderValue !== null}>
          <Row label={t('complaints.detail.orderValue')}>{String(item().orderValue)}</Row>
        </Show>
        <Row label={t('complaints.detail.outcome')} testId="case-outcome">
          {item().outcome ? t(`complaints.outcomes.${item().outcome!}`) : t('complaints.detail.outcomePending')}
        </Row>
        <Show when={item().reopenCount > 0}>
          <Row label={t('complaints.detail.status')}>{t('complaints.detail.reopened', { n: item().reopenCount })}</Row>
        </Show>
        <Show when={item().mergedInto}>
          {(into) => (
            <Row label={t('complaints.detail.mergedInto')}>
              <A href={`/complaints/cases/${encodeURIComponent(into())}`}>{item().mergedIntoReference ?? into()}</A>
            </Row>
          )}
        </Show>
        <Show when={item().previousCaseId}>
          {(previous) => (
            <Row label={t('complaints.detail.previousCase')}>
              <A href={`/complaints/cases/${encodeURIComponent(previous())}`}>{item().previousCaseReference ?? previous()}</A>
            </Row>
          )}
        </Show>
        <Show when={item().customerLeft}>
          <Row label={t('complaints.detail.customerLeft')}>{t('app.yes')}</Row>
        </Show>
        <Show when={item().responseId}>
          {(responseId) => (
            <Row label={t('complaints.detail.response')}>
              <A href={`/responses/${encodeURIComponent(responseId())}`} data-testid="case-response">
                {t('complaints.detail.openResponse')}
              </A>
            </Row>
          )}
        </Show>
        <Show when={item().handlingScore !== null || item().resolvedAnswer !== null || item().buyAgainScore !== null}>
          <Row label={t('complaints.detail.handlingScore')}>{item().handlingScore ?? t('app.none')}</Row>
          <Row label={t('complaints.detail.resolvedAnswer')}>{item().resolvedAnswer ? t(`complaints.resolvedAnswers.${item().resolvedAnswer!}`) : t('app.none')}</Row>
          <Row label={t('complaints.detail.buyAgain')}>{item().buyAgainScore ?? t('app.none')}</Row>
        </Show>
        <Show when={item().customerConfirmed !== null}>
          <Row label={t('complaints.detail.customerConfirmed')}>
            {item().customerConfirmed ? t('complaints.detail.confirmedYes') : t('complaints.detail.confirmedNo')}
          </Row>
        </Show>
      </dl>
    </section>
  );
}

function EditDetails(props: { item: CaseDetail; settings: ComplaintSettings | null; change: Change; onDone: () => void }) {
  const [category, setCategory] = createSignal(props.item.category);
  const [severity, setSeverity] = createSignal<CaseSeverity>(props.item.severity);
  // Retired categories are not offered, except the one the case has.
  const categories = () => (props.settings?.categories ?? []).filter((each) => !each.retired || each.key === props.item.category);
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const ok = await props.change.run('edit', () =>
      complaintsApi.edit(props.item.id, {
        version: props.item.version,
        ...(category() !== props.item.category ? { category: category() } : {}),
        ...(severity() !== props.item.severity ? { severity: severity() } : {}),
      }),
    );
    if (ok) props.onDone();
  };
  return (
    <form class="edit-details" onSubmit={save} novalidate data-testid="edit-details-form">
      <Select
        label={t('complaints.detail.category')}
        name="editCategory"
        value={category()}
        options={categories().map((each) => ({ value: each.key, label: localized(each.label) }))}
        onChange={setCategory}
      />
      <Select
        label={t('complaints.detail.severity')}
        name="editSeverity"
        value={severity()}
        hint={t('complaints.detail.editHint')}
        options={caseSeverities.map((value) => ({ value, label: t(`complaints.severities.${value}`) }))}
        onChange={setSeverity}
      />
      <div class="actions">
        <button type="submit" class="button button-primary" data-testid="edit-details-save" disabled={props.change.busy() !== null}>
          {props.change.busy() === 'edit' ? t('complaints.detail.editSaving') : t('complaints.detail.editSave')}
        </button>
        <button type="button" class="button" onClick={() => props.onDone()}>
          {t('complaints.detail.editCancel')}
        </button>
      </div>
    </form>
  );
}

function CustomerCard(props: { item: CaseDetail }) {
  const item = () => props.item;
  const none = (value: string | null | undefined) => value ?? t('app.none');
  return (
    <section class="card" aria-labelledby="case-customer" data-testid="case-customer">
      <h2 id="case-customer">{t('complaints.detail.customer')}</h2>
      <Show when={item().personal} fallback={<p class="muted">{t('complaints.detail.personalHidden')}</p>}>
        <dl class="details">
          <Show when={item().customer}>
            {(customer) => (
              <Row label={t('complaints.detail.customer')}>
                <A href={`/customers/${encodeURIComponent(customer().id)}`} data-testid="case-customer-link">
                  {customerName(customer().name)}
                </A>
              </Row>
            )}
          </Show>
          <Row label={t('complaints.detail.contactName')}>{none(item().contactName)}</Row>
          <Row label={t('complaints.detail.contactEmail')}>{none(item().contactEmail ?? item().customer?.email)}</Row>
          <Row label={t('complaints.detail.contactPhone')}>{none(item().contactPhone ?? item().customer?.phone)}</Row>
        </dl>
      </Show>
      <dl class="details">
        <Row label={t('complaints.detail.consent')} testId="case-consent">
          {item().contactConsent && item().contactChannel
            ? t('complaints.detail.consentYes', { channel: t(`contactChannels.${item().contactChannel!}`) })
            : t('complaints.detail.consentNo')}
        </Row>
      </dl>
    </section>
  );
}

function Deadlines(props: { item: CaseDetail; settings: ComplaintSettings | null }) {
  const now = useNow();
  const marks = () => runningDeadlines(props.item);
  const missed = () => props.item.deadlinesMissed.map((deadline) => t(`complaints.deadlines.${deadline as 'resolution'}`)).join(locale() === 'en' ? ', ' : '、');
  return (
    <section class="card" aria-labelledby="case-deadlines" data-testid="case-deadlines">
      <h2 id="case-deadlines">{t('complaints.detail.deadlines')}</h2>
      <Show when={marks().length > 0} fallback={<p class="muted">{t('complaints.detail.noDeadlines')}</p>}>
        <ul class="deadline-list">
          <For each={marks()}>
            {(mark) => (
              <li data-testid="case-deadline" data-deadline={mark.deadline}>
                <span class="strong">{t(`complaints.deadlines.${mark.deadline}`)}</span>
                <span class="muted small block">
                  <time datetime={new Date(mark.dueAt).toISOString()}>{formatDateTime(new Date(mark.dueAt).toISOString())}</time>
                </span>
                <Show when={props.settings}>
                  {(loaded) => (
                    <TimeLeft reading={readDeadline((from, to) => businessMsBetween(loaded().calendar, from, to), props.item, mark, now())} />
                  )}
                </Show>
              </li>
            )}
          </For>
        </ul>
        <p class="muted small">{t('complaints.time.businessHours')}</p>
      </Show>
      <Show when={props.item.deadlinesMissed.length > 0}>
        <p class="time-breached" data-testid="case-missed">
          {t('complaints.detail.missedList', { list: missed() })}
        </p>
      </Show>
    </section>
  );
}

/** The status moves the workflow allows from here, each a button; the server has the last word. */
function Transitions(props: { item: CaseDetail; settings: ComplaintSettings | null; change: Change }) {
  const [confirming, setConfirming] = createSignal<StaffTransition | null>(null);
  const allowed = () =>
    staffTransitions.filter(
      (action) =>
        nextState(props.item, action, {
          now: Date.now(),
          by: 'staff',
          reopenWindowDays: props.settings?.reopenWindowDays ?? 14,
          closeAfterDays: props.settings?.closeAfterDays ?? 7,
        }).ok,
    );
  const confirmed: Partial<Record<StaffTransition, { title: string; body: string }>> = {
    escalate: { title: 'complaints.actions.escalateTitle', body: 'complaints.actions.escalateBody' },
    record_customer_left: { title: 'complaints.actions.leftTitle', body: 'complaints.actions.leftBody' },
    close: { title: 'complaints.actions.closeTitle', body: 'complaints.actions.closeBody' },
  };
  const perform = (action: StaffTransition) =>
    props.change.run(action, () => complaintsApi.transition(props.item.id, { action, version: props.item.version }));
  const press = (action: StaffTransition) => {
    if (confirmed[action]) setConfirming(action);
    else void perform(action);
  };
  return (
    <Show when={allowed().length > 0}>
      <section class="card" aria-labelledby="case-actions">
        <h2 id="case-actions">{t('complaints.detail.actions')}</h2>
        <div class="actions case-actions">
          <For each={allowed()}>
            {(action) => (
              <button
                type="button"
                class={`button ${action === 'resolve' ? 'button-primary' : action === 'record_customer_left' ? 'button-danger' : ''}`}
                data-testid={`action-${action}`}
                disabled={props.change.busy() !== null}
                onClick={() => press(action)}
              >
                {props.change.busy() === action ? t('complaints.actions.working') : t(`complaints.actions.${action}`)}
              </button>
            )}
          </For>
        </div>
        <ConfirmDialog
          open={confirming() !== null}
          title={confirming() ? t(confirmed[confirming()!]!.title as 'complaints.actions.closeTitle') : ''}
          confirmLabel={confirming() ? t(`complaints.actions.${confirming()!}`) : ''}
          confirmTestId="confirm-action"
          danger={confirming() === 'record_customer_left'}
          busy={props.change.busy() !== null}
          onCancel={() => setConfirming(null)}
          onConfirm={async () => {
            const action = confirming();
            if (!action) return;
            await perform(action);
            setConfirming(null);
          }}
        >
          <p>{confirming() ? t(confirmed[confirming()!]!.body as 'complaints.actions.closeBody') : ''}</p>
        </ConfirmDialog>
      </section>
    </Show>
  );
}

function Assign(props: { item: CaseDetail; change: Change }) {
  const [agents] = createResource(() => complaintsApi.agents().then((answer) => answer.agents));
  const [chosen, setChosen] = createSignal('');
  const me = () => currentUser()?.id ?? '';
  const assign = (assigneeId: string) =>
    props.change.run('assign', () => complaintsApi.assign(props.item.id, { assigneeId, version: props.item.version }));
  const open = () => props.item.status !== 'merged' && props.item.status !== 'closed';
  return (
    <section class="card" aria-labelledby="case-assignee" data-testid="case-assign">
      <h2 id="case-assignee">{t('complaints.detail.assignee')}</h2>
      <p data-testid="case-assignee">{props.item.assigneeName ?? t('complaints.list.unassigned')}</p>
      <Show when={open()}>
        <Show when={props.item.assigneeId !== me() && currentUser()?.role === 'support'}>
          <p>
            <button type="button" class="button" data-testid="assign-me" disabled={props.change.busy() !== null} onClick={() => void assign(me())}>
              {props.change.busy() === 'assign' ? t('complaints.detail.assigning') : t('complaints.detail.assignToMe')}
            </button>
          </p>
        </Show>
        <form
          class="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (chosen()) void assign(chosen()).then((ok) => ok && setChosen(''));
          }}
        >
          <Select
            label={props.item.assigneeId ? t('complaints.detail.reassign') : t('complaints.detail.assign')}
            name="assignee"
            value={chosen()}
            placeholder={t('complaints.bulk.choose')}
            options={(agents() ?? []).filter((agent) => agent.id !== props.item.assigneeId).map((agent) => ({ value: agent.id, label: agent.name }))}
            onChange={setChosen}
          />
          <button type="submit" class="button" data-testid="assign-submit" disabled={!chosen() || props.change.busy() !== null}>
            {props.item.assigneeId ? t('complaints.detail.reassign') : t('complaints.detail.assign')}
          </button>
        </form>
      </Show>
    </section>
  );
}

function ReplyBox(props: { item: CaseDetail; change: Change }) {
  const [macros] = createResource(() => complaintsApi.macros().then((answer) => answer.macros).catch(() => [] as Macro[]));
  const [body, setBody] = createSignal('');
  const [sent, setSent] = createSignal(false);
  const [empty, setEmpty] = createSignal(false);
  let textarea: HTMLTextAreaElement | undefined;
  // As the server decides: consent to be contacted, by email (or no channel named), and an address to write to.
  const canReply = () =>
    props.item.contactConsent &&
    (props.item.contactChannel === null || props.item.contactChannel === 'email') &&
    Boolean(props.item.contactEmail ?? props.item.customer?.email);
  const insert = (id: string) => {
    const macro = macros()?.find((each) => each.id === id);
    if (!macro) return;
    const text = macro.body[props.item.locale] || localized(macro.body);
    const current = body();
    const at = textarea?.selectionStart ?? current.length;
    const before = current.slice(0, at);
    const joiner = before === '' || before.endsWith('\n') ? '' : '\n';
    setBody(`${before}${joiner}${text}${current.slice(at)}`);
    setEmpty(false);
    textarea?.focus();
  };
  const send = async (event: SubmitEvent) => {
    event.preventDefault();
    setSent(false);
    if (body().trim() === '') {
      setEmpty(true);
      return;
    }
    const ok = await props.change.run('reply', () => complaintsApi.reply(props.item.id, { body: body(), version: props.item.version }));
    if (ok) {
      setBody('');
      setSent(true);
    }
  };
  return (
    <section class="card" aria-labelledby="case-reply" data-testid="case-reply">
      <h2 id="case-reply">{t('complaints.reply.title')}</h2>
      <Show
        when={canReply() && props.item.status !== 'closed' && props.item.status !== 'merged'}
        fallback={
          <p class="muted" data-testid="reply-unavailable">
            {props.item.status === 'merged'
              ? t('complaints.reply.merged')
              : props.item.status === 'closed'
                ? t('complaints.reply.finished')
                : t('complaints.reply.noEmail')}
          </p>
        }
      >
        <p class="muted small">{t('complaints.reply.hint', { language: t(`locales.${props.item.locale}`) })}</p>
        <form onSubmit={send} novalidate>
          <Show when={(macros() ?? []).length > 0} fallback={<p class="muted small">{t('complaints.reply.noMacros')}</p>}>
            <Select
              label={t('complaints.reply.macro')}
              name="macro"
              value=""
              placeholder={t('complaints.reply.chooseMacro')}
              options={(macros() ?? []).map((macro) => ({ value: macro.id, label: macro.name[locale()] || localized(macro.name) }))}
              onChange={insert}
            />
          </Show>
          <div class="field" classList={{ 'field-invalid': empty() }}>
            <label for="reply-body">{t('complaints.reply.label')}</label>
            <textarea
              id="reply-body"
              ref={textarea}
              name="reply"
              rows={6}
              lang={props.item.locale}
              value={body()}
              aria-invalid={empty() ? 'true' : undefined}
              aria-describedby={empty() ? 'reply-body-error' : undefined}
              onInput={(event) => {
                setBody(event.currentTarget.value);
                setEmpty(false);
              }}
            />
            <Show when={empty()}>
              <p class="field-error" id="reply-body-error">
                {t('complaints.reply.empty')}
              </p>
            </Show>
          </div>
          <div class="actions">
            <button type="submit" class="button button-primary" data-testid="reply-submit" disabled={props.change.busy() !== null}>
              {props.change.busy() === 'reply' ? t('complaints.reply.sending') : t('complaints.reply.submit')}
            </button>
            <span role="status" class="muted" data-testid="reply-sent">
              {sent() ? t('complaints.reply.sent') : ''}
            </span>
          </div>
        </form>
      </Show>
    </section>
  );
}

function NoteBox(props: { item: CaseDetail; change: Change }) {
  const [body, setBody] = createSignal('');
  const [empty, setEmpty] = createSignal(false);
  const add = async (event: SubmitEvent) => {
    event.preventDefault();
    if (body().trim() === '') {
      setEmpty(true);
      return;
    }
    const ok = await props.change.run('note', () => complaintsApi.note(props.item.id, { body: body() }));
    if (ok) setBody('');
  };
  return (
    <section class="card" aria-labelledby="case-note" data-testid="case-note">
      <h2 id="case-note">{t('complaints.note.title')}</h2>
      <form onSubmit={add} novalidate>
        <Field
          label={t('complaints.note.label')}
          name="note"
          multiline
          hint={t('complaints.note.hint')}
          value={body()}
          error={empty() ? t('complaints.note.empty') : undefined}
          onInput={(value) => {
            setBody(value);
            setEmpty(false);
          }}
        />
        <div class="actions">
          <button type="submit" class="button" data-testid="note-submit" disabled={props.change.busy() !== null}>
            {props.change.busy() === 'note' ? t('complaints.note.saving') : t('complaints.note.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

function StatusLink(props: { item: CaseDetail; change: Change }) {
  const [confirming, setConfirming] = createSignal(false);
  const [replaced, setReplaced] = createSignal(false);
  return (
    <section class="card" aria-labelledby="case-status-link" data-testid="case-status-link">
      <h2 id="case-status-link">{t('complaints.statusLink.title')}</h2>
      <p class="muted small">{t('complaints.statusLink.hint')}</p>
      <button type="button" class="button" data-testid="replace-status-link" disabled={props.change.busy() !== null} onClick={() => setConfirming(true)}>
        {props.change.busy() === 'status-link' ? t('complaints.statusLink.replacing') : t('complaints.statusLink.replace')}
      </button>
      <p role="status" class="muted small" data-testid="status-link-replaced">
        {replaced() ? t('complaints.statusLink.replaced') : ''}
      </p>
      <ConfirmDialog
        open={confirming()}
        title={t('complaints.statusLink.confirmTitle')}
        confirmLabel={t('complaints.statusLink.replace')}
        confirmTestId="confirm-status-link"
        busy={props.change.busy() !== null}
        onCancel={() => setConfirming(false)}
        onConfirm={async () => {
          const ok = await props.change.run('status-link', () => complaintsApi.renewStatusLink(props.item.id, { version: props.item.version }));
          setConfirming(false);
          setReplaced(ok);
        }}
      >
        <p>{t('complaints.statusLink.confirmBody')}</p>
      </ConfirmDialog>
    </section>
  );
}

function Merge(props: { item: CaseDetail; change: Change }) {
  const [reference, setReference] = createSignal('');
  const [problem, setProblem] = createSignal('');
  const [confirming, setConfirming] = createSignal<string | null>(null);
  const check = (event: SubmitEvent) => {
    event.preventDefault();
    const typed = parseReference(reference());
    if (!typed) return setProblem(t('complaints.merge.badReference'));
    if (typed === props.item.reference) return setProblem(t('complaints.merge.same'));
    setProblem('');
    setConfirming(typed);
  };
  return (
    <section class="card" aria-labelledby="case-merge" data-testid="case-merge">
      <h2 id="case-merge">{t('complaints.merge.title')}</h2>
      <p class="muted small">{t('complaints.merge.hint')}</p>
      <form onSubmit={check} novalidate>
        <Field
          label={t('complaints.merge.reference')}
          name="mergeInto"
          hint={t('complaints.merge.referenceHint')}
          value={reference()}
          error={problem() || undefined}
          onInput={(value) => {
            setReference(value);
            setProblem('');
          }}
        />
        <button type="submit" class="button" data-testid="merge-submit" disabled={props.change.busy() !== null}>
          {props.change.busy() === 'merge' ? t('complaints.merge.merging') : t('complaints.merge.submit')}
        </button>
      </form>
      <ConfirmDialog
        open={confirming() !== null}
        title={t('complaints.merge.confirmTitle', { from: props.item.reference, into: confirming() ?? '' })}
        confirmLabel={t('complaints.merge.submit')}
        confirmTestId="confirm-merge"
        danger
        busy={props.change.busy() !== null}
        onCancel={() => setConfirming(null)}
        onConfirm={async () => {
          const into = confirming();
          if (!into) return;
          // The server finds the case by the reference typed; not finding one is said by the field.
          const ok = await props.change.run('merge', () => complaintsApi.merge(props.item.id, { intoId: into, version: props.item.version }));
          setConfirming(null);
          const caught = props.change.error();
          if (ok) setReference('');
          else if (caught instanceof ApiError && caught.fields.intoId) {
            setProblem(fieldMessage(caught.fields.intoId));
            props.change.clear();
          }
        }}
      >
        <p>{t('complaints.merge.confirmBody')}</p>
      </ConfirmDialog>
    </section>
  );
}

function History(props: { events: CaseEvent[]; settings: ComplaintSettings | null }) {
  // An assignment's "before" names the earlier assignee by id; the people cases go to name them, a list only
  // those who work cases may read (an interviewer's history names assignees as the event recorded them).
  const [agents] = createResource(
    () => worksCases() || undefined,
    () => complaintsApi.agents().then((answer) => answer.agents).catch(() => []),
  );
  const names = () => new Map<string, string>((agents() ?? []).map((agent) => [agent.id, agent.name]));
  return (
    <section class="card case-history" aria-labelledby="case-history" data-testid="case-history">
      <h2 id="case-history">{t('complaints.history.title')}</h2>
      <Show when={props.events.length > 0} fallback={<p class="muted">{t('complaints.history.empty')}</p>}>
        <ol class="case-history" aria-label={t('complaints.history.label')}>
          <For each={props.events}>{(event) => <HistoryEntry event={event} settings={props.settings} names={names()} />}</For>
        </ol>
      </Show>
    </section>
  );
}

function actorText(event: CaseEvent): string {
  if (event.actor === 'staff') return event.actorName ?? t('app.none');
  if (event.actor === 'customer') return t('complaints.history.customer');
  if (event.actor === 'integration') return event.actorName ?? t('complaints.history.integration');
  return t('complaints.history.system');
}

function HistoryEntry(props: { event: CaseEvent; settings: ComplaintSettings | null; names: Map<string, string> }) {
  const event = () => props.event;
  const words = (field: string, value: unknown): string =>
    field === 'assigneeId' && typeof value === 'string' ? (props.names.get(value) ?? value) : valueText(field, value, props.settings);
  const fieldName = (field: string) => {
    const key = `complaints.history.fields.${field}` as 'complaints.history.fields.status';
    return t(key) || field;
  };
  return (
    <li class={`history-entry history-${event().type}`} data-testid="history-entry" data-type={event().type}>
      <p class="history-head">
        <span class="strong">{actorText(event())}</span> {t(`complaints.history.events.${event().type}`)}
        <span class="muted small">
          {' · '}
          <time datetime={new Date(event().at).toISOString()}>{formatDateTime(new Date(event().at).toISOString())}</time>
          {' · '}
          {event().public ? t('complaints.history.public') : t('complaints.history.internal')}
        </span>
      </p>
      <Show when={changesOf(event().before, event().after).length > 0}>
        <ul class="history-changes">
          <For each={changesOf(event().before, event().after)}>
            {(change) => (
              <li>
                {change.from === undefined || change.from === null
                  ? t('complaints.history.set', { field: fieldName(change.field), to: words(change.field, change.to) })
                  : t('complaints.history.change', { field: fieldName(change.field), from: words(change.field, change.from), to: words(change.field, change.to) })}
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={event().body}>
        <p class="case-text history-body">{event().body}</p>
      </Show>
    </li>
  );
}

/** A value of a history entry in words: statuses, severities and the like by name, times as dates. */
function valueText(field: string, value: unknown, settings: ComplaintSettings | null): string {
  if (value === null || value === undefined || value === '') return t('complaints.history.nothing');
  if (typeof value === 'boolean') return value ? t('app.yes') : t('app.no');
  const text = String(value);
  const known: Record<string, string> = {
    status: `complaints.statuses.${text}`,
    severity: `complaints.severities.${text}`,
    channel: `complaints.channels.${text}`,
    outcome: `complaints.outcomes.${text}`,
    deadline: `complaints.deadlines.${text}`,
    alert: `complaints.alerts.${text}`,
    resolvedAnswer: `complaints.resolvedAnswers.${text}`,
    source: `complaints.sources.${text}`,
    reason: `complaints.history.reasons.${text}`,
    via: `complaints.history.via.${text}`,
    deadlines: `complaints.deadlines.${text}`,
  };
  if (Array.isArray(value)) return value.map((each) => valueText(field, each, settings)).join(locale() === 'en' ? ', ' : '、');
  if (field in known) return t(known[field] as 'complaints.title') || text;
  if (field === 'category') return categoryName(settings?.categories, text);
  if (field.endsWith('At') && typeof value === 'number') return formatDateTime(new Date(value).toISOString());
  return text;
}
