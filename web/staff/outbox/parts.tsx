// Pieces the Outbox and Failed jobs pages share: their tabs, a message's status badge, and times.
import { A } from '@solidjs/router';
import { Show, type JSX } from 'solid-js';
import type { MessageSkipReason, MessageStatus } from './api.ts';
import { formatDateTime } from '../i18n.ts';
import { t } from './text.ts';
import { isAdmin } from '../session.ts';
import { readTopic } from './topic.ts';

export const messageStatuses = ['held', 'sending', 'sent', 'failed', 'skipped'] as const satisfies readonly MessageStatus[];

/** A time the server gives in milliseconds since the epoch, or a dash when there is none. */
export function formatMillis(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? t('app.none') : formatDateTime(new Date(ms).toISOString());
}

export function TimeCell(props: { ms: number | null | undefined }) {
  return (
    <Show when={props.ms != null} fallback={t('app.none')}>
      <time datetime={new Date(props.ms!).toISOString()}>{formatMillis(props.ms)}</time>
    </Show>
  );
}

/** A message's topic in words, and the page it belongs to (its campaign, its complaint case), if any. */
function topicWords(topic: string): { text: string; link: { href: string; title: string } | null } {
  const reading = readTopic(topic);
  const campaign = (campaignId: string) => ({ href: `/campaigns/${encodeURIComponent(campaignId)}`, title: t('outbox.topics.campaignOf', { topic }) });
  switch (reading.kind) {
    case 'invitation':
      return { text: t('outbox.topics.invitation'), link: campaign(reading.campaignId) };
    case 'reminder':
      return { text: t('outbox.topics.reminder', { round: reading.round }), link: campaign(reading.campaignId) };
    case 'weeklySummary':
      return { text: t('outbox.topics.weeklySummary', { week: reading.week }), link: null };
    case 'staffInvite':
      return { text: t('outbox.topics.staffInvite'), link: null };
    case 'followUp':
      return { text: t(`outbox.topics.followUp.${reading.what}`), link: { href: '/follow-ups?view=all&status=all', title: t('outbox.topics.followUpsOf', { topic }) } };
    case 'complaint':
      return {
        text: t(`outbox.topics.complaint.${reading.what}`),
        link: { href: `/complaints/cases/${encodeURIComponent(reading.caseId)}`, title: t('outbox.topics.caseOf', { topic }) },
      };
    case 'other':
      return { text: reading.topic, link: null };
  }
}

/** A message's topic in words, linked to its campaign or case where it has one; the raw topic on hover. */
export function TopicText(props: { topic: string | null }) {
  return (
    <Show when={props.topic} fallback={t('app.none')}>
      {(topic) => {
        const words = () => topicWords(topic());
        return (
          <Show when={words().link} fallback={<span class="break" title={topic()}>{words().text}</span>}>
            {(link) => (
              <A href={link().href} title={link().title}>
                {words().text}
              </A>
            )}
          </Show>
        );
      }}
    </Show>
  );
}

export function MessageStatusBadge(props: { status: MessageStatus }) {
  return <span class={`badge badge-mail-${props.status}`}>{t(`outbox.statuses.${props.status}`)}</span>;
}

/** Why a message to a customer was not sent: the customer's "no" or missing address, read when it was due. */
export function SkipReasonText(props: { reason: MessageSkipReason | null }) {
  return (
    <Show when={props.reason}>
      {(reason) => (
        <span class="muted" data-testid="skip-reason">
          {t(`outbox.skipReasons.${reason()}`)}
        </span>
      )}
    </Show>
  );
}

/** Messages and, for admins, failed jobs: two tabs of one area. */
export function OutboxTabs() {
  return (
    <Show when={isAdmin()}>
      <nav class="subnav" aria-label={t('nav.outbox')}>
        <A href="/outbox" end activeClass="active" data-testid="tab-messages">
          {t('outbox.title')}
        </A>
        <A href="/outbox/jobs" activeClass="active" data-testid="tab-jobs">
          {t('outbox.failedJobs')}
        </A>
      </nav>
    </Show>
  );
}

/** The area's tabs, then a page's heading and introduction, with its actions (if any) beside them. */
export function OutboxHeader(props: { title: string; intro: string; children?: JSX.Element }) {
  return (
    <>
      <OutboxTabs />
      <div class="page-header">
        <div>
          <h1>{props.title}</h1>
          <p class="muted">{props.intro}</p>
        </div>
        {props.children}
      </div>
    </>
  );
}
