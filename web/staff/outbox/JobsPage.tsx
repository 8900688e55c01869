// /outbox/jobs (admins): background jobs that used up their attempts, with their last error, and a way to
// run each again with all its attempts.
import { createResource, createSignal, For, Show } from 'solid-js';
import { api, type Job, type JobPage } from '../../api.ts';
import { t } from '../i18n.ts';
import { isAdmin } from '../session.ts';
import { Async, ErrorMessage, LoadMore, TableScroll, usePageTitle } from '../ui.tsx';
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
  const [firstPage, { refetch }] = createResource(() => api.jobs({ status: 'dead' }));
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
    const page = await api.jobs({ status: 'dead', before });
    setRows([...rows(), ...page.jobs]);
    setNextBefore(page.nextBefore);
  };

  const retry = async (job: Job) => {
    setBusy(job.id);
    setError(null);
    setNotice('');
    try {
      await api.retryJob(job.id);
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
          <div class="empty-state" data-testid="jobs-empty">
            <p class="empty">{t('jobs.empty')}</p>
            <p class="muted">{t('jobs.emptyHint')}</p>
          </div>
        }
      >
        <TableScroll label={t('jobs.tableLabel')}>
          <table class="table jobs-table">
            <thead>
              <tr>
                <th scope="col">{t('jobs.colKind')}</th>
                <th scope="col" class="numeric">
                  {t('jobs.colAttempts')}
                </th>
                <th scope="col">{t('jobs.colError')}</th>
                <th scope="col">{t('jobs.colFinished')}</th>
                <th scope="col">{t('jobs.colActions')}</th>
              </tr>
            </thead>
            <tbody>
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
            </tbody>
          </table>
        </TableScroll>
      </Show>
      <LoadMore nextBefore={nextBefore()} load={loadMore} testId="jobs-load-more" />
    </>
  );
}
