// The HTTP application: middleware, error mapping and the areas mounted under /api.
import { join } from 'node:path';
import { Hono } from 'hono';
import { except } from 'hono/combine';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { bilingual } from '../surveys/i18n.ts';
import { accountRoutes } from './accounts/routes.ts';
import { loadSession } from './accounts/guard.ts';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import type { AppEnv } from './env.ts';
import { DomainError } from './errors.ts';
import { invitationPages } from './campaigns/pages.ts';
import { publicCaseRoutes, statusPages } from './complaints/public-routes.ts';
import { campaignRoutes } from './campaigns/routes.ts';
import { complaintRoutes } from './complaints/routes.ts';
import { insightRoutes } from './insights/routes.ts';
import { integrationRoutes } from './integrations/routes.ts';
import { jobRoutes } from './jobs/routes.ts';
import { kioskPages, kioskRoutes } from './kiosk/routes.ts';
import { loyaltyRoutes } from './loyalty/routes.ts';
import { phoneRoutes } from './phone/routes.ts';
import { followUpRoutes } from './loyalty/follow-up-routes.ts';
import { postalRoutes } from './postal/routes.ts';
import { privacyRoutes } from './privacy/routes.ts';
import { retentionRoutes } from './privacy/retention-routes.ts';
import { outboxRoutes } from './mail/routes.ts';
import { hasNoBody, limitAnonymousWrites, limitBody, localeOf } from './http.ts';
import { customerImportFilePath, customerRoutes } from './customers/routes.ts';
import { purchaseImportFilePath, purchaseRoutes } from './purchases/routes.ts';
import { ResponseIntake } from './responses/intake.ts';
import { responseRoutes } from './responses/routes.ts';
import { surveyRoutes } from './surveys/routes.ts';
import { webRoutes } from './web.ts';
import { countedRequest } from './jobs/paced.ts';
import { createLogger, type Logger } from './ops/log.ts';
import { createMetrics, type Metrics } from './ops/metrics.ts';
import { opsRoutes, requestLog } from './ops/routes.ts';
import { distFolder } from './paths.ts';


/** The open link of a survey, the one public page shared by everyone. */
const openSurveyPath = /^\/s\/[^/]+$/;
export interface AppOptions {
  db: Db;
  config: Config;
  /** The built web app; defaults to dist/web. */
  webRoot?: string;
  /** Where requests and errors are logged; by default a logger at LOG_LEVEL on stdout. */
  logger?: Logger;
  /** The process's metrics; by default made here when METRICS_TOKEN is set. */
  metrics?: Metrics | null;
}

export function createApp({
  db,
  config,
  webRoot = join(distFolder, 'web'),
  logger = createLogger(config.logLevel),
  metrics = config.metricsToken ? createMetrics(db) : null,
}: AppOptions) {
  const intake = new ResponseIntake(db);
  const app = new Hono<AppEnv>();

  // First, so every request is logged and counted, whatever answers it (README, "Operations").
  app.use(...requestLog(logger, metrics));

  // Background work in the process (loyalty updates) gives way while requests are being answered.
  app.use((_c, next) => countedRequest(next));
  app.use(async function provideServices(c, next) {
    c.set('db', db);
    c.set('config', config);
    await next();
  });
  // The open survey page (/s/:slug) goes without Cross-Origin-Opener-Policy. With it, Chromium opens the page
  // in a browsing context group of its own (another renderer process), which costs a phone tens of
  // milliseconds before the first question shows (bench step 1); and this page holds nothing another window
  // could read: no session, no personal data, the same form for everyone. Everything else keeps same-origin,
  // personal links (/i/) included.
  app.use(async function openSurveyWithoutOpenerPolicy(c, next) {
    await next();
    if (openSurveyPath.test(c.req.path)) c.res.headers.delete('cross-origin-opener-policy');
  });
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: 'same-origin',
    }),
  );

  app.onError((error, c) => {
    const locale = localeOf(c);
    if (error instanceof DomainError) {
      const fields = Object.fromEntries(
        Object.entries(error.fields).map(([key, text]) => [key, typeof text === 'string' ? text : text[locale]]),
      );
      // Both languages as well, so a page whose language is switched after the error can show it in the new one.
      const messages = {
        error: error.text,
        fields: Object.fromEntries(
          Object.entries(error.fields).map(([key, text]) => [key, typeof text === 'string' ? bilingual(text, text) : text]),
        ),
      };
      if (error.code === 'too_many') c.header('retry-after', String(error.extra.retryAfterSeconds ?? 60));
      return c.json({ error: error.text[locale], code: error.code, fields, messages, ...error.extra }, error.status);
    }
    if (error instanceof HTTPException && error.status === 403) {
      // Refused by the origin check: a write whose Content-Type a web form can send, from no page of ours.
      const sent = c.req.header('content-type') ?? '';
      const text =
        c.req.header('origin') === undefined && c.req.header('sec-fetch-site') === undefined
          ? bilingual(
              `A write with ${sent ? `Content-Type ${sent}` : 'a body and no Content-Type'} is refused, since a web form on another site could send it. Send the body as JSON with the header Content-Type: application/json.`,
              `${sent ? `Content-Type 为 ${sent}` : '带有内容但没有 Content-Type'} 的写请求会被拒绝，因为其他网站的表单也能发出这种请求。请以 JSON 发送，并加上请求头 Content-Type: application/json。`,
            )
          : bilingual(
              'This request came from another site and was refused. Calling the API? Send JSON with the header Content-Type: application/json.',
              '该请求来自其他网站，已被拒绝。如果您在调用接口，请以 JSON 发送，并加上请求头 Content-Type: application/json。',
            );
      return c.json({ error: text[locale], code: 'forbidden' }, 403);
    }
    if (error instanceof HTTPException) return error.getResponse();
    logger.error({ requestId: c.get('requestId'), err: error }, 'A request failed on the server.');
    return c.json(
      {
        error: bilingual('Something went wrong on the server. Try again; if it persists, tell an admin.', '服务器出错，请重试；如果一直出错，请联系管理员。')[locale],
        code: 'server_error',
      },
      500,
    );
  });

  app.route('/', opsRoutes({ db, config, metrics }));

  // One count per client address over every route that takes writes without an account.
  const anonymousWrites = limitAnonymousWrites(config.rateLimitPerMinute);
  const api = new Hono<AppEnv>();
  for (const path of ['/public/*', '/session', '/setup', '/staff-invites/accept', '/invitations/accept']) api.use(path, anonymousWrites);
  // Cross-site form posts are refused; JSON writes also need the session's CSRF token (accounts/guard.ts).
  const publicOrigin = new URL(config.publicUrl).origin;
  const refuseCrossSiteForms = csrf({ origin: (origin, c) => origin === publicOrigin || origin === new URL(c.req.url).origin });
  api.use(async function checkWriteOrigin(c, next) {
    // hono's csrf takes a missing Content-Type for text/plain, so an API client's write with no body
    // (curl -X POST …/launch) would be refused. No browser form sends a request without a Content-Type, and
    // a browser names its Origin on every cross-origin write: such a request with neither is let through.
    if (hasNoBody(c) && c.req.header('content-type') === undefined && c.req.header('origin') === undefined && c.req.header('sec-fetch-site') === undefined) {
      return next();
    }
    return refuseCrossSiteForms(c, next);
  });
  // The customer and purchase CSV uploads are streamed and have their own, larger limits (customers/ and purchases/routes.ts).
  api.use(except([`/api${customerImportFilePath}`, `/api${purchaseImportFilePath}`], limitBody(1024 * 1024)));
  api.use(loadSession);
  api.route('/', accountRoutes);
  api.route('/', surveyRoutes);
  api.route('/', responseRoutes(intake));
  api.route('/', customerRoutes);
  api.route('/', privacyRoutes);
  api.route('/', retentionRoutes);
  api.route('/', purchaseRoutes);
  api.route('/', jobRoutes);
  api.route('/', outboxRoutes);
  api.route('/', campaignRoutes);
  api.route('/', phoneRoutes);
  api.route('/', postalRoutes);
  api.route('/', kioskRoutes(intake));
  api.route('/', integrationRoutes);
  api.route('/', insightRoutes);
  api.route('/', complaintRoutes);
  api.route('/', loyaltyRoutes);
  api.route('/', followUpRoutes);
  // The customer's status page's JSON; its writes are anonymous, counted under /public/* above.
  api.route('/', publicCaseRoutes);
  api.notFound((c) =>
    c.json({ error: bilingual('No such API route.', '没有这个接口。')[localeOf(c)], code: 'not_found' }, 404),
  );
  app.route('/api', api);
  app.route('/', kioskPages(webRoot));
  app.use('/u/*', anonymousWrites);
  app.route('/', invitationPages);
  app.route('/', statusPages);
  app.route('/', webRoutes(webRoot));
  return app;
}

export type AppType = ReturnType<typeof createApp>;
