// /health (the process answers), /ready (it can do its work), /metrics (Prometheus, behind METRICS_TOKEN), and
// the request log: one line per request, named by its route pattern.
import { Hono, type MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { requestId } from 'hono/request-id';
import { routePath } from 'hono/route';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import { methodLabel } from './rules.ts';
import { readiness } from './service.ts';

/**
 * Gives each request an id (a sane X-Request-Id sent by the client or a proxy is kept, else a new one), sends it
 * back in X-Request-Id, and once answered logs the request and counts it in the metrics. A line holds the id,
 * the method, the route pattern (/i/:token, never the path itself), the status and the time taken; nothing
 * from the query, the body, the cookies or the other headers.
 */
export function requestLog(logger: Logger, metrics: Metrics | null): MiddlewareHandler[] {
  // Whether request lines are written is known once: at LOG_LEVEL=error without metrics a request costs its id only.
  const logging = logger.isLevelEnabled('info');
  return [
    requestId({ limitLength: 128 }),
    async function logRequest(c, next) {
      if (!logging && !metrics) {
        await next();
        if (!c.res.headers.has('x-request-id')) c.res.headers.set('x-request-id', c.get('requestId'));
        return;
      }
      const started = performance.now();
      let status = 500;
      try {
        await next();
        status = c.res.status;
      } finally {
        const ms = performance.now() - started;
        // The handler that answered (or the middleware that answered for it) names the route.
        const route = routePath(c) || 'unmatched';
        const method = methodLabel(c.req.method);
        const id = c.get('requestId');
        if (!c.res.headers.has('x-request-id')) c.res.headers.set('x-request-id', id);
        logger.info({ requestId: id, method, route, status, ms: Math.round(ms * 10) / 10 }, 'request');
        metrics?.observeRequest(method, route, status, ms / 1000);
      }
    },
  ];
}

export function opsRoutes({ db, config, metrics }: { db: Db; config: Config; metrics: Metrics | null }) {
  const routes = new Hono();

  routes.get('/health', async (c) => {
    await db.$client.execute('SELECT 1');
    return c.json({ status: 'ok' });
  });

  routes.get('/ready', async (c) => {
    const { ready, checks } = await readiness(db);
    const failing = Object.entries(checks)
      .filter(([, check]) => !check.ok)
      .map(([name]) => name);
    return c.json(ready ? { status: 'ready', checks } : { status: 'not ready', failing, checks }, ready ? 200 : 503);
  });

  const unauthorized = { error: 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.', code: 'unauthorized' };
  routes.get(
    '/metrics',
    async (c, next) => {
      if (!metrics || !config.metricsToken) return c.json({ error: 'Metrics are off: set METRICS_TOKEN to turn them on.', code: 'not_found' }, 404);
      return next();
    },
    // hono's bearer check compares the token in constant time (hashes of both, compared byte by byte).
    bearerAuth({
      token: config.metricsToken ?? '',
      noAuthenticationHeader: { message: unauthorized },
      invalidAuthenticationHeader: { message: { ...unauthorized, code: 'bad_request' } },
      invalidToken: { message: unauthorized },
    }),
    async (c) => {
      const { text, contentType } = await metrics!.scrape();
      return c.body(text, 200, { 'content-type': contentType, 'cache-control': 'no-store' });
    },
  );
  return routes;
}
