// Purchases: POST /api/v1/purchases for other systems (API keys, mounted by integrations/routes.ts), a
// customer's purchases for those who read customers, and CSV imports of purchases for managers and admins.
import { Hono } from 'hono';
import * as v from 'valibot';
import { bilingual } from '../../surveys/i18n.ts';
import { requireRole } from '../accounts/guard.ts';
import type { AppEnv } from '../env.ts';
import { localeOf, parseInput, readJson } from '../http.ts';
import { fileTooLarge, newImportInput, RowPageQuery, takeUpload, rejectionDownload } from '../imports/routes.ts';
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

const NewImport = newImportInput(
  purchaseImportFields,
  bilingual('Each column maps to a purchase field or to nothing.', '每一列只能对应一个购买记录字段或不导入。'),
);

export const purchaseRoutes = new Hono<AppEnv>()
  .get('/customers/:id/purchases', readers, async (c) => {
    const { before, limit } = parseInput(CustomerPurchasesQuery, c.req.query(), localeOf(c));
    return c.json(await listCustomerPurchases(c.var.db, { customerId: c.req.param('id'), before, limit }));
  })
  .post('/purchase-imports', managers, async (c) => {
    const input = await readJson(c, NewImport);
    if (input.sizeBytes > purchaseImportLimitBytes) throw fileTooLarge(purchaseImportLimitBytes);
    return c.json({ import: await imports.createImport(c.var.db, { ...input, createdBy: c.var.user!.id }) }, 201);
  })
  .put(purchaseImportFilePath, managers, async (c) =>
    c.json({ import: await takeUpload(c, purchaseImportLimitBytes, (upload) => imports.receiveFile(c.var.db, upload)) }),
  )
  .get('/purchase-imports/:id', managers, async (c) => c.json({ import: await imports.getImport(c.var.db, c.req.param('id')) }))
  .get('/purchase-imports/:id/rejections', managers, async (c) => {
    const { after, limit } = parseInput(RowPageQuery, c.req.query(), localeOf(c));
    return c.json(await imports.listRejections(c.var.db, { importId: c.req.param('id'), after, limit }));
  })
  .get('/purchase-imports/:id/customers', managers, async (c) => c.json(await imports.importCustomers(c.var.db, c.req.param('id'))))
  .get('/purchase-imports/:id/rejections.csv', managers, (c) =>
    rejectionDownload(c, 'rejected-purchases', (input) => imports.rejectionReport(c.var.db, input)),
  );
