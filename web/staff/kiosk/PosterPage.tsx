// /kiosks/:id (and /kiosks/:id/poster): the printable A4 poster for a kiosk's location. Only the poster prints.
import { A, useParams } from '@solidjs/router';
import { createResource } from 'solid-js';
import { t } from './text.ts';
import { Async, usePageTitle } from '../ui.tsx';
import { kioskApi } from './api.ts';

export default function PosterPage() {
  const params = useParams<{ id: string }>();
  const [poster, { refetch }] = createResource(() => params.id, (id) => kioskApi.poster(id));
  usePageTitle(() => t('kiosk.posterTitle', { location: poster.latest?.location ?? '' }));
  return (
    <>
      <div class="page-header kiosk-screen-only">
        <h1>{t('kiosk.posterTitle', { location: poster.latest?.location || t('kiosk.noLocation') })}</h1>
        <div class="kiosk-link-actions">
          <A class="button button-small" href="/kiosks">
            {t('kiosk.back')}
          </A>
          <button type="button" class="button" onClick={() => window.print()} data-testid="kiosk-print">
            {t('kiosk.print')}
          </button>
        </div>
      </div>
      <p class="muted kiosk-screen-only">{t('kiosk.posterIntro')}</p>
      <Async resource={poster} onRetry={refetch}>
        {(loaded) => (
          <article class="kiosk-poster" data-testid="kiosk-poster">
            <h2 class="kiosk-poster-title" lang="zh-CN">
              {loaded.title['zh-CN']}
            </h2>
            <p class="kiosk-poster-title-en" lang="en">
              {loaded.title.en}
            </p>
            <p class="kiosk-poster-call">
              <span lang="en">{t('kiosk.scan')}</span>
              <span lang="zh-CN">{t('kiosk.scanZh')}</span>
            </p>
            <img
              class="kiosk-poster-qr"
              src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(loaded.svg)}`}
              alt={t('kiosk.qrAlt', { url: loaded.readableUrl })}
              data-testid="kiosk-qr"
            />
            <p class="kiosk-poster-location">{loaded.location}</p>
            <p class="kiosk-poster-url" data-testid="kiosk-poster-url">
              {loaded.readableUrl}
            </p>
          </article>
        )}
      </Async>
    </>
  );
}
