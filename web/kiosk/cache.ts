// The kiosk's offline copy: the page and the assets it loaded, kept in the Cache API for the service worker.

// The same name as in sw.ts.
export const cacheName = 'kiosk-v1';

/**
 * Keeps this page and every script and stylesheet it loaded, so a reload with no network still works. The
 * page does it itself because its first load happened before the service worker was there to see it.
 */
export async function keepOfflineCopy(): Promise<void> {
  if (typeof caches === 'undefined') return;
  const cache = await caches.open(cacheName);
  const assets = new Set<string>();
  for (const element of document.querySelectorAll<HTMLScriptElement | HTMLLinkElement>('script[src], link[href]')) {
    const url = new URL(element instanceof HTMLScriptElement ? element.src : element.href, location.href);
    if (url.origin === location.origin && url.pathname.startsWith('/assets/')) assets.add(url.pathname);
  }
  for (const entry of performance.getEntriesByType('resource')) {
    const url = new URL(entry.name);
    if (url.origin === location.origin && url.pathname.startsWith('/assets/')) assets.add(url.pathname);
  }
  const page = location.pathname;
  const response = await fetch(page, { cache: 'no-store' });
  if (response.ok) await cache.put(page, response);
  await Promise.all([...assets].map(async (asset) => (await cache.match(asset)) ?? cache.add(asset)));
}
