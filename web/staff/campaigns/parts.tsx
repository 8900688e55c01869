// Pieces the campaign pages share: the status badge, the funnel as a row of numbers, a skip reason as a
// sentence, and times.
import { For, Show } from 'solid-js';
import type { CampaignStatus, SkipReason } from '../../../server/campaigns/vocabulary.ts';
import { formatCount, formatDateTime } from '../i18n.ts';
import { t } from './text.ts';
import { formatRate } from './form.ts';
import type { Funnel } from './api.ts';

export function CampaignStatusBadge(props: { status: CampaignStatus }) {
  return (
    <span class={`badge badge-campaign-${props.status}`} data-testid="campaign-status" data-status={props.status}>
      {t(`campaigns.statuses.${props.status}`)}
    </span>
  );
}

export function TimeCell(props: { iso: string | null | undefined }) {
  return (
    <Show when={props.iso} fallback={t('app.none')}>
      {(iso) => <time datetime={iso()}>{formatDateTime(iso())}</time>}
    </Show>
  );
}

const funnelSteps = ['audience', 'skipped', 'invited', 'delivered', 'opened', 'started', 'completed'] as const;

/** The funnel from audience to completed, then the response rate, as one row of labelled numbers. */
export function FunnelNumbers(props: { funnel: Funnel }) {
  return (
    <dl class="campaign-funnel" aria-label={t('campaigns.funnel.label')} data-testid="campaign-funnel">
      <For each={funnelSteps}>
        {(step) => (
          <div data-testid={`funnel-${step}`}>
            <dt>{t(`campaigns.funnel.${step}`)}</dt>
            <dd>{formatCount(props.funnel[step])}</dd>
          </div>
        )}
      </For>
      <div class="campaign-funnel-rate" data-testid="funnel-rate">
        <dt>{t('campaigns.funnel.responseRate')}</dt>
        <dd>{formatRate(props.funnel.responseRate, t('app.none'))}</dd>
      </div>
    </dl>
  );
}

/** Why a customer was not invited, as a manager would say it. */
export function skipReasonText(reason: SkipReason, rule: { minDaysBetween: number; postPerYear: number } | undefined): string {
  if (reason === 'contacted_recently') return t('campaigns.skipReasons.contacted_recently', { days: rule?.minDaysBetween ?? 30 });
  if (reason === 'post_limit') return t('campaigns.skipReasons.post_limit', { count: rule?.postPerYear ?? 2 });
  return t(`campaigns.skipReasons.${reason}`);
}
