// /calls: the running phone campaigns, with what is left to call and what can be called now; for admins and
// managers, beside them, the thank-you and VIP calls waiting on the follow-up list.
import { A } from '@solidjs/router';
import { createResource, For, Show } from 'solid-js';
import { formatCount, localized } from '../i18n.ts';
import { t } from './text.ts';
import { Async, DataTable, EmptyState, usePageTitle } from '../ui.tsx';
import { phoneApi } from './api.ts';
import { FollowUpCallsItem } from '../followups/CallsItem.tsx';
import { canAuthor } from '../session.ts';

export default function CallListPage() {
  usePageTitle(() => t('phone.title'));
  const [list, { refetch }] = createResource(() => phoneApi.campaigns());
  return (
    <>
      <div class="page-header">
        <h1>{t('phone.title')}</h1>
      </div>
      <p class="muted">{t('phone.intro')}</p>
      <Show when={canAuthor()}>
        <FollowUpCallsItem />
      </Show>
      <Async resource={list} onRetry={refetch}>
        {(loaded) => (
          <Show
            when={loaded.campaigns.length > 0}
            fallback={<EmptyState message={t('phone.empty')} hint={t('phone.emptyHint')} testId="calls-empty" />}
          >
            <DataTable
              label={t('phone.tableLabel')}
              headers={[
                t('phone.colCampaign'),
                t('phone.colSurvey'),
                t('phone.colHours'),
                { label: t('phone.colOpen'), numeric: true },
                { label: t('phone.colDue'), numeric: true },
                { label: t('phone.colCompleted'), numeric: true },
                { label: t('phone.colRefused'), numeric: true },
              ]}
            >
              <For each={loaded.campaigns}>
                {(campaign) => (
                  <tr data-testid="call-campaign">
                    <td>
                      <A class="strong-link" href={`/calls/${encodeURIComponent(campaign.id)}`}>
                        {campaign.name}
                      </A>
                    </td>
                    <td>{campaign.surveyTitle ? localized(campaign.surveyTitle) : t('app.none')}</td>
                    <td>{t('phone.hours', campaign.callingHours)}</td>
                    <td class="numeric">{formatCount(campaign.open)}</td>
                    <td class="numeric" data-testid="due-now">
                      {formatCount(campaign.dueNow)}
                    </td>
                    <td class="numeric">{formatCount(campaign.completed)}</td>
                    <td class="numeric">{formatCount(campaign.refused)}</td>
                  </tr>
                )}
              </For>
            </DataTable>
          </Show>
        )}
      </Async>
    </>
  );
}
