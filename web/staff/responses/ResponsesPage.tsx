// /surveys/:id/responses: the newest responses first, a page at a time.
import { A, useNavigate, useParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, on, Show } from 'solid-js';
import { answerLabel } from '../../../surveys/answers.ts';
import type { Question } from '../../../surveys/definition.ts';
import { type ResponsePage, type ResponseRow, responsesApi } from './api.ts';
import type { SurveyDetail } from '../surveys/api.ts';
import { formatDateTime, locale, localized } from '../i18n.ts';
import { formatDuration, t } from './text.ts';
import { Async, DataTable, EmptyState, LoadMore, RouteSurvey, usePageTitle } from '../ui.tsx';

/** How many answers the table shows beside the response's own columns. */
const answerColumns = 3;

export default function ResponsesPage() {
  const params = useParams<{ id: string }>();
  const [firstPage, firstPageActions] = createResource(() => params.id, (id) => responsesApi.responses(id));
  return (
    <RouteSurvey>
      {(detail) => (
        <Async resource={firstPage} onRetry={firstPageActions.refetch}>
          {(page) => <ResponsesTable survey={detail} firstPage={page} />}
        </Async>
      )}
    </RouteSurvey>
  );
}

function ResponsesTable(props: { survey: SurveyDetail; firstPage: ResponsePage }) {
  const navigate = useNavigate();
  const [more, setMore] = createSignal<ResponsePage[]>([]);
  createEffect(on(() => props.firstPage, () => setMore([]), { defer: true }));

  const rows = (): ResponseRow[] => [...props.firstPage.responses, ...more().flatMap((page) => page.responses)];
  const nextBefore = () => (more().length ? more()[more().length - 1]!.nextBefore : props.firstPage.nextBefore);
  const columns = (): Question[] => props.survey.draft.questions.slice(0, answerColumns);
  const responseHref = (row: ResponseRow) => `/responses/${encodeURIComponent(row.id)}`;

  usePageTitle(() => t('responses.heading', { title: localized(props.survey.title) }));

  const loadMore = async (before: string) => setMore([...more(), await responsesApi.responses(props.survey.id, before)]);

  return (
    <>
      <p class="breadcrumb">
        <A href={`/surveys/${encodeURIComponent(props.survey.id)}`}>← {t('responses.backToSurvey')}</A>
      </p>
      <div class="page-header">
        <h1>
          {t('responses.heading', { title: localized(props.survey.title) })}
        </h1>
        <a
          class="button button-small"
          href={`/api/surveys/${encodeURIComponent(props.survey.id)}/responses.csv?lang=${locale()}`}
          download=""
          data-testid="responses-csv"
        >
          {t('responses.downloadCsv')}
        </a>
      </div>
      <Show
        when={rows().length > 0}
        fallback={
          <EmptyState message={t('responses.empty')} hint={t('responses.emptyHint')} />
        }
      >
        <p class="muted">{t('responses.count', { shown: rows().length, total: props.firstPage.total })}</p>
        <DataTable
          label={t('responses.tableLabel')}
          class="table-clickable"
          headers={[
            t('responses.time'),
            t('responses.channel'),
            { label: t('responses.version'), numeric: true },
            t('responses.language'),
            { label: t('responses.duration'), numeric: true },
            ...columns().map((question) => localized(question.title)),
          ]}
        >
          <For each={rows()}>
            {(row) => (
              <tr
                data-testid="response-row"
                onClick={(event) => {
                  if ((event.target as Element).closest('a')) return;
                  navigate(responseHref(row));
                }}
              >
                <td>
                  <A href={responseHref(row)}>
                    <time datetime={row.submittedAt}>{formatDateTime(row.submittedAt)}</time>
                  </A>
                </td>
                <td>{t(`channels.${row.channel}`)}</td>
                <td class="numeric">{row.version}</td>
                <td>
                  {t(`locales.${row.locale}`)} ({row.locale})
                </td>
                <td class="numeric">{formatDuration(row.durationMs)}</td>
                <For each={columns()}>
                  {(question) => (
                    <td class="answer-cell">
                      {answerLabel(question, row.answers[question.id], locale()) || t('app.none')}
                    </td>
                  )}
                </For>
              </tr>
            )}
          </For>
        </DataTable>
        <LoadMore nextBefore={nextBefore()} load={loadMore} />
      </Show>
    </>
  );
}
