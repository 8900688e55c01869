// /responses: the surveys whose responses can be explored, each by title, link name and status (two surveys
// may share a title), for everyone who reads responses, support included.
import { A } from '@solidjs/router';
import { createResource, For, Show } from 'solid-js';
import { formatDateTime, localized } from '../i18n.ts';
import { Async, DataTable, EmptyState, usePageTitle } from '../ui.tsx';
import { responsesApi } from './api.ts';
import { t } from './text.ts';

export default function ExplorerSurveysPage() {
  usePageTitle(() => t('explorer.surveys.title'));
  const [list, { refetch }] = createResource(() => responsesApi.explorerSurveys());
  return (
    <>
      <h1>{t('explorer.surveys.title')}</h1>
      <p class="muted">{t('explorer.surveys.intro')}</p>
      <Async resource={list} onRetry={refetch}>
        {(loaded) => (
          <Show when={loaded.surveys.length > 0} fallback={<EmptyState message={t('explorer.surveys.empty')} hint={t('explorer.surveys.emptyHint')} />}>
            <DataTable label={t('explorer.surveys.tableLabel')} headers={[t('explorer.surveys.survey'), t('explorer.surveys.link'), t('explorer.surveys.status'), t('explorer.surveys.published')]}>
              <For each={loaded.surveys}>
                {(survey) => (
                  <tr data-testid="explorer-survey">
                    <td>
                      <A href={`/surveys/${encodeURIComponent(survey.id)}/responses`}>{localized(survey.title)}</A>
                    </td>
                    <td>{survey.slug}</td>
                    <td>{t(`status.${survey.status}`)}</td>
                    <td>
                      <time datetime={survey.publishedAt}>{formatDateTime(survey.publishedAt)}</time>
                    </td>
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
