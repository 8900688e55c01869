// Whose personal data a staff member's work is about (masking.ts says what the others see), and the record of
// every read of a customer's personal data by staff: kept in memory and written in batches behind the reads,
// so reading a customer page does not wait on a write; read back by admins a page at a time.
//
//   customersInWork(db, viewer, ids) → the ids among `ids` the viewer sees in full
//   recordReads(c, customerIds, fields) → void (queued; written within a second, or when 500 are waiting;
//                                         a failed write is tried again within a second)
//   flushReads(db) → written now (before the log is read, and at shutdown)
//   listReads(db, query) → { reads, nextBefore }
import { randomUUID } from 'node:crypto';
import { and, desc, eq, gte, inArray, isNull, lte, ne, or, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { routePath } from 'hono/route';
import type { Db } from '../db/client.ts';
import { olderThanCursor, pageOf } from '../db/paging.ts';
import { insertRows } from '../db/raw.ts';
import { campaignInvitations, complaintCases, customers, followUps, isOpenCase, staffReads, users } from '../db/schema.ts';
import type { AppEnv } from '../env.ts';
import { seesEveryone, type Viewer } from './masking.ts';

/**
 * The customers among `ids` whose personal data the viewer sees in full: all for admins and managers; for a
 * support agent, those with a case assigned to them, an open case nobody has taken, or a follow-up assigned to
 * them or waiting in the shared list of follow-up calls; for an interviewer, the customer of a call they hold now.
 */
export async function customersInWork(db: Db, viewer: Viewer, ids: readonly (string | null)[]): Promise<Set<string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Set();
  if (seesEveryone(viewer.role)) return new Set(wanted);
  const found = new Set<string>();
  for (let start = 0; start < wanted.length; start += 500) {
    const chunk = wanted.slice(start, start + 500);
    if (viewer.role === 'support') {
      const cases = await db
        .selectDistinct({ id: complaintCases.customerId })
        .from(complaintCases)
        .where(
          and(
            inArray(complaintCases.customerId, chunk),
            or(eq(complaintCases.assigneeId, viewer.id), and(isNull(complaintCases.assigneeId), isOpenCase(complaintCases.status))),
          ),
        );
      const tasks = await db
        .selectDistinct({ id: followUps.customerId })
        .from(followUps)
        .where(
          and(
            inArray(followUps.customerId, chunk),
            or(
              eq(followUps.assigneeId, viewer.id),
              // The shared list of follow-up calls every agent works (loyalty/follow-ups.ts, view "calls").
              and(isNull(followUps.assigneeId), eq(followUps.status, 'open'), ne(followUps.kind, 'at_risk'), eq(followUps.channel, 'phone')),
            ),
          ),
        );
      for (const row of [...cases, ...tasks]) if (row.id) found.add(row.id);
    } else if (viewer.role === 'interviewer') {
      const calls = await db
        .selectDistinct({ id: campaignInvitations.customerId })
        .from(campaignInvitations)
        .where(
          and(
            inArray(campaignInvitations.customerId, chunk),
            eq(campaignInvitations.claimedBy, viewer.id),
            sql`${campaignInvitations.claimedUntil} > ${Date.now()}`,
          ),
        );
      for (const row of calls) if (row.id) found.add(row.id);
    }
  }
  return found;
}

/** Whether the viewer sees this one customer in full. */
export async function worksOn(db: Db, viewer: Viewer, customerId: string | null): Promise<boolean> {
  if (seesEveryone(viewer.role)) return true;
  if (customerId === null) return false;
  return (await customersInWork(db, viewer, [customerId])).has(customerId);
}

// ---------------------------------------------------------------------------------------------------------
// The record of reads

type ReadRow = typeof staffReads.$inferInsert;

/** Waiting reads are written when this many wait, or after flushAfterMs, whichever is first. */
const batchSize = 500;
const flushAfterMs = 1000;

class ReadRecorder {
  private waiting: ReadRow[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly db: Db) {}

  add(rows: ReadRow[]) {
    for (const row of rows) this.waiting.push(row);
    if (this.waiting.length >= batchSize) void this.flush();
    else this.later();
  }

  /** Writes what is waiting within flushAfterMs, unless a write is already set for then. */
  private later() {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), flushAfterMs);
    this.timer.unref();
  }

  /**
   * Writes what is waiting, after any write already under way, in one transaction: a batch long enough to take
   * several statements is written whole or not at all, so writing it again never meets a part already written.
   * A failed write is reported, its rows kept, and tried again within flushAfterMs, whether or not more reads come.
   */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const rows = this.waiting;
    this.waiting = [];
    this.writing = this.writing.then(async () => {
      // A database closed without flushing first (main.ts flushes before it closes) has no one left to write for.
      if (rows.length === 0 || this.db.$client.closed) return;
      try {
        await this.db.transaction((tx) => insertRows(tx, staffReads, rows));
      } catch (error) {
        console.error('The record of staff reads could not be written; it is tried again within a second.', error);
        this.waiting = rows.concat(this.waiting);
        this.later();
      }
    });
    return this.writing;
  }
}

const recorders = new WeakMap<Db, ReadRecorder>();
const recorderOf = (db: Db) => {
  let recorder = recorders.get(db);
  if (!recorder) recorders.set(db, (recorder = new ReadRecorder(db)));
  return recorder;
};

/**
 * Records that the signed-in staff member read these customers' personal data (the fields named) on this
 * request's route. Only what they saw in full is a read: pass the customers shown masked nowhere.
 */
export function recordReads(c: Context<AppEnv>, customerIds: readonly (string | null)[], fields: readonly string[]) {
  const user = c.var.user;
  const ids = [...new Set(customerIds.filter((id): id is string => id !== null))];
  if (!user || ids.length === 0 || fields.length === 0) return;
  const at = Date.now();
  const route = `${c.req.method} ${routePath(c).replace(/^\/api/, '')}`;
  recorderOf(c.var.db).add(ids.map((customerId) => ({ id: randomUUID(), at, staffId: user.id, customerId, route, fields: fields.join(',') })));
}

/** Writes the reads still waiting. */
export function flushReads(db: Db): Promise<void> {
  return recorders.get(db)?.flush() ?? Promise.resolve();
}

export interface ReadQuery {
  staffId?: string | undefined;
  customerId?: string | undefined;
  /** Milliseconds since 1970, inclusive. */
  from?: number | undefined;
  to?: number | undefined;
  before?: string | undefined;
  limit: number;
}

/** The record, newest first, a page at a time, with the staff member's and the customer's names. */
export async function listReads(db: Db, query: ReadQuery) {
  await flushReads(db);
  const rows = await db
    .select({
      id: staffReads.id,
      at: staffReads.at,
      staffId: staffReads.staffId,
      staffName: users.name,
      staffRole: users.role,
      customerId: staffReads.customerId,
      customerName: customers.name,
      route: staffReads.route,
      fields: staffReads.fields,
    })
    .from(staffReads)
    .leftJoin(users, eq(users.id, staffReads.staffId))
    .leftJoin(customers, eq(customers.id, staffReads.customerId))
    .where(
      and(
        query.staffId ? eq(staffReads.staffId, query.staffId) : undefined,
        query.customerId ? eq(staffReads.customerId, query.customerId) : undefined,
        query.from !== undefined ? gte(staffReads.at, query.from) : undefined,
        query.to !== undefined ? lte(staffReads.at, query.to) : undefined,
        olderThanCursor(staffReads.at, staffReads.id, query.before),
      ),
    )
    .orderBy(desc(staffReads.at), desc(staffReads.id))
    .limit(query.limit + 1);
  const { page, nextBefore } = pageOf(rows, query.limit, (row) => row.at);
  return {
    reads: page.map((row) => ({ ...row, at: new Date(row.at).toISOString(), fields: row.fields.split(',') })),
    nextBefore,
  };
}
