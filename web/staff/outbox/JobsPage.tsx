// /outbox/jobs (admins): background jobs that used up their attempts, with their last error, and a way to
// run each again with all its attempts.
import { createResource, createSignal, For, Show } from 'solid-js';
import { type Job, type JobPage, outboxApi } from './api.ts';
import { t } from './text.ts';
import { isAdmin } from '../session.ts';
import { Async, DataTable, EmptyState, ErrorMessage, LoadMore, usePageTitle } from '../ui.tsx';
import { OutboxHeader, TimeCell } from './parts.tsx';

export default function JobsPage() {
  usePageTitle(() => t('jobs.title'));
  return (
    <>
      <OutboxHeader title={t('jobs.title')} intro={t('jobs.intro')} />
      <Show when={isAdmin()} fallback={<p class="alert alert-info">{t('jobs.adminOnly')}</p>}>
        <DeadJobs />
      </Show>
    </>
  );
}

function DeadJobs() {
  const [firstPage, { refetch }] = createResource(() => outboxApi.jobs({ status: 'dead' }));
  return (
    <Async resource={firstPage} onRetry={refetch}>
      {(page) => <JobsTable firstPage={page} />}
    </Async>
  );
}

function JobsTable(props: { firstPage: JobPage }) {
  // The table starts from the first page; later pages are appended and retried jobs leave it.
  const [rows, setRows] = createSignal<Job[]>(props.firstPage.jobs);
  const [nextBefore, setNextBefore] = createSignal(props.firstPage.nextBefore);
  const [error, setError] = createSignal<unknown>(null);
  const [busy, setBusy] = createSignal<string | null>(null);
  const [notice, setNotice] = createSignal('');

  const loadMore = async (before: string) => {
    const page = await outboxApi.jobs({ status: 'dead', before });
    setRows([...rows(), ...page.jobs]);
    setNextBefore(page.nextBefore);
  };

  const retry = async (job: Job) => {
    setBusy(job.id);
    setError(null);
    setNotice('');
    try {
      await outboxApi.retryJob(job.id);
      setRows(rows().filter((row) => row.id !== job.id));
      setNotice(t('jobs.retried', { kind: job.kind }));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <Show when={error()}>{(caught) => <ErrorMessage error={caught()} />}</Show>
      <p class="alert alert-success" role="status" data-testid="job-notice" hidden={!notice()}>
        {notice()}
      </p>
      <Show
        when={rows().length > 0}
        fallback={
          <EmptyState testId="jobs-empty" message={t('jobs.empty')} hint={t('jobs.emptyHint')} />
        }
      >
        <DataTable
          label={t('jobs.tableLabel')}
          class="jobs-table"
          headers={[
            t('jobs.colKind'),
            { label: t('jobs.colAttempts'), numeric: true },
            t('jobs.colError'),
            t('jobs.colFinished'),
            t('jobs.colActions'),
          ]}
        >
          <For each={rows()}>
            {(job) => (
              <tr data-testid="job-row" data-job-id={job.id}>
                <td class="nowrap">
                  <code>{job.kind}</code>
                </td>
                <td class="numeric nowrap">{t('jobs.attempts', { attempts: job.attempts, max: job.maxAttempts })}</td>
                <td class="error-cell" data-testid="job-error">
                  {job.lastError ?? t('app.none')}
                </td>
                <td class="nowrap">
                  <TimeCell ms={job.finishedAt} />
                </td>
                <td>
                  <button
                    type="button"
                    class="button button-small"
                    data-testid="job-retry"
                    aria-label={t('jobs.retryLabel', { kind: job.kind })}
                    disabled={busy() !== null}
                    onClick={() => void retry(job)}
                  >
                    {busy() === job.id ? t('jobs.retrying') : t('jobs.retry')}
                  </button>
                </td>
              </tr>
            )}
          </For>
        </DataTable>
      </Show>
      <LoadMore nextBefore={nextBefore()} load={loadMore} testId="jobs-load-more" />
    </>
  );
}
