// /responses: the surveys whose responses can be explored, each by title, link name and status (two surveys
// may share a title), for everyone who reads responses, support included.
import { A } from '@solidjs/router';
import { createResource, For, Show } from 'solid-js';
import { formatDateTime, localized, t } from '../i18n.ts';
import { Async, DataTable, EmptyState, usePageTitle } from '../ui.tsx';
import { explorerSurveysApi } from './explorer-api.ts';
import { tx } from './explorer-text.ts';

export default function ExplorerSurveysPage() {
  usePageTitle(() => tx('surveys.title'));
  const [list, { refetch }] = createResource(() => explorerSurveysApi.list());
  return (
    <>
      <h1>{tx('surveys.title')}</h1>
      <p class="muted">{tx('surveys.intro')}</p>
      <Async resource={list} onRetry={refetch}>
        {(loaded) => (
          <Show when={loaded.surveys.length > 0} fallback={<EmptyState message={tx('surveys.empty')} hint={tx('surveys.emptyHint')} />}>
            <DataTable label={tx('surveys.tableLabel')} headers={[tx('surveys.survey'), tx('surveys.link'), tx('surveys.status'), tx('surveys.published')]}>
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
