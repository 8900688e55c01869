// /campaigns/:id: one campaign: its status and actions, the funnel, an email campaign's sending, the links its
// channel needs (letters, keying, call list, kiosk), and its customers: invited, completed or skipped and why.
import { A, useParams, useSearchParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, Match, on, onCleanup, Show, Switch } from 'solid-js';
import type { Audience } from '../../../server/campaigns/vocabulary.ts';
import { formatCount, localized } from '../i18n.ts';
import { t } from './text.ts';
import { canAuthor } from '../session.ts';
import { Async, ConfirmDialog, CopyButton, DataTable, EmptyState, ErrorMessage, LoadMore, Loading, usePageTitle } from '../ui.tsx';
import { campaignsApi, type CampaignDetail, type InvitationRow, type InvitationState, type SendingProgress } from './api.ts';
import { followsSending, hasAudience, mailHeld, sendingPercent } from './form.ts';
import { CampaignStatusBadge, FunnelNumbers, skipReasonText, TimeCell } from './parts.tsx';
import { customerName } from '../text.ts';

const pollMs = 2000;
const invitationStates = ['invited', 'completed', 'skipped'] as const satisfies readonly InvitationState[];

export default function CampaignPage() {
  const params = useParams<{ id: string }>();
  const [campaign, { refetch, mutate }] = createResource(
    () => params.id,
    async (id) => (await campaignsApi.get(id)).campaign,
  );
  usePageTitle(() => (campaign.state === 'ready' || campaign.state === 'refreshing' ? campaign.latest.name : t('campaigns.title')));

  // While invitations are being made or mail waits, the campaign is read again every few seconds.
  createEffect(() => {
    const current = campaign.latest;
    if (!current || !followsSending(current)) return;
    const timer = setTimeout(() => void refetch(), pollMs);
    onCleanup(() => clearTimeout(timer));
  });

  return (
    <Show when={canAuthor()} fallback={<p class="alert alert-info">{t('campaigns.managersOnly')}</p>}>
      <p class="breadcrumb">
        <A href="/campaigns">← {t('campaigns.detail.back')}</A>
      </p>
      {/* Not Async: the view stays in place (dialogs, loaded pages) while the campaign is read again. */}
      <Switch fallback={<Loading />}>
        <Match when={campaign.state === 'errored'}>
          <ErrorMessage error={campaign.error} onRetry={refetch} />
        </Match>
        <Match when={campaign.state === 'ready' || campaign.state === 'refreshing'}>
          <CampaignView campaign={campaign.latest!} onChange={(next) => mutate(next)} />
        </Match>
      </Switch>
    </Show>
  );
}

function CampaignView(props: { campaign: CampaignDetail; onChange: (campaign: CampaignDetail) => void }) {
  const c = () => props.campaign;
  const campaignPath = () => `/campaigns/${encodeURIComponent(c().id)}`;
  return (
    <article data-testid="campaign" data-status={c().status}>
      <div class="page-header">
        <div>
          <h1 data-testid="campaign-name">{c().name}</h1>
          <p class="campaign-meta">
            <CampaignStatusBadge status={c().status} /> <span>{t(`campaigns.deliveries.${c().delivery}`)}</span>
          </p>
        </div>
        <CampaignActions campaign={c()} onChange={props.onChange} editHref={`${campaignPath()}/edit`} />
      </div>
      <Show when={c().status === 'launching'}>
        <p class="alert alert-info" role="status" data-testid="launching-note">
          {t('campaigns.detail.launchingNote')}
        </p>
      </Show>
      <dl class="details campaign-details">
        <div>
          <dt>{t('campaigns.detail.survey')}</dt>
          <dd>
            {localized(c().surveyTitle)}
            <Show when={c().version}>{(version) => <span class="muted"> · {t('campaigns.detail.version', { n: version() })}</span>}</Show>
          </dd>
        </div>
        <Show when={hasAudience(c().delivery)}>
          <div>
            <dt>{t('campaigns.detail.audience')}</dt>
            <dd data-testid="campaign-audience">{describeAudience(c().audience)}</dd>
          </div>
        </Show>
        <SettingsDetails campaign={c()} />
        <div>
          <dt>{t('campaigns.detail.created')}</dt>
          <dd>
            <TimeCell iso={c().createdAt} />
          </dd>
        </div>
        <Show when={c().launchedAt}>
          <div>
            <dt>{t('campaigns.detail.launched')}</dt>
            <dd>
              <TimeCell iso={c().launchedAt} />
            </dd>
          </div>
        </Show>
        <Show when={c().closedAt}>
          <div>
            <dt>{t('campaigns.detail.closed')}</dt>
            <dd>
              <TimeCell iso={c().closedAt} />
            </dd>
          </div>
        </Show>
      </dl>
      <FunnelNumbers funnel={c().funnel} />
      <Show when={c().sending}>{(sending) => <SendingCard sending={sending()} />}</Show>
      <DeliveryLinks campaign={c()} />
      <Invitations campaign={c()} />
    </article>
  );
}

/** The settings a manager checks before launching, in a word or two each. */
function SettingsDetails(props: { campaign: CampaignDetail }) {
  const settings = () => props.campaign.settings;
  return (
    <>
      <Show when={props.campaign.delivery === 'email' && settings().reminders}>
        {(reminders) => (
          <div>
            <dt>{t('campaigns.form.reminders')}</dt>
            <dd>{t('campaigns.detail.remindersSummary', { max: reminders().max, days: reminders().afterDays })}</dd>
          </div>
        )}
      </Show>
      <Show when={props.campaign.delivery === 'phone' && settings().phone}>
        {(phone) => (
          <div>
            <dt>{t('campaigns.detail.calling')}</dt>
            <dd>
              {t('campaigns.detail.callingSummary', {
                start: phone().callingHours.start,
                end: phone().callingHours.end,
                max: phone().maxAttempts,
              })}
            </dd>
          </div>
        )}
      </Show>
      <Show when={props.campaign.delivery === 'post' && settings().post}>
        {(post) => (
          <div>
            <dt>{t('campaigns.form.doubleKeying')}</dt>
            <dd>{post().doubleKeying ? t('app.yes') : t('app.no')}</dd>
          </div>
        )}
      </Show>
      <Show when={props.campaign.delivery === 'kiosk' && settings().kiosk}>
        {(kiosk) => (
          <div>
            <dt>{t('campaigns.form.location')}</dt>
            <dd data-testid="kiosk-location">{kiosk().location}</dd>
          </div>
        )}
      </Show>
      <Show when={props.campaign.delivery === 'event' && settings().event}>
        {(event) => (
          <div>
            <dt>{t('campaigns.form.eventTypes')}</dt>
            <dd>
              {event().eventTypes.length ? event().eventTypes.join(', ') : t('campaigns.detail.everyEvent')} ·{' '}
              {t('campaigns.detail.delaySummary', { hours: event().delayHours })}
            </dd>
          </div>
        )}
      </Show>
    </>
  );
}

function describeAudience(audience: Audience | null): string {
  if (!audience) return t('app.none');
  const parts = [
    audience.q ? `${t('campaigns.form.search')}: “${audience.q}”` : '',
    audience.segment ? `${t('customerFields.segment')}: ${audience.segment}` : '',
    audience.region ? `${t('customerFields.region')}: ${audience.region}` : '',
    audience.tier ? `${t('customerFields.tier')}: ${t(`tiers.${audience.tier}`)}` : '',
    audience.kind ? `${t('customerFields.kind')}: ${t(`customerKinds.${audience.kind}`)}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : t('campaigns.detail.allCustomers');
}

function CampaignActions(props: { campaign: CampaignDetail; onChange: (campaign: CampaignDetail) => void; editHref: string }) {
  const [dialog, setDialog] = createSignal<'launch' | 'close' | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  // The count is taken when the dialog opens, so the manager confirms the number that will be invited now.
  const [matching] = createResource(
    () => (dialog() === 'launch' && hasAudience(props.campaign.delivery) ? JSON.stringify(props.campaign.audience ?? {}) : null),
    (audience) => campaignsApi.audiencePreview(JSON.parse(audience) as Audience),
  );

  const run = async (action: 'launch' | 'close') => {
    setBusy(true);
    setError(null);
    try {
      const { campaign } = action === 'launch' ? await campaignsApi.launch(props.campaign.id) : await campaignsApi.close(props.campaign.id);
      props.onChange(campaign);
      setDialog(null);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div class="actions">
        <Show when={props.campaign.status === 'draft'}>
          <A href={props.editHref} class="button" data-testid="edit-campaign">
            {t('campaigns.detail.edit')}
          </A>
          <button type="button" class="button button-primary" data-testid="launch-campaign" onClick={() => setDialog('launch')}>
            {t('campaigns.detail.launch')}
          </button>
        </Show>
        <Show when={props.campaign.status === 'running' || props.campaign.status === 'launching'}>
          <button type="button" class="button button-danger" data-testid="close-campaign" onClick={() => setDialog('close')}>
            {t('campaigns.detail.close')}
          </button>
        </Show>
      </div>
      <ConfirmDialog
        open={dialog() === 'launch'}
        title={t('campaigns.detail.launchTitle')}
        confirmLabel={busy() ? t('campaigns.detail.launching') : t('campaigns.detail.launchConfirm')}
        confirmTestId="confirm-launch"
        busy={busy()}
        onConfirm={() => void run('launch')}
        onCancel={() => {
          setDialog(null);
          setError(null);
        }}
      >
        <Show when={hasAudience(props.campaign.delivery)} fallback={<p>{t('campaigns.detail.launchNoAudience')}</p>}>
          <p data-testid="launch-audience">
            <Show when={matching.state === 'ready' && matching()} fallback={t('campaigns.form.counting')}>
              {(loaded) => t('campaigns.detail.launchAudience', { n: loaded().matching })}
            </Show>
          </p>
          <p class="muted">{t('campaigns.detail.launchFinal')}</p>
        </Show>
        <Show when={error()}>{(caught) => <ErrorMessage error={caught()} />}</Show>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog() === 'close'}
        title={t('campaigns.detail.closeTitle')}
        confirmLabel={busy() ? t('campaigns.detail.closing') : t('campaigns.detail.closeConfirm')}
        confirmTestId="confirm-close"
        danger
        busy={busy()}
        onConfirm={() => void run('close')}
        onCancel={() => {
          setDialog(null);
          setError(null);
        }}
      >
        <p>{t('campaigns.detail.closeBody')}</p>
        <Show when={error()}>{(caught) => <ErrorMessage error={caught()} />}</Show>
      </ConfirmDialog>
    </>
  );
}

function SendingCard(props: { sending: SendingProgress }) {
  const s = () => props.sending;
  return (
    <section class="card campaign-sending" aria-labelledby="campaign-sending" data-testid="campaign-sending">
      <h2 id="campaign-sending">{t('campaigns.detail.sending')}</h2>
      <progress
        class="campaign-progress"
        max={100}
        value={sendingPercent(s())}
        aria-label={t('campaigns.detail.sending')}
        data-testid="sending-progress"
      />
      <p data-testid="sending-text">{t('campaigns.detail.sendingProgress', { sent: s().sent, total: s().total })}</p>
      <Show when={s().failed > 0}>
        <p class="field-error">
          {t('campaigns.detail.sendingFailed', { n: s().failed })} <A href="/outbox?status=failed">{t('campaigns.detail.openOutbox')}</A>
        </p>
      </Show>
      <Show when={s().skipped > 0}>
        <p data-testid="sending-skipped">
          {t('campaigns.detail.sendingSkipped', { n: s().skipped })} <A href="/outbox?status=skipped">{t('campaigns.detail.openOutbox')}</A>
        </p>
      </Show>
      <Show when={mailHeld(s())}>
        <div class="alert alert-warning" data-testid="mail-held">
          <p>
            <strong>{t('campaigns.detail.held')}</strong>
          </p>
          <p>
            {t('campaigns.detail.heldHint', { n: s().held })} <A href="/outbox">{t('campaigns.detail.openOutbox')}</A>
          </p>
        </div>
      </Show>
    </section>
  );
}

function DeliveryLinks(props: { campaign: CampaignDetail }) {
  const id = () => encodeURIComponent(props.campaign.id);
  const kioskUrl = () => (props.campaign.kioskPath ? new URL(props.campaign.kioskPath, location.origin).href : '');
  return (
    <Show when={props.campaign.delivery !== 'email' && props.campaign.delivery !== 'event'}>
      <div class="actions campaign-links" data-testid="campaign-links">
        <Show when={props.campaign.delivery === 'post'}>
          <a href={campaignsApi.lettersHref(props.campaign.id)} class="button" data-testid="letters-link">
            {t('campaigns.detail.letters')}
          </a>
          <A href={`/keying?campaign=${id()}`} class="button" data-testid="keying-link">
            {t('campaigns.detail.keying')}
          </A>
        </Show>
        <Show when={props.campaign.delivery === 'phone'}>
          <A href={`/calls/${id()}`} class="button" data-testid="call-list-link">
            {t('campaigns.detail.callList')}
          </A>
        </Show>
        <Show when={props.campaign.delivery === 'kiosk'}>
          <A href={`/kiosks/${id()}`} class="button" data-testid="kiosk-page-link">
            {t('campaigns.detail.kiosk')}
          </A>
          <Show when={props.campaign.kioskPath}>
            <span class="public-link">
              <span class="muted">{t('campaigns.detail.kioskLink')}: </span>
              <a href={kioskUrl()} target="_blank" rel="noopener" data-testid="kiosk-link">
                {kioskUrl()}
              </a>{' '}
              <CopyButton text={kioskUrl()} />
            </span>
          </Show>
        </Show>
      </div>
    </Show>
  );
}

function Invitations(props: { campaign: CampaignDetail }) {
  const [params, setParams] = useSearchParams<{ show?: string }>();
  const state = (): InvitationState => invitationStates.find((option) => option === params.show) ?? 'invited';
  const [rule] = createResource(async () => (await campaignsApi.contactRule()).rule);
  // The first page is read again whenever the campaign's numbers move (launch finishing, answers coming in).
  const key = () => {
    const f = props.campaign.funnel;
    return `${state()}|${props.campaign.status}:${f.invited}:${f.skipped}:${f.completed}`;
  };
  const [firstPage, { refetch }] = createResource(key, (chosen) =>
    campaignsApi.invitations(props.campaign.id, chosen.split('|')[0] as InvitationState),
  );
  return (
    <section class="section" aria-labelledby="campaign-invitations">
      <h2 id="campaign-invitations">{t('campaigns.detail.invitations')}</h2>
      <div class="segmented" role="group" aria-label={t('campaigns.detail.stateFilter')}>
        <For each={invitationStates}>
          {(option) => (
            <button
              type="button"
              aria-pressed={state() === option}
              data-testid={`invitations-tab-${option}`}
              onClick={() => setParams({ show: option === 'invited' ? undefined : option })}
            >
              {t(`campaigns.detail.states.${option}`)}
              <span class="count"> ({option === 'invited' ? props.campaign.funnel.invited : option === 'completed' ? props.campaign.funnel.completed : props.campaign.funnel.skipped})</span>
            </button>
          )}
        </For>
      </div>
      <Async resource={firstPage} onRetry={refetch}>
        {(page) => (
          <InvitationTable
            campaignId={props.campaign.id}
            delivery={props.campaign.delivery}
            state={state()}
            first={page.invitations}
            nextBefore={page.nextBefore}
            rule={rule()}
          />
        )}
      </Async>
    </section>
  );
}

function InvitationTable(props: {
  campaignId: string;
  delivery: CampaignDetail['delivery'];
  state: InvitationState;
  first: InvitationRow[];
  nextBefore: string | null;
  rule: { minDaysBetween: number; postPerYear: number } | undefined;
}) {
  const [more, setMore] = createSignal<InvitationRow[]>([]);
  const [nextBefore, setNextBefore] = createSignal(props.nextBefore);
  createEffect(
    on(
      () => props.first,
      () => {
        setMore([]);
        setNextBefore(props.nextBefore);
      },
      { defer: true },
    ),
  );
  const rows = () => [...props.first, ...more()];
  const loadMore = async (before: string) => {
    const page = await campaignsApi.invitations(props.campaignId, props.state, before);
    setMore([...more(), ...page.invitations]);
    setNextBefore(page.nextBefore);
  };
  const skipped = () => props.state === 'skipped';
  const headers = () =>
    skipped()
      ? [t('campaigns.detail.colCustomer'), t('campaigns.detail.colReason'), t('campaigns.detail.colInvited')]
      : [
          t('campaigns.detail.colCustomer'),
          t('campaigns.detail.colCode'),
          t('campaigns.detail.colInvited'),
          t('campaigns.detail.colDelivered'),
          t('campaigns.detail.colOpened'),
          t('campaigns.detail.colCompleted'),
          { label: props.delivery === 'phone' ? t('campaigns.detail.colCalls') : t('campaigns.detail.colReminders'), numeric: true as const },
        ];
  return (
    <Show
      when={rows().length > 0}
      fallback={
        <EmptyState
          testId="invitations-empty"
          message={t(`campaigns.detail.emptyState.${props.state}`)}
          hint={t(`campaigns.detail.emptyHint.${props.state}`)}
        />
      }
    >
      <DataTable label={t('campaigns.detail.invitationsLabel')} class="invitations-table" headers={headers()}>
        <For each={rows()}>
          {(row) => (
            <tr data-testid="invitation-row" data-customer-id={row.customerId}>
              <td class="cell-wide">
                <A href={`/customers/${encodeURIComponent(row.customerId)}`} class="strong-link">
                  {customerName(row.customerName)}
                </A>
                <Show when={row.unsubscribedAt}>
                  <span class="muted small block">{t('campaigns.detail.unsubscribed')}</span>
                </Show>
              </td>
              <Show
                when={!skipped()}
                fallback={
                  <>
                    <td data-testid="skip-reason">{row.skipReason ? skipReasonText(row.skipReason, props.rule) : t('app.none')}</td>
                    <td class="nowrap">
                      <TimeCell iso={row.invitedAt} />
                    </td>
                  </>
                }
              >
                <td class="nowrap">
                  <code>{row.code ?? t('app.none')}</code>
                </td>
                <td class="nowrap">
                  <TimeCell iso={row.invitedAt} />
                </td>
                <td class="nowrap">
                  <TimeCell iso={row.deliveredAt} />
                </td>
                <td class="nowrap">
                  <TimeCell iso={row.openedAt} />
                </td>
                <td class="nowrap">
                  <TimeCell iso={row.completedAt} />
                </td>
                <td class="numeric">{formatCount(row.delivery === 'phone' ? row.callAttempts : row.remindersSent)}</td>
              </Show>
            </tr>
          )}
        </For>
      </DataTable>
      <LoadMore nextBefore={nextBefore()} load={loadMore} testId="invitations-load-more" />
    </Show>
  );
}
