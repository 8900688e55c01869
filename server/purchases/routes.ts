// Purchases: POST /api/v1/purchases for other systems (API keys, mounted by integrations/routes.ts), a
// customer's purchases for those who read customers, and CSV imports of purchases for managers and admins.
import { Hono } from 'hono';
import * as v from 'valibot';
import { locales } from '../../surveys/definition.ts';
import { bilingual, message } from '../../surveys/i18n.ts';
import { requireRole } from '../accounts/guard.ts';
import type { AppEnv } from '../env.ts';
import { DomainError } from '../errors.ts';
import { declaredOver, localeOf, parseInput, readJson } from '../http.ts';
import type { IntegrationEnv } from '../integrations/keys.ts';
import * as imports from './imports.ts';
import { CustomerPurchasesQuery, itemOfInput, PurchaseBatchInput, PurchaseInput, purchaseImportFields, purchaseImportLimitBytes } from './rules.ts';
import { ingestPurchases, listCustomerPurchases } from './service.ts';

export const purchaseImportFilePath = '/purchase-imports/:id/file';

const managers = requireRole('admin', 'manager');
const readers = requireRole('admin', 'manager', 'support');

/**
 * POST /purchases under /api/v1: one purchase (an object with "orderId"), or a batch { "purchases": [...] } of up
 * to 1,000, stored all together or not at all. 201 when something was stored, 200 when every order was there.
 */
export const v1PurchaseRoutes = new Hono<IntegrationEnv>().post('/purchases', async (c) => {
  const body = await readJson(c, v.unknown());
  const locale = localeOf(c);
  const isBatch = typeof body === 'object' && body !== null && !Array.isArray(body) && 'purchases' in body;
  const items = isBatch ? parseInput(PurchaseBatchInput, body, locale).purchases : [parseInput(PurchaseInput, body, locale)];
  const result = await ingestPurchases(c.var.db, items.map(itemOfInput), {
    source: 'api',
    apiKeyId: c.var.apiKey.id,
    paths: (index) => (isBatch ? `purchases.${index}` : ''),
  });
  return c.json(result, result.created > 0 ? 201 : 200);
});

const wholeNumber = (fallback: number, min: number, max: number) =>
  v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,9}$/, message(`Use a whole number from ${min} to ${max}.`, `请使用 ${min} 到 ${max} 之间的整数。`)),
      v.transform(Number),
      v.minValue(min, message(`Use a whole number from ${min} to ${max}.`, `请使用 ${min} 到 ${max} 之间的整数。`)),
      v.maxValue(max, message(`Use a whole number from ${min} to ${max}.`, `请使用 ${min} 到 ${max} 之间的整数。`)),
    ),
    String(fallback),
  );

const RowPageQuery = v.object({ after: wholeNumber(0, 0, 999_999_999), limit: wholeNumber(100, 1, 500) });

const NewImport = v.object({
  fileName: v.pipe(
    v.string(message('Name the file.', '请提供文件名。')),
    v.trim(),
    v.nonEmpty(message('Name the file.', '请提供文件名。')),
    v.maxLength(255, message('The file name is too long.', '文件名过长。')),
  ),
  sizeBytes: v.pipe(v.number(), v.integer(), v.minValue(0)),
  encoding: v.optional(v.picklist(['utf-8', 'gb18030'], message('The encoding is utf-8 or gb18030.', '编码只能是 utf-8 或 gb18030。'))),
  delimiter: v.optional(v.picklist([',', '\t'], message('The delimiter is a comma or a tab.', '分隔符只能是逗号或制表符。'))),
  mapping: v.optional(
    v.array(
      v.nullable(v.picklist(purchaseImportFields, message('Each column maps to a purchase field or to nothing.', '每一列只能对应一个购买记录字段或不导入。'))),
    ),
  ),
});

const fileTooLarge = () =>
  new DomainError(
    'too_large',
    bilingual(
      `The file is larger than ${purchaseImportLimitBytes / 1024 / 1024} MB. Split it into smaller files and import each.`,
      `文件超过 ${purchaseImportLimitBytes / 1024 / 1024} MB。请拆分为较小的文件分别导入。`,
    ),
  );

export const purchaseRoutes = new Hono<AppEnv>()
  .get('/customers/:id/purchases', readers, async (c) => {
    const { before, limit } = parseInput(CustomerPurchasesQuery, c.req.query(), localeOf(c));
    return c.json(await listCustomerPurchases(c.var.db, { customerId: c.req.param('id'), before, limit }));
  })
  .post('/purchase-imports', managers, async (c) => {
    const input = await readJson(c, NewImport);
    if (input.sizeBytes > purchaseImportLimitBytes) throw fileTooLarge();
    return c.json({ import: await imports.createImport(c.var.db, { ...input, createdBy: c.var.user!.id }) }, 201);
  })
  // The whole file as the body (text/csv or application/octet-stream), read as it arrives.
  .put(purchaseImportFilePath, managers, async (c) => {
    if (declaredOver(c, purchaseImportLimitBytes)) throw fileTooLarge();
    const body = c.req.raw.body;
    if (!body) throw new DomainError('bad_request', bilingual('Send the CSV file as the request body.', '请将 CSV 文件作为请求内容发送。'));
    const declared = c.req.header('content-length');
    const result = await imports.receiveFile(c.var.db, {
      id: c.req.param('id'),
      body,
      maxBytes: purchaseImportLimitBytes,
      declaredBytes: declared === undefined ? undefined : Number(declared),
    });
    return c.json({ import: result });
  })
  .get('/purchase-imports/:id', managers, async (c) => c.json({ import: await imports.getImport(c.var.db, c.req.param('id')) }))
  .get('/purchase-imports/:id/rejections', managers, async (c) => {
    const { after, limit } = parseInput(RowPageQuery, c.req.query(), localeOf(c));
    return c.json(await imports.listRejections(c.var.db, { importId: c.req.param('id'), after, limit }));
  })
  .get('/purchase-imports/:id/customers', managers, async (c) => c.json(await imports.importCustomers(c.var.db, c.req.param('id'))))
  // A plain link downloads it, so the language may come as ?lang= as well as from the headers.
  .get('/purchase-imports/:id/rejections.csv', managers, async (c) => {
    const asked = c.req.query('lang');
    const locale = locales.find((candidate) => candidate === asked) ?? localeOf(c);
    const id = c.req.param('id');
    const report = await imports.rejectionReport(c.var.db, { importId: id, locale });
    return c.body(report, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="rejected-purchases-${id.slice(0, 8)}.csv"`,
      'cache-control': 'no-store',
    });
  });
