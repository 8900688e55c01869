// /api/privacy/access-log: the record of staff reading customers' personal data, for admins, newest first,
// filtered by staff member, customer and time, a page at a time (keyset: nextBefore).
import { Hono } from 'hono';
import * as v from 'valibot';
import { message } from '../../surveys/i18n.ts';
import { requireRole } from '../accounts/guard.ts';
import type { AppEnv } from '../env.ts';
import { PageQuery, readQuery } from '../http.ts';
import { listReads } from './service.ts';

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

export const privacyRoutes = new Hono<AppEnv>().get('/privacy/access-log', requireRole('admin'), async (c) => {
  const query = readQuery(c, AccessLogQuery);
  return c.json(await listReads(c.var.db, { ...query, limit: Number(query.limit) }));
});
