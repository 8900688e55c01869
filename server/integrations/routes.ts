// The integration API (/api/v1, API keys) and the admins' key management.
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { requireRole } from '../accounts/guard.ts';
import { keptReason } from '../customers/consent-history.ts';
import { CustomerInput } from '../customers/rules.ts';
import type { AppEnv } from '../env.ts';
import { localeOf, PageQuery, parseInput, readJson, readQuery } from '../http.ts';
import * as keys from './keys.ts';
import { reportComplaint } from './complaints.ts';
import { ApiKeyInput, ComplaintInput, EventInput, ExternalId } from './rules.ts';
import * as service from './service.ts';
import { v1PurchaseRoutes } from '../purchases/routes.ts';
import { locales, type Locale } from '../../surveys/definition.ts';
import { message } from '../../surveys/i18n.ts';
import { apiDocsPage } from './api-docs.ts';
import { openApiDocument, type OpenApiDocument } from './openapi.ts';

const admins = requireRole('admin');

const DocsQuery = v.object({
  lang: v.optional(v.picklist(locales, message('"lang" is zh-CN or en.', '"lang" 只能是 zh-CN 或 en。'))),
});
const documents = new Map<string, OpenApiDocument>();
/** The document in a language for a public address, made once per process. */
function documentFor(lang: Locale, publicUrl: string): OpenApiDocument {
  const key = `${lang} ${publicUrl}`;
  let document = documents.get(key);
  if (!document) documents.set(key, (document = openApiDocument(lang, publicUrl)));
  return document;
}
/** ?lang= when given, else the request's language; public, and the same for everyone in a language. */
function docsLanguage(c: Context<keys.IntegrationEnv>): Locale {
  const lang = readQuery(c, DocsQuery).lang ?? localeOf(c);
  c.header('cache-control', 'public, max-age=3600');
  c.header('vary', 'Accept-Language, X-Locale');
  return lang;
}

/** Called by other systems with `Authorization: Bearer <key>`: no session, so no CSRF token either. */
const v1 = new Hono<keys.IntegrationEnv>()
  // The reference needs no key: registered before the key check, which these answers never reach.
  .get('/openapi.json', (c) => c.json(documentFor(docsLanguage(c), c.var.config.publicUrl)))
  .get('/docs', (c) => {
    const lang = docsLanguage(c);
    return c.html(apiDocsPage(documentFor(lang, c.var.config.publicUrl), lang));
  })
  .use(keys.requireApiKey)
  .put('/customers/:externalId', async (c) => {
    const externalId = parseInput(ExternalId, c.req.param('externalId'), localeOf(c));
    const input = await readJson(c, CustomerInput);
    const { customer, created, consentKept } = await service.upsertCustomer(c.var.db, { externalId, customer: input, apiKey: c.var.apiKey });
    const locale = localeOf(c);
    return c.json(
      { customer, consentKept: consentKept.map((fact) => ({ consent: fact, reason: keptReason(fact)[locale] })) },
      created ? 201 : 200,
    );
  })
  .post('/events', async (c) => {
    const event = await readJson(c, EventInput);
    const reported = await service.reportEvent(c.var.db, { apiKeyId: c.var.apiKey.id, event });
    return c.json({ event: reported.event }, reported.created ? 202 : 200);
  })
  .post('/complaints', async (c) => {
    const complaint = await readJson(c, ComplaintInput);
    const reported = await reportComplaint(c.var.db, {
      apiKey: c.var.apiKey,
      complaint,
      locale: localeOf(c),
      publicUrl: c.var.config.publicUrl,
    });
    return c.json({ complaint: reported.complaint }, reported.created ? 201 : 200);
  })
  .route('/', v1PurchaseRoutes);

export const integrationRoutes = new Hono<AppEnv>()
  .get('/integrations/keys', admins, async (c) => c.json({ keys: await keys.listApiKeys(c.var.db) }))
  .post('/integrations/keys', admins, async (c) => {
    const { name } = await readJson(c, ApiKeyInput);
    return c.json(await keys.createApiKey(c.var.db, { name, createdBy: c.var.user!.id }), 201);
  })
  .post('/integrations/keys/:id/revoke', admins, async (c) =>
    c.json({ key: await keys.revokeApiKey(c.var.db, { id: c.req.param('id'), revokedBy: c.var.user!.id }) }),
  )
  .get('/integrations/campaigns', admins, async (c) => c.json({ campaigns: await service.listEventCampaigns(c.var.db) }))
  .get('/integrations/events', admins, async (c) => {
    const query = readQuery(c, v.object(PageQuery));
    return c.json(await service.listEvents(c.var.db, query));
  })
  .route('/v1', v1);
