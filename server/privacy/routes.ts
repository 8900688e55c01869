// A customer's data rights: their data as one export, their identity erased, a legal hold that keeps it. Exports
// are for managers and admins, who may read a customer's answers (support agents, who may not, would get an
// export without them, which is not everything). Erasure and legal holds are for admins alone. And the record of
// staff reading customers' personal data (/api/privacy/access-log), for admins, newest first, filtered by staff
// member, customer and time, a page at a time (keyset: nextBefore).
import { Hono } from 'hono';
import * as v from 'valibot';
import { message } from '../../surveys/i18n.ts';
import { requireRole } from '../accounts/guard.ts';
import type { AppEnv } from '../env.ts';
import { PageQuery, readJson, readQuery } from '../http.ts';
import { exportFormats } from '../db/schema.ts';
import { exportCustomer, exportZip, recordExport } from './export.ts';
import { eraseCustomer, setLegalHold } from './erasure.ts';
import { getErasureRun, startErasureRun } from './erasure-runs.ts';
import { listReads, recordReads } from './access.ts';

const managers = requireRole('admin', 'manager');
const admins = requireRole('admin');

const ExportQuery = v.object({
  format: v.optional(v.picklist(exportFormats, message('The format is json or zip.', '格式只能是 json 或 zip。')), 'json'),
});

const reasonText = (what: string, zh: string) =>
  v.pipe(
    v.string(message(`Give the reason for the ${what} as text.`, `请以文字填写${zh}的原因。`)),
    v.trim(),
    v.minLength(1, message(`Give the reason for the ${what}.`, `请填写${zh}的原因。`)),
    v.maxLength(500, message(`Keep the reason to 500 characters.`, `原因最多 500 个字符。`)),
  );

const ErasureInput = v.object({ reason: reasonText('erasure', '删除') });
const LegalHoldInput = v.object({ reason: v.nullable(reasonText('legal hold', '法律保全')) });

/** At most this many customers in one request (a body of at most 1 MB holds them). */
export const maxErasuresPerRequest = 20_000;
const idList = (what: string) =>
  v.optional(
    v.pipe(
      v.array(
        v.pipe(v.string(), v.minLength(1, message(`Each of "${what}" is a non-empty text.`, `"${what}" 中的每一项都必须是非空文本。`)), v.maxLength(200)),
        message(`"${what}" is a list of texts.`, `"${what}" 必须是文本列表。`),
      ),
      v.maxLength(maxErasuresPerRequest, message(`Send at most ${maxErasuresPerRequest} ids in "${what}" per request; send the rest in another.`, `每次请求的 "${what}" 最多 ${maxErasuresPerRequest} 个，其余请分批发送。`)),
    ),
    [],
  );
const ManyErasuresInput = v.pipe(
  v.object({ reason: reasonText('erasure', '删除'), customerIds: idList('customerIds'), externalIds: idList('externalIds') }),
  v.check(
    (input) => input.customerIds.length + input.externalIds.length > 0,
    message('Name the customers to erase in "customerIds" (our ids) or "externalIds" (your system\'s ids).', '请在 "customerIds"（本系统编号）或 "externalIds"（贵方系统编号）中列出要删除的客户。'),
  ),
);

const idText = (name: string) =>
  v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100, message(`"${name}" is longer than 100 characters.`, `"${name}" 超过 100 个字符。`)), v.transform((text) => text || undefined)));

/** A time as ISO 8601 (2026-12-06T10:00:00Z) or a date (2026-12-06, midnight UTC). */
const time = (name: string) =>
  v.optional(
    v.pipe(
      v.string(),
      v.transform((text) => Date.parse(text)),
      v.check((at) => Number.isFinite(at), message(`"${name}" must be a date or time such as 2026-12-06 or 2026-12-06T10:00:00Z.`, `"${name}" 必须是日期或时间，例如 2026-12-06 或 2026-12-06T10:00:00Z。`)),
    ),
  );

const AccessLogQuery = v.object({ staffId: idText('staffId'), customerId: idText('customerId'), from: time('from'), to: time('to'), ...PageQuery });

export const privacyRoutes = new Hono<AppEnv>()
  .post('/customers/:id/erase', admins, async (c) => {
    const { reason } = await readJson(c, ErasureInput);
    return c.json({ erasure: await eraseCustomer(c.var.db, c.req.param('id'), { reason, actor: c.var.user! }) });
  })
  .post('/privacy/erasures', admins, async (c) => {
    const input = await readJson(c, ManyErasuresInput);
    return c.json({ erasure: await startErasureRun(c.var.db, { ...input, actor: c.var.user! }) }, 202);
  })
  .get('/privacy/access-log', admins, async (c) => {
    const query = readQuery(c, AccessLogQuery);
    return c.json(await listReads(c.var.db, { ...query, limit: Number(query.limit) }));
  })
  .get('/privacy/erasures/:id', admins, async (c) => c.json({ erasure: await getErasureRun(c.var.db, c.req.param('id')) }))
  .put('/customers/:id/legal-hold', admins, async (c) => {
    const { reason } = await readJson(c, LegalHoldInput);
    return c.json({ customer: await setLegalHold(c.var.db, c.req.param('id'), reason) });
  })
  .get('/customers/:id/export', managers, async (c) => {
    const { format } = readQuery(c, ExportQuery);
    const customerId = c.req.param('id');
    const document = await exportCustomer(c.var.db, customerId);
    await recordExport(c.var.db, customerId, format, c.var.user!);
    // Everything the customer's record holds, shown in full: a read like any other, in the access log.
    recordReads(c, [customerId], ['export']);
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
