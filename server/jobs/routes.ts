// /api/jobs: admins see background jobs by status and put a dead one back to run.
import { Hono } from 'hono';
import * as v from 'valibot';
import { message } from '../../surveys/i18n.ts';
import { requireRole } from '../accounts/guard.ts';
import type { AppEnv } from '../env.ts';
import { PageQuery, readQuery } from '../http.ts';
import { jobStatuses, listJobs, retryDeadJob } from './queue.ts';

const JobQuery = v.object({
  status: v.optional(
    v.picklist(jobStatuses, message('"status" must be one of pending, running, done, dead.', '"status" 必须是 pending、running、done、dead 之一。')),
  ),
  kind: v.optional(v.string()),
  ...PageQuery,
});

const admins = requireRole('admin');

export const jobRoutes = new Hono<AppEnv>()
  .get('/jobs', admins, async (c) => c.json(await listJobs(c.var.db, readQuery(c, JobQuery))))
  .post('/jobs/:id/retry', admins, async (c) => c.json({ job: await retryDeadJob(c.var.db, c.req.param('id')) }));
