// The customer page's timeline: everything with the customer, newest first, a page at a time.
import { A } from '@solidjs/router';
import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { formatDateTime, localized, locale } from '../i18n.ts';
import { Async, LoadMore } from '../ui.tsx';
import { customersApi, type TimelineItem, type TimelinePage } from './api.ts';
import { formatMoney } from './LoyaltyPanel.tsx';
import { plainKey } from './loyalty.ts';
import { t } from './text.ts';

export function CustomerTimeline(props: { customerId: string }) {
  const [firstPage, { refetch }] = createResource(() => props.customerId, (id) => customersApi.timeline(id));
  return (
    <section class="card" aria-labelledby="customer-timeline" data-testid="customer-timeline">
      <h2 id="customer-timeline">{t('timeline.title')}</h2>
      <p class="muted small">{t('timeline.hint')}</p>
      <Async resource={firstPage} onRetry={refetch}>
        {(page) => <TimelineList customerId={props.customerId} firstPage={page} />}
      </Async>
    </section>
  );
}

function TimelineList(props: { customerId: string; firstPage: TimelinePage }) {
  const [more, setMore] = createSignal<TimelinePage[]>([]);
  const items = (): TimelineItem[] => [...props.firstPage.items, ...more().flatMap((page) => page.items)];
  const nextBefore = () => (more().length ? more().at(-1)!.nextBefore : props.firstPage.nextBefore);
  const loadMore = async (before: string) => setMore([...more(), await customersApi.timeline(props.customerId, before)]);
  return (
    <Show when={items().length > 0} fallback={<p class="empty" data-testid="timeline-empty">{t('timeline.empty')}</p>}>
      <ol class="timeline" aria-label={t('timeline.label')}>
        <For each={items()}>
          {(item) => (
            <li class="timeline-entry" data-testid="timeline-entry" data-kind={item.kind}>
              <time datetime={item.at} class="muted small">
                {formatDateTime(item.at)}
              </time>
              <span class={`badge timeline-kind timeline-kind-${item.kind}`}>{t(`timeline.kinds.${item.kind}`)}</span>
              <span class="timeline-text">{describe(item)}</span>
            </li>
          )}
        </For>
      </ol>
      <LoadMore nextBefore={nextBefore()} load={loadMore} testId="timeline-more" label={t('timeline.more')} />
    </Show>
  );
}

const separator = () => (locale() === 'zh-CN' ? '，' : ', ');
const joined = (...parts: (string | null | undefined | false)[]) => parts.filter(Boolean).join(separator());

/** A loyalty value as words: a stage, a tier, or the flag's state. */
function loyaltyValue(field: string, value: string | null): string {
  if (value === null) return '—';
  if (field === 'stage') return t(`loyalty.stages.${value as 'new'}`) ?? plainKey(value);
  if (field === 'tier') return t(`tiers.${value as 'vip'}`) ?? plainKey(value);
  return value;
}

const reasonWords = (reason: string): string =>
  (t(`loyalty.atRiskReasons.${reason as 'low_attitude'}`) as string | undefined) ?? (t(`timeline.reasons.${reason as 'set_by_hand'}`) as string | undefined) ?? plainKey(reason);

function describeLoyalty(item: Extract<TimelineItem, { kind: 'loyalty' }>): string {
  let what: string;
  if (item.field === 'stage') {
    what = item.before ? t('timeline.stageMove', { from: loyaltyValue('stage', item.before), to: loyaltyValue('stage', item.after) }) : t('timeline.stageFirst', { to: loyaltyValue('stage', item.after) });
  } else if (item.field === 'tier') {
    what = item.before && item.before !== item.after ? t('timeline.tierMove', { from: loyaltyValue('tier', item.before), to: loyaltyValue('tier', item.after) }) : t('timeline.tierFirst', { to: loyaltyValue('tier', item.after) });
  } else if (item.field === 'at_risk') {
    what = item.after === 'true' ? t('timeline.atRiskOn') : t('timeline.atRiskOff');
  } else {
    what = item.after && item.after !== 'false' ? t('timeline.churnedOn', { kind: t(`timeline.churnKinds.${item.after as 'silent'}`) ?? item.after }) : t('timeline.churnedOff');
  }
  return joined(
    what,
    t(`timeline.causes.${item.cause}`),
    item.reasons.length > 0 && t('timeline.because', { reasons: item.reasons.map(reasonWords).join(locale() === 'zh-CN' ? '、' : ', ') }),
  );
}

function describe(item: TimelineItem): JSX.Element {
  switch (item.kind) {
    case 'loyalty':
      return describeLoyalty(item);
    case 'purchase': {
      const amount = formatMoney({ amount: item.amount, currency: item.currency });
      return item.refundOf
        ? t('timeline.refund', { amount: formatMoney({ amount: item.amount.replace(/^-/, ''), currency: item.currency }), order: item.refundOf })
        : joined(t('timeline.purchase', { amount }), t('timeline.order', { order: item.orderId }), item.channel);
    }
    case 'response':
      return <A href={`/responses/${encodeURIComponent(item.responseId)}`}>{joined(t('timeline.response', { survey: localized(item.surveyTitle) }), t(`channels.${item.channel}`))}</A>;
    case 'invitation':
      return item.skipReason
        ? t('timeline.notInvited', { campaign: item.campaignName, reason: t(`timeline.skipReasons.${item.skipReason}`) })
        : joined(t('timeline.invited', { campaign: item.campaignName, channel: t(`contactChannels.${item.delivery}`) }), item.completedAt && t('timeline.invitedAnswered'));
    case 'message':
      return joined(
        t('timeline.message', { subject: item.subject }),
        t(`timeline.messageStatuses.${item.status}`),
        item.skipReason && t(`timeline.skipReasons.${item.skipReason}`),
      );
    case 'call':
      return joined(t('timeline.call', { campaign: item.campaignName, outcome: t(`timeline.callOutcomes.${item.outcome}`) }), item.interviewerName && t('timeline.callBy', { name: item.interviewerName }));
    case 'follow_up':
      return joined(
        item.channel
          ? t('timeline.followUp', { what: t(`timeline.followUpKinds.${item.followUpKind}`), channel: t(`timeline.followUpChannels.${item.channel}`) })
          : t(`timeline.followUpKinds.${item.followUpKind}`),
        t(`timeline.followUpStatuses.${item.status}`),
        item.outcome && t(`timeline.followUpOutcomes.${item.outcome}`),
        item.skipReason && t(`timeline.skipReasons.${item.skipReason}`),
        item.assigneeName && t('timeline.followUpFor', { name: item.assigneeName }),
      );
    case 'case':
      return (
        <A href={`/complaints/cases/${encodeURIComponent(item.caseId)}`}>
          {joined(t('timeline.caseOpened', { reference: item.reference, severity: t(`loyalty.severities.${item.severity}`) }), t('timeline.caseNow', { status: t(`timeline.caseStatuses.${item.status}`) }))}
        </A>
      );
    case 'data_request': {
      const name = item.actorName ?? t('timeline.someone');
      return item.requestKind === 'export' ? t('timeline.dataExport', { format: (item.format ?? 'json').toUpperCase(), name }) : t('timeline.dataErasure', { name });
    }
    case 'case_resolved':
      return (
        <A href={`/complaints/cases/${encodeURIComponent(item.caseId)}`}>
          {joined(
            t('timeline.caseResolved', { reference: item.reference, outcome: item.outcome ? t(`loyalty.outcomes.${item.outcome}`) : t(`timeline.caseStatuses.${item.status}`) }),
            t(`loyalty.severities.${item.severity}`),
            item.customerLeft && t('timeline.customerLeft'),
          )}
        </A>
      );
  }
}
