// /kiosks: every kiosk campaign with its link to open on the device, today's answers and its poster.
import { A } from '@solidjs/router';
import { createResource, For, Show } from 'solid-js';
import { formatCount, formatDateTime, localized } from '../i18n.ts';
import { t } from './text.ts';
import { absoluteUrl, Async, CopyButton, DataTable, EmptyState, usePageTitle } from '../ui.tsx';
import { kioskApi } from './api.ts';

export default function KioskListPage() {
  usePageTitle(() => t('kiosk.title'));
  const [list, { refetch }] = createResource(() => kioskApi.list());
  return (
    <>
      <div class="page-header">
        <h1>{t('kiosk.title')}</h1>
      </div>
      <p class="muted">{t('kiosk.intro')}</p>
      <Async resource={list} onRetry={refetch}>
        {(loaded) => (
          <Show
            when={loaded.kiosks.length > 0}
            fallback={<EmptyState message={t('kiosk.empty')} hint={t('kiosk.emptyHint')} testId="kiosks-empty" />}
          >
            <DataTable
              label={t('kiosk.tableLabel')}
              headers={[
                t('kiosk.colName'),
                t('kiosk.colSurvey'),
                t('kiosk.colLocation'),
                t('kiosk.colStatus'),
                { label: t('kiosk.colToday'), numeric: true },
                t('kiosk.colLast'),
                t('kiosk.colLink'),
              ]}
            >
              <For each={loaded.kiosks}>
                {(kiosk) => (
                  <tr data-testid="kiosk-row">
                    <td>
                      <A class="strong-link" href={`/kiosks/${encodeURIComponent(kiosk.id)}`}>
                        {kiosk.name}
                      </A>
                    </td>
                    <td>{kiosk.surveyTitle ? localized(kiosk.surveyTitle) : t('app.none')}</td>
                    <td>{kiosk.location || t('kiosk.noLocation')}</td>
                    <td>{t(`kiosk.statuses.${kiosk.status}`)}</td>
                    <td class="numeric" data-testid="kiosk-today">
                      {formatCount(kiosk.responsesToday)}
                    </td>
                    <td>{kiosk.lastResponseAt ? formatDateTime(kiosk.lastResponseAt) : t('app.none')}</td>
                    <td>
                      <Show when={kiosk.kioskPath} fallback={t('kiosk.noLink')}>
                        {(path) => (
                          <div class="kiosk-link-actions">
                            <code class="kiosk-link">{absoluteUrl(path())}</code>
                            <CopyButton text={absoluteUrl(path())} label={t('kiosk.copyLink')} />
                            <a class="button button-small" href={path()} target="_blank" rel="noopener">
                              {t('kiosk.open')}
                            </a>
                            <A
                              class="button button-small"
                              href={`/kiosks/${encodeURIComponent(kiosk.id)}/poster`}
                              aria-label={t('kiosk.posterFor', { name: kiosk.name })}
                              data-testid="kiosk-poster-link"
                            >
                              {t('kiosk.poster')}
                            </A>
                          </div>
                        )}
                      </Show>
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
