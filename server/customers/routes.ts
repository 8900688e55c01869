// /api/customers and /api/customer-imports. Managers and admins manage customers; support agents, who work
// complaints, may read them; interviewers get call lists elsewhere and have no use for the whole file.
import { Hono } from 'hono';
import * as v from 'valibot';
import { bilingual, message } from '../../surveys/i18n.ts';
import { requireRole } from '../accounts/guard.ts';
import type { AppEnv } from '../env.ts';
import { localeOf, PageQuery, parseInput, readJson, readQuery, wholeNumber } from '../http.ts';
import { fileTooLarge, newImportInput, RowPageQuery, takeUpload, rejectionDownload } from '../imports/routes.ts';
import * as imports from './imports.ts';
import { CustomerInput, importFields, importLimitBytes } from './rules.ts';
import type { StaffUser } from '../accounts/service.ts';
import { consentHistory } from './consent-history.ts';
import { customerLoyaltyView } from './loyalty-view.ts';
import { customerTimeline, parseTimelineCursor } from './timeline.ts';
import * as service from './service.ts';
import { maskCustomer, maskText } from '../privacy/masking.ts';
import { customersInWork, recordReads } from '../privacy/access.ts';
import { customerKinds, customerTiers } from './vocabulary.ts';

export const customerImportFilePath = '/customer-imports/:id/file';

const managers = requireRole('admin', 'manager');
const readers = requireRole('admin', 'manager', 'support');

/** What a customer record shows of a person: a read of these is recorded (privacy/access.ts). */
const customerFieldsRead = ['name', 'contactName', 'email', 'phone', 'postalAddress', 'externalId'];

const blankAsMissing = (text: string | undefined) => (text === undefined || text.trim() === '' ? undefined : text);

const ListQuery = v.object({
  q: v.optional(v.pipe(v.string(), v.maxLength(200, message('Search for at most 200 characters.', '搜索内容最多 200 个字符。')))),
  segment: v.optional(v.string()),
  region: v.optional(v.string()),
  tier: v.optional(v.picklist(customerTiers, message('The tier is vip, important or ordinary.', '等级只能是 vip、important 或 ordinary。'))),
  kind: v.optional(v.picklist(customerKinds, message('The kind is individual or enterprise.', '类型只能是 individual 或 enterprise。'))),
  page: wholeNumber(1, 1, 1_000_000),
  pageSize: wholeNumber(25, 1, 100),
});

const staffActor = (user: StaffUser) => ({ source: 'staff' as const, actorId: user.id, actorName: user.name });

const HistoryQuery = v.object({
  before: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,15}$/, message('"before" must be the nextBefore of the previous page.', '"before" 必须是上一页返回的 nextBefore。')),
      v.transform(Number),
    ),
  ),
  limit: wholeNumber(50, 1, 200),
});

const TimelineQuery = v.object({
  before: v.optional(
    v.pipe(
      v.string(),
      v.check((text) => parseTimelineCursor(text) !== null, message('"before" must be the nextBefore of the previous page.', '"before" 必须是上一页返回的 nextBefore。')),
    ),
  ),
  limit: wholeNumber(30, 1, 100),
});

const NewImport = newImportInput(importFields, bilingual('Each column maps to a customer field or to nothing.', '每一列只能对应一个客户字段或不导入。'));

export const customerRoutes = new Hono<AppEnv>()
  .get('/customers', readers, async (c) => {
    const query = parseInput(ListQuery, c.req.query(), localeOf(c));
    const found = await service.listCustomers(c.var.db, {
      ...query,
      q: blankAsMissing(query.q),
      segment: blankAsMissing(query.segment),
      region: blankAsMissing(query.region),
    });
    // Each customer outside the reader's work is listed masked (privacy/masking.ts).
    const inWork = await customersInWork(c.var.db, c.var.user!, found.customers.map((customer) => customer.id));
    recordReads(c, [...inWork], customerFieldsRead);
    return c.json({ ...found, customers: found.customers.map((customer) => (inWork.has(customer.id) ? customer : maskCustomer(customer))) });
  })
  .get('/customers/facets', readers, async (c) => c.json(await service.customerFacets(c.var.db)))
  .post('/customers', managers, async (c) => {
    const input = await readJson(c, CustomerInput);
    return c.json({ customer: await service.createCustomer(c.var.db, input, staffActor(c.var.user!)) }, 201);
  })
  .get('/customers/owners', readers, async (c) => c.json({ owners: await service.listOwners(c.var.db) }))
  .get('/customers/:id', readers, async (c) => {
    const customer = await service.getCustomer(c.var.db, c.req.param('id'));
    const full = (await customersInWork(c.var.db, c.var.user!, [customer.id])).has(customer.id);
    if (full) recordReads(c, [customer.id], customerFieldsRead);
    return c.json({ customer: full ? customer : maskCustomer(customer), loyalty: await customerLoyaltyView(c.var.db, customer), personal: full });
  })
  // Responses appear for those who read answers (managers and admins), as on /customers/:id/responses.
  .get('/customers/:id/timeline', readers, async (c) => {
    const { before, limit } = parseInput(TimelineQuery, c.req.query(), localeOf(c));
    const withResponses = c.var.user!.role === 'admin' || c.var.user!.role === 'manager';
    return c.json(await customerTimeline(c.var.db, { customerId: c.req.param('id'), before, limit, withResponses }));
  })
  .put('/customers/:id', managers, async (c) => {
    const input = await readJson(c, CustomerInput);
    const { customer } = await service.updateCustomer(c.var.db, c.req.param('id'), input, staffActor(c.var.user!));
    return c.json({ customer });
  })
  .get('/customers/:id/consent-history', readers, async (c) => {
    const query = parseInput(HistoryQuery, c.req.query(), localeOf(c));
    const history = await consentHistory(c.var.db, { customerId: c.req.param('id'), before: query.before, limit: query.limit });
    // The remarks recorded with a change are staff's words about the customer: withheld outside the reader's work,
    // and a read when shown in full.
    if ((await customersInWork(c.var.db, c.var.user!, [c.req.param('id')])).size > 0) {
      if (history.changes.some((change) => change.note !== null)) recordReads(c, [c.req.param('id')], ['consentNote']);
      return c.json(history);
    }
    return c.json({ ...history, changes: history.changes.map((change) => ({ ...change, note: maskText(change.note) })) });
  })
  // Answers are for those who read responses (responses/routes.ts): managers and admins.
  .get('/customers/:id/responses', managers, async (c) => {
    const { before, limit } = readQuery(c, v.object(PageQuery));
    const page = await service.listCustomerResponses(c.var.db, { customerId: c.req.param('id'), before, limit });
    if (page.responses.length > 0) recordReads(c, [c.req.param('id')], ['answers']);
    return c.json(page);
  })
  .post('/customer-imports', managers, async (c) => {
    const input = await readJson(c, NewImport);
    if (input.sizeBytes > importLimitBytes) throw fileTooLarge(importLimitBytes);
    return c.json({ import: await imports.createImport(c.var.db, { ...input, createdBy: c.var.user!.id }) }, 201);
  })
  .put(customerImportFilePath, managers, async (c) =>
    c.json({ import: await takeUpload(c, importLimitBytes, (upload) => imports.receiveFile(c.var.db, upload)) }),
  )
  .get('/customer-imports/:id', managers, async (c) => c.json({ import: await imports.getImport(c.var.db, c.req.param('id')) }))
  .get('/customer-imports/:id/rejections', managers, async (c) => {
    const { after, limit } = parseInput(RowPageQuery, c.req.query(), localeOf(c));
    return c.json(await imports.listRejections(c.var.db, { importId: c.req.param('id'), after, limit }));
  })
  .get('/customer-imports/:id/consent-kept', managers, async (c) => {
    const { after, limit } = parseInput(RowPageQuery, c.req.query(), localeOf(c));
    return c.json(await imports.listConsentKept(c.var.db, { importId: c.req.param('id'), after, limit }));
  })
  .get('/customer-imports/:id/rejections.csv', managers, (c) =>
    rejectionDownload(c, 'rejected-rows', (input) => imports.rejectionReport(c.var.db, input)),
  );
