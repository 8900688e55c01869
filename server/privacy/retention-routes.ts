// /api/privacy/retention, for admins: how long each kind of data is kept, what happens to it then, what the next
// run will take (how many rows, the oldest among them), when that run is, and what the last run did.
//
//   GET /api/privacy/retention   → { kinds: [{ kind, action, period, defaultPeriod, due: { count, oldest } }], nextRunAt, lastRun }
//   PUT /api/privacy/retention   { settings: { <kind>: { unit: 'keep' } | { unit, count } } } → the same as GET
//   POST /api/privacy/retention/preview   { settings } → { kinds: [{ kind, action, due }], nextRunAt }: what the
//        next run would take with those periods, nothing saved (the page asks before a save that takes more)
import { Hono } from 'hono';
import * as v from 'valibot';
import { message } from '../../surveys/i18n.ts';
import { requireRole } from '../accounts/guard.ts';
import type { Db } from '../db/client.ts';
import type { AppEnv } from '../env.ts';
import { readJson } from '../http.ts';
import { defaultRetention, retentionActions, retentionKinds, RetentionSettingsSchema } from './retention-rules.ts';
import { lastRetentionRun, nextRetentionRun, previewRetention, readRetentionSettings, saveRetentionSettings, type DueCount } from './retention.ts';

const admins = requireRole('admin');

const RetentionInput = v.object(
  { settings: RetentionSettingsSchema },
  message('Send { "settings": { … } } with a period for each kind of data.', '请发送 { "settings": { … } }，每类数据一个保留期。'),
);

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

const dueView = (due: DueCount) => ({ count: due.count, oldest: iso(due.oldest) });

async function retentionView(db: Db) {
  const now = Date.now();
  const retention = await readRetentionSettings(db);
  // The next run's own cut-offs: what the page says will go is what that run takes, unless rows age meanwhile.
  const nextRunAt = await nextRetentionRun(db, now);
  const due = await previewRetention(db, retention, nextRunAt);
  const last = await lastRetentionRun(db);
  return {
    kinds: retentionKinds.map((kind) => ({
      kind,
      action: retentionActions[kind],
      period: retention[kind],
      defaultPeriod: defaultRetention[kind],
      due: dueView(due[kind]),
    })),
    nextRunAt: iso(nextRunAt)!,
    lastRun: last ? { startedAt: iso(last.startedAt)!, finishedAt: iso(last.finishedAt), counts: last.counts } : null,
  };
}

export const retentionRoutes = new Hono<AppEnv>()
  .get('/privacy/retention', admins, async (c) => c.json(await retentionView(c.var.db)))
  .put('/privacy/retention', admins, async (c) => {
    const { settings } = await readJson(c, RetentionInput);
    await saveRetentionSettings(c.var.db, settings, c.var.user!.id);
    return c.json(await retentionView(c.var.db));
  })
  .post('/privacy/retention/preview', admins, async (c) => {
    const { settings } = await readJson(c, RetentionInput);
    const nextRunAt = await nextRetentionRun(c.var.db);
    const due = await previewRetention(c.var.db, settings, nextRunAt);
    return c.json({ kinds: retentionKinds.map((kind) => ({ kind, action: retentionActions[kind], due: dueView(due[kind]) })), nextRunAt: iso(nextRunAt)! });
  });
