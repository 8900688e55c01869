// The kiosk's service worker (served as /k/sw.js, scope /k/): a reload with no network still shows the form.
// The kiosk page itself puts its HTML and assets in the cache once the worker is running (cache.ts);
// here pages go to the network first and fall back to that copy, and hashed assets come from the cache first.

// The same name as in cache.ts; written twice because a classic worker script cannot import a shared chunk.
const cacheName = 'kiosk-v1';

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerScope {
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  location: Location;
}

const worker = self as unknown as WorkerScope;

worker.addEventListener('install', (event) => event.waitUntil(worker.skipWaiting()));
// Take over the page that registered the worker at once, so its next reload is already covered.
worker.addEventListener('activate', (event) => event.waitUntil(worker.clients.claim()));

async function pageNetworkFirst(request: Request): Promise<Response> {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    // Only a page that runs the kiosk replaces the copy; a 404 or 410 is shown but not kept.
    if (response.ok) await cache.put(request.url, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(request.url, { ignoreVary: true, ignoreSearch: true });
    if (kept) return kept;
    throw error;
  }
}

async function assetCacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(cacheName);
  const kept = await cache.match(request, { ignoreVary: true });
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

worker.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== worker.location.origin) return;
  if (request.mode === 'navigate' && url.pathname.startsWith('/k/')) event.respondWith(pageNetworkFirst(request));
  else if (url.pathname.startsWith('/assets/')) event.respondWith(assetCacheFirst(request));
});
