// /integrations (admins): API keys for other systems (the secret shown once), the events they reported and
// what came of each, and how to call the API.
import { A } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, on, Show } from 'solid-js';
import { formatDateTime, locale } from '../i18n.ts';
import { t } from './text.ts';
import { isAdmin } from '../session.ts';
import { createFormState } from '../forms.ts';
import { absoluteUrl, Async, ConfirmDialog, CopyButton, DataTable, EmptyState, ErrorMessage, Field, LoadMore, usePageTitle } from '../ui.tsx';
import { integrationsApi, type ApiKey, type EventPage, type IntegrationEventRow } from './api.ts';
import { customerName } from '../text.ts';

export default function IntegrationsPage() {
  usePageTitle(() => t('integrations.title'));
  return (
    <>
      <div class="page-header">
        <h1>{t('integrations.title')}</h1>
      </div>
      <Show when={isAdmin()} fallback={<p class="alert alert-info">{t('integrations.adminOnly')}</p>}>
        <p class="muted integrations-intro">{t('integrations.intro')}</p>
        <ApiKeys />
        <RecentEvents />
        <HowToCall />
      </Show>
    </>
  );
}

function ApiKeys() {
  const [keys, { refetch, mutate }] = createResource(async () => (await integrationsApi.keys()).keys);
  const [name, setName] = createSignal('');
  const [created, setCreated] = createSignal<{ key: ApiKey; secret: string } | null>(null);
  const form = createFormState();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    void form.run(async () => {
      const made = await integrationsApi.createKey(name());
      setCreated(made);
      setName('');
      mutate((list) => [made.key, ...(list ?? [])]);
    });
  };
  const replace = (updated: ApiKey) => mutate((list) => list?.map((key) => (key.id === updated.id ? updated : key)));

  return (
    <section class="card" aria-labelledby="api-keys-title">
      <h2 id="api-keys-title">{t('integrations.keysTitle')}</h2>
      <Show when={form.error()}>{(error) => <ErrorMessage error={error()} />}</Show>
      <form class="integration-key-form" onSubmit={submit} novalidate>
        <Field
          label={t('integrations.keyName')}
          hint={t('integrations.keyNameHint')}
          name="key-name"
          id="key-name"
          autocomplete="off"
          required
          value={name()}
          onInput={setName}
          error={form.fieldError('name')}
        />
        <button type="submit" class="button button-primary" data-testid="create-key" disabled={form.busy()}>
          {form.busy() ? t('integrations.creatingKey') : t('integrations.createKey')}
        </button>
      </form>
      <Show when={created()}>
        {(made) => (
          <div class="alert alert-warning integration-secret" data-testid="new-key" role="status">
            <p>
              <strong>{t('integrations.secretTitle', { name: made().key.name })}</strong>
            </p>
            <p>{t('integrations.secretWarning')}</p>
            <p class="integration-secret-line">
              <code data-testid="new-key-secret">{made().secret}</code> <CopyButton text={made().secret} />
            </p>
            <button type="button" class="button button-small" onClick={() => setCreated(null)}>
              {t('integrations.secretDone')}
            </button>
          </div>
        )}
      </Show>
      <Async resource={keys} onRetry={refetch}>
        {(list) => (
          <Show
            when={list.length > 0}
            fallback={<EmptyState testId="keys-empty" message={t('integrations.keysEmpty')} hint={t('integrations.keysEmptyHint')} />}
          >
            <KeyTable keys={list} onRevoked={replace} />
          </Show>
        )}
      </Async>
    </section>
  );
}

function KeyTable(props: { keys: ApiKey[]; onRevoked: (key: ApiKey) => void }) {
  const [confirming, setConfirming] = createSignal<ApiKey | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const revoke = async () => {
    const key = confirming();
    if (!key) return;
    setBusy(true);
    setError(null);
    try {
      props.onRevoked((await integrationsApi.revokeKey(key.id)).key);
      setConfirming(null);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <DataTable
        label={t('integrations.keysTableLabel')}
        class="integration-keys"
        headers={[
          t('integrations.colName'),
          t('integrations.colPrefix'),
          t('integrations.colCreated'),
          t('integrations.colLastUsed'),
          t('integrations.colState'),
          '',
        ]}
      >
        <For each={props.keys}>
          {(key) => (
            <tr data-testid="key-row" data-revoked={key.revokedAt ? 'true' : 'false'}>
              <td>{key.name}</td>
              <td class="nowrap">
                <code>{key.prefix}…</code>
              </td>
              <td class="nowrap">{formatDateTime(key.createdAt)}</td>
              <td class="nowrap">{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : t('integrations.never')}</td>
              <td class="nowrap">
                <Show when={key.revokedAt} fallback={<span class="badge badge-published">{t('integrations.active')}</span>}>
                  {(at) => (
                    <span class="badge badge-closed" title={formatDateTime(at())}>
                      {t('integrations.revoked')}
                    </span>
                  )}
                </Show>
              </td>
              <td>
                <Show when={!key.revokedAt}>
                  <button type="button" class="button button-small button-danger" data-testid="revoke-key" onClick={() => setConfirming(key)}>
                    {t('integrations.revoke')}
                  </button>
                </Show>
              </td>
            </tr>
          )}
        </For>
      </DataTable>
      <ConfirmDialog
        open={confirming() !== null}
        title={t('integrations.revokeTitle')}
        confirmLabel={busy() ? t('integrations.revoking') : t('integrations.revokeConfirm')}
        confirmTestId="confirm-revoke"
        busy={busy()}
        danger
        onConfirm={() => void revoke()}
        onCancel={() => {
          setConfirming(null);
          setError(null);
        }}
      >
        <p>{t('integrations.revokeBody', { name: confirming()?.name ?? '' })}</p>
        <Show when={error()}>{(caught) => <ErrorMessage error={caught()} />}</Show>
      </ConfirmDialog>
    </>
  );
}

function RecentEvents() {
  const [firstPage, { refetch }] = createResource(() => integrationsApi.events());
  return (
    <section class="card" aria-labelledby="events-title">
      <h2 id="events-title">{t('integrations.eventsTitle')}</h2>
      <Async resource={firstPage} onRetry={refetch}>
        {(page) => <EventsTable firstPage={page} />}
      </Async>
    </section>
  );
}

function outcomeOf(row: IntegrationEventRow): string {
  if (row.skipReason) return t(`integrations.skipReasons.${row.skipReason}`);
  if (row.delivery) return t(`integrations.deliveries.${row.delivery}`);
  return t('app.none');
}

function EventsTable(props: { firstPage: EventPage }) {
  const [more, setMore] = createSignal<EventPage[]>([]);
  createEffect(on(() => props.firstPage, () => setMore([]), { defer: true }));
  const rows = () => [...props.firstPage.events, ...more().flatMap((page) => page.events)];
  const nextBefore = () => (more().length ? more()[more().length - 1]!.nextBefore : props.firstPage.nextBefore);
  const loadMore = async (before: string) => setMore([...more(), await integrationsApi.events(before)]);
  return (
    <Show
      when={rows().length > 0}
      fallback={<EmptyState testId="events-empty" message={t('integrations.eventsEmpty')} hint={t('integrations.eventsEmptyHint')} />}
    >
      <DataTable
        label={t('integrations.eventsTableLabel')}
        class="integration-events"
        headers={[
          t('integrations.colEvent'),
          t('integrations.colType'),
          t('integrations.colCustomer'),
          t('integrations.colCampaign'),
          t('integrations.colStatus'),
          t('integrations.colInviteAt'),
          t('integrations.colOutcome'),
          t('integrations.colKey'),
        ]}
      >
        <For each={rows()}>
          {(row) => (
            <tr data-testid="event-row" data-status={row.status}>
              <td class="nowrap">
                <code>{row.externalId}</code>
              </td>
              <td class="nowrap">{row.type}</td>
              <td>
                <A href={`/customers/${encodeURIComponent(row.customerId)}`}>{customerName(row.customerName)}</A>
              </td>
              <td>
                <A href={`/campaigns/${encodeURIComponent(row.campaignId)}`}>{row.campaignName}</A>
              </td>
              <td class="nowrap">
                <span class={`event-status event-status-${row.status}`}>{t(`integrations.statuses.${row.status}`)}</span>
              </td>
              <td class="nowrap">{formatDateTime(row.inviteAt)}</td>
              <td data-testid="event-outcome">{outcomeOf(row)}</td>
              <td>{row.keyName}</td>
            </tr>
          )}
        </For>
      </DataTable>
      <LoadMore nextBefore={nextBefore()} load={loadMore} testId="events-more" />
    </Show>
  );
}

function HowToCall() {
  const [eventCampaigns, { refetch }] = createResource(async () => (await integrationsApi.eventCampaigns()).campaigns);
  const campaignId = () => eventCampaigns.latest?.[0]?.id ?? '<campaign id>';
  const customerCall = () =>
    [
      `curl -X PUT ${absoluteUrl('/api/v1/customers/C-1001')} \\`,
      `  -H "Authorization: Bearer sk_..." -H "Content-Type: application/json" \\`,
      `  -d '{"name":"Li Wei","email":"li.wei@example.com","locale":"zh-CN","preferredChannel":"email","consents":{"email":["survey"]}}'`,
    ].join('\n');
  const eventCall = () =>
    [
      `curl -X POST ${absoluteUrl('/api/v1/events')} \\`,
      `  -H "Authorization: Bearer sk_..." -H "Content-Type: application/json" \\`,
      `  -d '{"id":"order-5521","type":"purchase","customer":"C-1001","campaign":"${campaignId()}","occurredAt":"2026-05-01T09:30:00+08:00"}'`,
    ].join('\n');
  return (
    <section class="card integration-howto" aria-labelledby="howto-title">
      <h2 id="howto-title">{t('integrations.howToTitle')}</h2>
      <p>{t('integrations.howToIntro')}</p>
      <p>{t('integrations.howToCustomer')}</p>
      <pre tabindex="0" aria-label={t('integrations.howToCustomer')}>
        <code>{customerCall()}</code>
      </pre>
      <CopyButton text={customerCall()} />
      <p>{t('integrations.howToEvent')}</p>
      <pre tabindex="0" aria-label={t('integrations.howToEvent')}>
        <code>{eventCall()}</code>
      </pre>
      <CopyButton text={eventCall()} />
      <p>
        {t('integrations.howToReference')} <a href={`/api/v1/docs?lang=${locale()}`} rel="external" data-testid="api-reference">{t('integrations.referencePage')}</a>
        {' · '}
        <a href={`/api/v1/openapi.json?lang=${locale()}`} rel="external">{t('integrations.referenceDocument')}</a>
      </p>
      <h3>{t('integrations.eventCampaignsTitle')}</h3>
      <Async resource={eventCampaigns} onRetry={refetch}>
        {(list) => (
          <Show when={list.length > 0} fallback={<p class="muted" data-testid="no-event-campaigns">{t('integrations.noEventCampaigns')}</p>}>
            <DataTable
              label={t('integrations.eventCampaignsTitle')}
              headers={[t('integrations.colCampaign'), t('integrations.colCampaignId'), t('integrations.colTypes'), t('integrations.colDelay')]}
            >
              <For each={list}>
                {(campaign) => (
                  <tr data-testid="event-campaign-row">
                    <td>{campaign.name}</td>
                    <td class="nowrap">
                      <code class="integration-campaign-id">{campaign.id}</code>
                    </td>
                    <td>{campaign.eventTypes.length > 0 ? campaign.eventTypes.join(', ') : t('integrations.anyType')}</td>
                    <td class="nowrap">{t('integrations.delayHours', { hours: campaign.delayHours })}</td>
                  </tr>
                )}
              </For>
            </DataTable>
          </Show>
        )}
      </Async>
      <p class="muted">{t('integrations.howToNote')}</p>
    </section>
  );
}
