// A customer's data rights: their data as one export. Exports are for managers and admins, who may read a
// customer's answers (support agents, who may not, would get an export without them, which is not everything).
import { Hono } from 'hono';
import * as v from 'valibot';
import { message } from '../../surveys/i18n.ts';
import { requireRole } from '../accounts/guard.ts';
import type { AppEnv } from '../env.ts';
import { readQuery } from '../http.ts';
import { exportFormats } from '../db/schema.ts';
import { exportCustomer, exportZip, recordExport } from './export.ts';

const managers = requireRole('admin', 'manager');

const ExportQuery = v.object({
  format: v.optional(v.picklist(exportFormats, message('The format is json or zip.', '格式只能是 json 或 zip。')), 'json'),
});

export const privacyRoutes = new Hono<AppEnv>().get('/customers/:id/export', managers, async (c) => {
  const { format } = readQuery(c, ExportQuery);
  const customerId = c.req.param('id');
  const document = await exportCustomer(c.var.db, customerId);
  await recordExport(c.var.db, customerId, format, c.var.user!);
  const name = `customer-${customerId.slice(0, 8)}`;
  c.header('cache-control', 'no-store');
  if (format === 'zip') {
    c.header('content-type', 'application/zip');
    c.header('content-disposition', `attachment; filename="${name}.zip"`);
    return c.body(exportZip(document) as Uint8Array<ArrayBuffer>);
  }
  c.header('content-disposition', `attachment; filename="${name}.json"`);
  return c.json(document);
});
