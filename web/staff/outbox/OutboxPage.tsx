// /outbox: every message the product sends, by status, newest first, a page at a time. Says plainly when
// held mail is not being sent because no server process can send it, shows why a message was skipped, and
// lets admins put back in the queue the messages an older version set aside.
import { A, useSearchParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, on, Show } from 'solid-js';
import { formatCount } from '../i18n.ts';
import { type MessageStatus, outboxApi, type OutboxPage as Page, type OutboxSummary } from './api.ts';
import { t } from './text.ts';
import { isAdmin } from '../session.ts';
import { Async, DataTable, EmptyState, ErrorMessage, LoadMore, usePageTitle } from '../ui.tsx';
import { MessageStatusBadge, messageStatuses, OutboxHeader, SkipReasonText, TimeCell, TopicText } from './parts.tsx';

export default function OutboxPage() {
  usePageTitle(() => t('outbox.title'));
  const [params, setParams] = useSearchParams<{ status?: string }>();
  const status = (): MessageStatus => messageStatuses.find((option) => option === params.status) ?? 'held';
  const [progress, progressActions] = createResource(() => outboxApi.outboxProgress());
  const [firstPage, firstPageActions] = createResource(status, (chosen) => outboxApi.outbox({ status: chosen }));
  const ready = () => (progress.state === 'ready' || progress.state === 'refreshing' ? progress.latest : undefined);
  const smtpMissing = () => ready()?.smtpConfigured === false;
  const toRelease = () => ready()?.toRelease ?? 0;

  const [releasing, setReleasing] = createSignal(false);
  const [released, setReleased] = createSignal<number | null>(null);
  const [releaseError, setReleaseError] = createSignal<unknown>(null);
  const release = async () => {
    setReleasing(true);
    setReleased(null);
    setReleaseError(null);
    try {
      setReleased((await outboxApi.releaseHeld()).released);
      void progressActions.refetch();
      void firstPageActions.refetch();
    } catch (error) {
      setReleaseError(error);
    } finally {
      setReleasing(false);
    }
  };

  return (
    <>
      <OutboxHeader title={t('outbox.title')} intro={t('outbox.intro')}>
        <Show when={isAdmin() && toRelease() > 0}>
          <div class="actions">
            <button
              type="button"
              class="button button-primary"
              data-testid="release-held"
              disabled={releasing() || smtpMissing()}
              aria-describedby={smtpMissing() ? 'release-needs-smtp' : undefined}
              onClick={release}
            >
              {releasing() ? t('outbox.releasing') : t('outbox.release')}
            </button>
            <Show when={smtpMissing()}>
              <p class="muted small" id="release-needs-smtp" data-testid="release-needs-smtp">
                {t('outbox.releaseNeedsSmtp')}
              </p>
            </Show>
          </div>
        </Show>
      </OutboxHeader>
      <Show when={ready()?.untaken}>
        <div class="alert alert-warning" data-testid="mail-untaken">
          <p>
            <strong>{t('outbox.untaken')}</strong>
          </p>
          <p>{t('outbox.untakenHint')}</p>
        </div>
      </Show>
      <Show when={smtpMissing()}>
        <div class="alert alert-info" data-testid="smtp-missing">
          <p>
            <strong>{t('outbox.smtpMissing')}</strong>
          </p>
          <p>{t('outbox.smtpMissingHint')}</p>
        </div>
      </Show>
      <Show when={toRelease() > 0}>
        <p class="alert alert-warning" data-testid="to-release">
          {t('outbox.toRelease', { count: toRelease() })}
        </p>
      </Show>
      <Show when={released() !== null}>
        <p class="alert alert-success" role="status" data-testid="release-outcome">
          {t('outbox.released', { count: released() ?? 0 })}
        </p>
      </Show>
      <Show when={releaseError()}>
        {(error) => (
          <div data-testid="release-error">
            <ErrorMessage error={error()} />
          </div>
        )}
      </Show>
      <Show when={progress.state === 'errored'}>
        <ErrorMessage error={progress.error} onRetry={progressActions.refetch} />
      </Show>
      <div class="segmented outbox-filter" role="group" aria-label={t('outbox.statusFilter')}>
        <For each={messageStatuses}>
          {(option) => (
            <button
              type="button"
              aria-pressed={status() === option}
              data-testid={`outbox-tab-${option}`}
              onClick={() => setParams({ status: option === 'held' ? undefined : option })}
            >
              {t(`outbox.statuses.${option}`)}
              <Show when={ready()}>{(counts) => <span class="count"> ({formatCount(counts().counts[option])})</span>}</Show>
            </button>
          )}
        </For>
      </div>
      <Async resource={firstPage} onRetry={firstPageActions.refetch}>
        {(page) => <MessagesTable status={status()} firstPage={page} total={ready()?.counts[status()]} />}
      </Async>
    </>
  );
}

function MessagesTable(props: { status: MessageStatus; firstPage: Page; total: number | undefined }) {
  const [more, setMore] = createSignal<Page[]>([]);
  createEffect(on(() => props.firstPage, () => setMore([]), { defer: true }));

  const rows = (): OutboxSummary[] => [...props.firstPage.messages, ...more().flatMap((page) => page.messages)];
  const nextBefore = () => (more().length ? more()[more().length - 1]!.nextBefore : props.firstPage.nextBefore);

  const loadMore = async (before: string) => setMore([...more(), await outboxApi.outbox({ status: props.status, before })]);

  return (
    <Show
      when={rows().length > 0}
      fallback={
        <EmptyState
          testId="outbox-empty"
          message={t('outbox.empty', { status: t(`outbox.statuses.${props.status}`) })}
          hint={t('outbox.emptyHint')}
        />
      }
    >
      <Show when={props.total !== undefined}>
        <p class="muted">{t('outbox.shown', { shown: rows().length, total: props.total ?? 0 })}</p>
      </Show>
      <DataTable
        label={t('outbox.tableLabel')}
        class="outbox-table"
        headers={[
          t('outbox.colTo'),
          t('outbox.colSubject'),
          t('outbox.colTopic'),
          t('outbox.colStatus'),
          t('outbox.colCreated'),
          t('outbox.colSent'),
        ]}
      >
        <For each={rows()}>
          {(row) => (
            <tr data-testid="outbox-row" data-status={row.status}>
              <td class="address-cell">{row.toAddress}</td>
              <td class="subject-cell">
                <A href={`/outbox/${encodeURIComponent(row.id)}`} data-testid="outbox-open">
                  {row.subject}
                </A>
              </td>
              <td class="topic-cell">
                <TopicText topic={row.topic} />
              </td>
              <td>
                <MessageStatusBadge status={row.status} /> <SkipReasonText reason={row.skipReason} />
              </td>
              <td class="nowrap">
                <TimeCell ms={row.createdAt} />
              </td>
              <td class="nowrap">
                <TimeCell ms={row.sentAt} />
              </td>
            </tr>
          )}
        </For>
      </DataTable>
      <LoadMore nextBefore={nextBefore()} load={loadMore} />
    </Show>
  );
}
