// /api/loyalty: the loyalty settings (read and saved by admins and managers) and the full recompute on demand.
//
//   GET  /api/loyalty/settings    → { settings }
//   PUT  /api/loyalty/settings    { settings fields } → { settings }   and asks for a recompute
//   GET  /api/loyalty/recompute   → { running: { since } | null, last: { computedAt, customers, withPurchases } | null }
//   POST /api/loyalty/recompute   → 202 { job: { id, created } }   a job runs it; one asked for in the same second is the same job
import { Hono } from 'hono';
import { requireRole } from '../accounts/guard.ts';
import type { AppEnv } from '../env.ts';
import { readJson } from '../http.ts';
import { readCuts } from './engine.ts';
import { recomputeRunning, requestRecompute } from './recompute.ts';
import { LoyaltySettingsSchema, readLoyaltySettings, saveLoyaltySettings } from './settings.ts';

const managers = requireRole('admin', 'manager');

export const loyaltyRoutes = new Hono<AppEnv>()
  .get('/loyalty/settings', managers, async (c) => c.json({ settings: await readLoyaltySettings(c.var.db) }))
  .put('/loyalty/settings', managers, async (c) => {
    const settings = await readJson(c, LoyaltySettingsSchema);
    // New cut-offs, shares or rates apply to everyone: a recompute is asked for with the save.
    await c.var.db.transaction(async (tx) => {
      await saveLoyaltySettings(tx, settings, c.var.user!.id);
      await requestRecompute(tx);
    });
    return c.json({ settings: await readLoyaltySettings(c.var.db) });
  })
  .get('/loyalty/recompute', managers, async (c) => {
    const cuts = await readCuts(c.var.db);
    return c.json({
      running: await recomputeRunning(c.var.db),
      last: cuts ? { computedAt: cuts.computedAt, customers: cuts.customers, withPurchases: cuts.withPurchases } : null,
    });
  })
  .post('/loyalty/recompute', managers, async (c) => c.json({ job: await requestRecompute(c.var.db) }, 202));
