// /campaigns: every campaign newest first with how far it got, the response by survey channel across all of
// them, and the contact rule every campaign follows (admins change it here; managers read it).
import { A } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { ApiError } from '../request.ts';
import { formatCount, localized } from '../i18n.ts';
import { t } from './text.ts';
import { canAuthor, isAdmin } from '../session.ts';
import { Async, DataTable, EmptyState, ErrorMessage, Field, fieldMessage, LoadMore, usePageTitle } from '../ui.tsx';
import { campaignsApi, type CampaignSummary, type FunnelRow } from './api.ts';
import { formatRate, numberOrText } from './form.ts';
import { CampaignStatusBadge } from './parts.tsx';

export default function CampaignsPage() {
  usePageTitle(() => t('campaigns.title'));
  return (
    <Show when={canAuthor()} fallback={<p class="alert alert-info">{t('campaigns.managersOnly')}</p>}>
      <div class="page-header">
        <div>
          <h1>{t('campaigns.title')}</h1>
          <p class="muted">{t('campaigns.intro')}</p>
        </div>
        <div class="actions">
          <A href="/campaigns/new" class="button button-primary" data-testid="new-campaign">
            {t('campaigns.new')}
          </A>
        </div>
      </div>
      <CampaignList />
      <ChannelFunnel />
      <ContactRuleCard />
    </Show>
  );
}

function CampaignList() {
  const [firstPage, { refetch }] = createResource(() => campaignsApi.list());
  return (
    <Async resource={firstPage} onRetry={refetch}>
      {(page) => <CampaignTable first={page.campaigns} nextBefore={page.nextBefore} />}
    </Async>
  );
}

function CampaignTable(props: { first: CampaignSummary[]; nextBefore: string | null }) {
  // The table starts from the first page; later pages are appended.
  const [more, setMore] = createSignal<CampaignSummary[]>([]);
  const [nextBefore, setNextBefore] = createSignal(props.nextBefore);
  const rows = () => [...props.first, ...more()];
  const loadMore = async (before: string) => {
    const page = await campaignsApi.list(before);
    setMore([...more(), ...page.campaigns]);
    setNextBefore(page.nextBefore);
  };
  return (
    <Show
      when={rows().length > 0}
      fallback={<EmptyState testId="campaigns-empty" message={t('campaigns.empty')} hint={t('campaigns.emptyHint')} />}
    >
      <DataTable
        label={t('campaigns.tableLabel')}
        class="campaigns-table"
        headers={[
          t('campaigns.colName'),
          t('campaigns.colSurvey'),
          t('campaigns.colChannel'),
          t('campaigns.colStatus'),
          { label: t('campaigns.colInvited'), numeric: true },
          { label: t('campaigns.colCompleted'), numeric: true },
          { label: t('campaigns.colRate'), numeric: true },
        ]}
      >
        <For each={rows()}>
          {(campaign) => (
            <tr data-testid="campaign-row" data-campaign-id={campaign.id}>
              <td class="cell-wide">
                <A href={`/campaigns/${encodeURIComponent(campaign.id)}`} class="strong-link">
                  {campaign.name}
                </A>
              </td>
              <td>{localized(campaign.surveyTitle)}</td>
              <td class="nowrap">{t(`campaigns.deliveries.${campaign.delivery}`)}</td>
              <td>
                <CampaignStatusBadge status={campaign.status} />
              </td>
              <td class="numeric">{formatCount(campaign.funnel.invited)}</td>
              <td class="numeric">{formatCount(campaign.funnel.completed)}</td>
              <td class="numeric">{formatRate(campaign.funnel.responseRate, t('app.none'))}</td>
            </tr>
          )}
        </For>
      </DataTable>
      <LoadMore nextBefore={nextBefore()} load={loadMore} testId="campaigns-load-more" />
    </Show>
  );
}

function ChannelFunnel() {
  const [funnel, { refetch }] = createResource(() => campaignsApi.funnel());
  const count = (value: number | null) => (value === null ? t('app.none') : formatCount(value));
  return (
    <section class="section" aria-labelledby="campaigns-by-channel">
      <h2 id="campaigns-by-channel">{t('campaigns.byChannel')}</h2>
      <p class="muted">{t('campaigns.byChannelHint')}</p>
      <Async resource={funnel} onRetry={refetch}>
        {(loaded) => (
          <Show when={loaded.rows.length > 0} fallback={<p class="muted">{t('campaigns.byChannelEmpty')}</p>}>
            <DataTable
              label={t('campaigns.byChannelLabel')}
              class="channel-funnel-table"
              headers={[
                t('campaigns.colChannel'),
                t('campaigns.colReachedBy'),
                { label: t('campaigns.funnel.invited'), numeric: true },
                { label: t('campaigns.funnel.skipped'), numeric: true },
                { label: t('campaigns.funnel.opened'), numeric: true },
                { label: t('campaigns.funnel.completed'), numeric: true },
                { label: t('campaigns.funnel.responseRate'), numeric: true },
              ]}
            >
              <For each={loaded.rows}>
                {(row: FunnelRow) => (
                  <tr data-testid="channel-funnel-row" data-channel={row.channel} data-delivery={row.delivery ?? ''}>
                    <td class="nowrap">{t(`channels.${row.channel}`)}</td>
                    <td class="nowrap">{row.delivery ? t(`campaigns.deliveries.${row.delivery}`) : t('app.none')}</td>
                    <td class="numeric">{count(row.invited)}</td>
                    <td class="numeric">{count(row.skipped)}</td>
                    <td class="numeric">{count(row.opened)}</td>
                    <td class="numeric">{formatCount(row.completed)}</td>
                    <td class="numeric">{formatRate(row.responseRate, t('app.none'))}</td>
                  </tr>
                )}
              </For>
            </DataTable>
          </Show>
        )}
      </Async>
    </section>
  );
}

function ContactRuleCard() {
  const [rule, { refetch, mutate }] = createResource(async () => (await campaignsApi.contactRule()).rule);
  const [days, setDays] = createSignal<string | null>(null);
  const [postal, setPostal] = createSignal<string | null>(null);
  const [saving, setSaving] = createSignal(false);
  const [saved, setSaved] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const fields = () => {
    const caught = error();
    return caught instanceof ApiError ? caught.fields : {};
  };

  const save = async (current: { minDaysBetween: number; postPerYear: number }) => {
    setSaving(true);
    setSaved(false);
    setError(null);
    try {
      const answer = await campaignsApi.setContactRule({
        minDaysBetween: numberOrText(days() ?? String(current.minDaysBetween)) as number,
        postPerYear: numberOrText(postal() ?? String(current.postPerYear)) as number,
      });
      mutate(answer.rule);
      setDays(null);
      setPostal(null);
      setSaved(true);
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="card contact-rule" aria-labelledby="contact-rule-title" data-testid="contact-rule">
      <h2 id="contact-rule-title">{t('campaigns.contactRule.title')}</h2>
      <p class="muted">{t('campaigns.contactRule.hint')}</p>
      <Async resource={rule} onRetry={refetch}>
        {(current) => (
          <Show
            when={isAdmin()}
            fallback={
              <>
                <p data-testid="contact-rule-summary">
                  {t('campaigns.contactRule.summary', { days: current.minDaysBetween, post: current.postPerYear })}
                </p>
                <p class="muted small">{t('campaigns.contactRule.adminOnly')}</p>
              </>
            }
          >
            <form
              class="contact-rule-form"
              novalidate
              onSubmit={(event) => {
                event.preventDefault();
                void save(current);
              }}
            >
              <div class="grid-2">
                <Field
                  label={t('campaigns.contactRule.minDaysBetween')}
                  name="minDaysBetween"
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={365}
                  hint={t('campaigns.contactRule.minDaysBetweenHint')}
                  value={days() ?? String(current.minDaysBetween)}
                  onInput={setDays}
                  error={fieldMessage(fields().minDaysBetween) || undefined}
                />
                <Field
                  label={t('campaigns.contactRule.postPerYear')}
                  name="postPerYear"
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={12}
                  hint={t('campaigns.contactRule.postPerYearHint')}
                  value={postal() ?? String(current.postPerYear)}
                  onInput={setPostal}
                  error={fieldMessage(fields().postPerYear) || undefined}
                />
              </div>
              <Show when={error() && Object.keys(fields()).length === 0}>
                <ErrorMessage error={error()} />
              </Show>
              <div class="actions">
                <button type="submit" class="button button-primary" disabled={saving()} data-testid="save-contact-rule">
                  {saving() ? t('campaigns.contactRule.saving') : t('campaigns.contactRule.save')}
                </button>
                <span role="status" class="muted" data-testid="contact-rule-saved">
                  {saved() ? t('campaigns.contactRule.saved') : ''}
                </span>
              </div>
            </form>
          </Show>
        )}
      </Async>
    </section>
  );
}
