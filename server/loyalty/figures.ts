// GET /api/insights/loyalty: the loyalty figures for the dashboard's filter. Where customers stand now (stage
// distribution, the pyramid of tiers, churn, the at-risk list) is read from customer_loyalty and customers;
// what moved in the period (monthly flows between stages, into at-risk and churn, with their reasons) from
// loyalty_changes; our own TARP table from complaint_cases and purchases (tarp.ts says who is counted).
// The filter's dates and segment apply; its channels, survey and flagged switch speak of survey answers and
// do not. Every figure names how many customers it rests on.
import { bucketsBetween, addDays, dayStart } from '../../surveys/indices/periods.ts';
import { shareEstimate } from '../complaints/figure-stats.ts';
import type { CaseSeverity, RecoveryOutcome } from '../complaints/vocabulary.ts';
import { customerTiers, type CustomerTier } from '../customers/vocabulary.ts';
import type { Db } from '../db/client.ts';
import type { InsightContext } from '../insights/filter.ts';
import type { Estimate, InsightFilter } from '../insights/types.ts';
import { readLoyaltySettings, type LoyaltySettings } from './settings.ts';
import { ownTarpTable, publishedVersions, type ComplaintFact, type OwnTarpTable, type PublishedVersion, type ReferenceFact } from './tarp.ts';
import { atRiskReasons, churnKinds, loyaltyStages, type AtRiskReason, type ChurnKind, type LoyaltyStage } from './vocabulary.ts';

export const atRiskOrders = ['value_desc', 'value_asc'] as const;
export type AtRiskOrder = (typeof atRiskOrders)[number];

/** How many at-risk customers the list shows (the count says how many there are). */
export const atRiskListLimit = 100;
/** How many of the latest moves into at-risk the report names, per stage they moved from. */
export const moversPerStage = 25;

/** Where a move starts or ends: a stage, or the at-risk and churn overlays; `none` before the first stage. */
export type FlowPoint = LoyaltyStage | 'none' | 'at_risk' | ChurnKind;

export interface StageRow {
  stage: LoyaltyStage;
  customers: number;
  /** Of the customers with a stage. */
  share: number | null;
  atRisk: number;
  churned: number;
}

export interface FlowRow {
  /** First day of the month. */
  bucket: string;
  from: FlowPoint;
  to: FlowPoint;
  customers: number;
}

export interface ReasonRow {
  bucket: string;
  /** The stage the customer was in when flagged at risk. */
  from: FlowPoint;
  reason: string;
  customers: number;
}

export interface Mover {
  customerId: string;
  name: string;
  at: number;
  from: FlowPoint;
  reasons: string[];
}

export interface TierRow {
  tier: CustomerTier;
  customers: number;
  customerShare: number | null;
  /** Net value in the window, base-currency minor units (refunds netted; customers below zero count as zero). */
  value: number;
  valueShare: number | null;
  /** DOMAIN.md: VIP about 5% of customers and 50% of profit, important 15% and 30%, ordinary 80% and 20%. */
  published: { customers: number; value: number };
}

export interface AtRiskRow {
  customerId: string;
  name: string;
  stage: LoyaltyStage;
  tier: CustomerTier;
  tierSetByHand: boolean;
  reasons: AtRiskReason[];
  value: number;
  lastPurchaseAt: number | null;
  score: number | null;
  churned: ChurnKind | null;
}

export interface LoyaltyReport {
  filter: InsightFilter;
  timeZone: string;
  /** When the figures were read. */
  computedAt: number;
  /** Values are in this currency's minor units, with this many digits after the point. */
  currency: { base: string; fractionDigits: number };
  windowMonths: number;
  /** Customers in the selection (the segment), and those the loyalty engine has not placed yet. */
  customers: number;
  notComputed: number;
  stages: StageRow[];
  months: string[];
  flows: FlowRow[];
  reasons: ReasonRow[];
  movers: Mover[];
  pyramid: { customers: number; value: number; withoutPurchases: number; rows: TierRow[] };
  churn: {
    /** Customers churned now, by kind; the voiced share of them with its interval. */
    now: Record<ChurnKind, number> & { voicedShare: Estimate };
    /** Moves into churn in the period, per month. */
    trend: { bucket: string; voiced: number; silent: number }[];
  };
  atRisk: { total: number; order: AtRiskOrder; rows: AtRiskRow[] };
  tarp: OwnTarpTable & { published: readonly PublishedVersion[] };
}

export const publishedTierShares: Record<CustomerTier, { customers: number; value: number }> = {
  vip: { customers: 0.05, value: 0.5 },
  important: { customers: 0.15, value: 0.3 },
  ordinary: { customers: 0.8, value: 0.2 },
};

const truthy = (text: unknown) => text === 'true' || text === '1' || text === 1 || text === 'yes';
const json = (text: unknown): string[] => {
  if (typeof text !== 'string' || text === '') return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
};
const stageOrNone = (value: unknown): FlowPoint => (typeof value === 'string' && (loyaltyStages as readonly string[]).includes(value) ? (value as LoyaltyStage) : 'none');

/** The digits a currency is written with (2 for CNY, 0 for JPY). */
export function fractionDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * The condition keeping the filter's segment, on a column holding customer ids: over every customer, the
 * segment's ids read once (IN); per row, for statements that each see a day's rows, the customer looked up.
 */
function segmentCondition(filter: InsightFilter, column: string, perRow = false): { sql: string; args: string[] } {
  if (filter.segment === null) return { sql: '', args: [] };
  if (perRow) return { sql: ` AND (SELECT segment FROM customers WHERE id = ${column}) = ?`, args: [filter.segment] };
  return { sql: ` AND ${column} IN (SELECT id FROM customers WHERE segment = ?)`, args: [filter.segment] };
}

/** Customers per stage now, with those at risk and churned (voiced, silent): one read of an index alone. */
async function readStages(db: Db, filter: InsightFilter) {
  const segment = segmentCondition(filter, 'l.customer_id');
  const [stages, total] = await Promise.all([
    db.$client.execute({
      sql: `SELECT l.stage, count(*), sum(l.at_risk), sum(l.churned = 'voiced'), sum(l.churned = 'silent')
              FROM customer_loyalty l WHERE 1 = 1${segment.sql} GROUP BY l.stage`,
      args: segment.args,
    }),
    db.$client.execute(
      filter.segment === null ? 'SELECT count(*) FROM customers' : { sql: 'SELECT count(*) FROM customers WHERE segment = ?', args: [filter.segment] },
    ),
  ]);
  const found = new Map(
    stages.rows.map((row) => [String(row[0]), { customers: Number(row[1]), atRisk: Number(row[2] ?? 0), voiced: Number(row[3] ?? 0), silent: Number(row[4] ?? 0) }]),
  );
  const placed = [...found.values()].reduce((sum, row) => sum + row.customers, 0);
  const rows: StageRow[] = loyaltyStages.map((stage) => {
    const row = found.get(stage) ?? { customers: 0, atRisk: 0, voiced: 0, silent: 0 };
    return { stage, customers: row.customers, share: placed === 0 ? null : row.customers / placed, atRisk: row.atRisk, churned: row.voiced + row.silent };
  });
  const churned: Record<ChurnKind, number> = { voiced: 0, silent: 0 };
  for (const row of found.values()) {
    churned.voiced += row.voiced;
    churned.silent += row.silent;
  }
  const customers = Number(total.rows[0]?.[0] ?? 0);
  return { rows, customers, notComputed: Math.max(0, customers - placed), churned: { ...churned, voicedShare: shareEstimate(churned.voiced, churned.voiced + churned.silent) } };
}

/**
 * Customers who bought in the window and their value, per tier. The engine keeps customers.tier equal to the
 * computed tier unless it was set by hand, so the computed tiers are counted from an index alone and the few
 * customers with a tier set by hand moved to it.
 */
async function readPyramid(db: Db, filter: InsightFilter) {
  const segment = segmentCondition(filter, 'l.customer_id');
  const handSegment = filter.segment === null ? { sql: '', args: [] as string[] } : { sql: ' AND c.segment = ?', args: [filter.segment] };
  const [computed, byHand] = await Promise.all([
    db.$client.execute({
      sql: `SELECT l.computed_tier, count(*), sum(max(l.window_value, 0))
              FROM customer_loyalty l
             WHERE l.window_purchases > 0${segment.sql}
             GROUP BY l.computed_tier`,
      args: segment.args,
    }),
    db.$client.execute({
      sql: `SELECT c.tier, l.computed_tier, count(*), sum(max(l.window_value, 0))
              FROM customers c JOIN customer_loyalty l ON l.customer_id = c.id
             WHERE c.tier_set_by_hand = 1 AND l.window_purchases > 0${handSegment.sql}
             GROUP BY c.tier, l.computed_tier`,
      args: handSegment.args,
    }),
  ]);
  const tally = new Map<string, { customers: number; value: number }>(customerTiers.map((tier) => [tier, { customers: 0, value: 0 }]));
  const add = (tier: unknown, customers: number, value: number) => {
    const row = tally.get(String(tier));
    if (row) {
      row.customers += customers;
      row.value += value;
    }
  };
  for (const row of computed.rows) add(row[0], Number(row[1]), Number(row[2] ?? 0));
  for (const row of byHand.rows) {
    add(row[1], -Number(row[2]), -Number(row[3] ?? 0));
    add(row[0], Number(row[2]), Number(row[3] ?? 0));
  }
  const customers = [...tally.values()].reduce((sum, row) => sum + row.customers, 0);
  const value = [...tally.values()].reduce((sum, row) => sum + row.value, 0);
  const rows: TierRow[] = customerTiers.map((tier) => {
    const row = tally.get(tier)!;
    return {
      tier,
      customers: row.customers,
      customerShare: customers === 0 ? null : row.customers / customers,
      value: row.value,
      valueShare: value === 0 ? null : row.value / value,
      published: publishedTierShares[tier],
    };
  });
  return { customers, value, rows };
}

/** Lets requests waiting on the event loop in between two statements of a reading (libSQL answers on this thread). */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A reading goes through time a day at a time, so no single statement holds the server for long (a first
 * recompute, or a day of many arrivals, records hundreds of thousands of moves at once).
 */
const sliceMs = 86_400_000;
function slices(from: number, to: number): [number, number][] {
  const result: [number, number][] = [];
  for (let start = from; start < to; start += sliceMs) result.push([start, Math.min(to, start + sliceMs)]);
  return result;
}

/** The stage a customer was in at a move's instant: the last stage change up to it, else the stage now. */
const stageThenSql = `coalesce(
  (SELECT s.after FROM loyalty_changes s WHERE s.customer_id = lc.customer_id AND s.field = 'stage' AND s.at <= lc.at ORDER BY s.at DESC, s.id DESC LIMIT 1),
  (SELECT l.stage FROM customer_loyalty l WHERE l.customer_id = lc.customer_id))`;

/** Moves one statement of a reading goes through at most. */
const movesPerStatement = 20_000;

/** How many of the latest moves into at-risk are looked at to name the latest per stage. */
const latestMoves = 500;

/**
 * The moves of the period, per month: stage to stage; into at-risk (from the stage the customer was in then,
 * with the reasons) and out of it; into churn, voiced or silent. Counted in SQL by month (a first recompute
 * records a move for every customer at once), then the latest moves into at-risk named.
 */
async function readMoves(db: Db, filter: InsightFilter, from: number, to: number, months: readonly string[], zone: string) {
  const segment = segmentCondition(filter, 'lc.customer_id', true);
  const starts = months.map((month) => dayStart(month, zone));
  const bucket =
    starts.length < 2 ? '0' : `CASE ${starts.slice(1).map((start, index) => `WHEN lc.at < ${Number(start)} THEN ${index}`).join(' ')} ELSE ${starts.length - 1} END`;
  // The period's moves in runs of ids (the engine appends them as they happen; a first recompute records a
  // move for every customer at one instant, which no slice of time would split), each run a bounded statement.
  const span = await db.$client.execute({ sql: 'SELECT min(id), max(id) FROM loyalty_changes WHERE at >= ? AND at < ?', args: [from, to] });
  const firstId = span.rows[0]?.[0];
  const lastId = Number(span.rows[0]?.[1] ?? 0);
  const counted: unknown[][] = [];
  for (let start = firstId === null || firstId === undefined ? lastId + 1 : Number(firstId); start <= lastId; start += movesPerStatement) {
    await breathe();
    const result = await db.$client.execute({
      sql: `WITH moves AS MATERIALIZED (
              SELECT ${bucket} AS bucket, lc.field, lc.before, lc.after,
                     CASE WHEN lc.field = 'at_risk' AND lc.after = 'true' THEN lc.reasons END AS reasons,
                     CASE WHEN lc.field = 'stage' THEN NULL ELSE ${stageThenSql} END AS stage_then
                FROM loyalty_changes lc
               WHERE lc.id >= ? AND lc.id < ? AND +lc.at >= ? AND +lc.at < ? AND lc.field IN ('stage', 'at_risk', 'churned')${segment.sql})
            SELECT bucket, field, before, after, reasons, stage_then, count(*) FROM moves GROUP BY 1, 2, 3, 4, 5, 6`,
      args: [start, start + movesPerStatement, from, to, ...segment.args],
    });
    counted.push(...result.rows.map((row) => Array.from({ length: 7 }, (_, index) => row[index])));
  }
  const latest = await db.$client.execute({
    sql: `SELECT lc.customer_id, lc.at, lc.reasons, ${stageThenSql}
            FROM loyalty_changes lc
           WHERE lc.at >= ? AND lc.at < ? AND lc.field = 'at_risk' AND lc.after = 'true'${segment.sql}
           ORDER BY lc.at DESC, lc.id DESC LIMIT ${latestMoves}`,
    args: [from, to, ...segment.args],
  });
  const flows = new Map<string, FlowRow>();
  const reasons = new Map<string, ReasonRow>();
  const churn = new Map(months.map((month) => [month, { bucket: month, voiced: 0, silent: 0 }]));
  const flow = (bucket: string, fromPoint: FlowPoint, toPoint: FlowPoint, customers: number) => {
    const key = `${bucket} ${fromPoint} ${toPoint}`;
    const row = flows.get(key) ?? { bucket, from: fromPoint, to: toPoint, customers: 0 };
    row.customers += customers;
    flows.set(key, row);
  };
  for (const row of counted) {
    const bucket = months[Number(row[0])] ?? months[0]!;
    const field = String(row[1]);
    const stageThen = stageOrNone(row[5]);
    const customers = Number(row[6]);
    if (field === 'stage') {
      const before = stageOrNone(row[2]);
      const after = stageOrNone(row[3]);
      if (after !== 'none' && before !== after) flow(bucket, before, after, customers);
    } else if (field === 'at_risk') {
      const flaggedNow = truthy(row[3]);
      if (flaggedNow === truthy(row[2])) continue;
      if (!flaggedNow) {
        flow(bucket, 'at_risk', stageThen, customers);
        continue;
      }
      flow(bucket, stageThen, 'at_risk', customers);
      const why = json(row[4]);
      for (const reason of why.length > 0 ? why : ['unknown']) {
        const key = `${bucket} ${stageThen} ${reason}`;
        const tally = reasons.get(key) ?? { bucket, from: stageThen, reason, customers: 0 };
        tally.customers += customers;
        reasons.set(key, tally);
      }
    } else if (field === 'churned') {
      const kind = String(row[3] ?? '');
      const was = String(row[2] ?? '');
      if (kind === 'voiced' || kind === 'silent') {
        flow(bucket, stageThen, kind, customers);
        const month = churn.get(bucket);
        if (month) month[kind] += customers;
      } else if (was === 'voiced' || was === 'silent') {
        // Bought again after churning: back to their stage.
        flow(bucket, was, stageThen, customers);
      }
    }
  }
  // The latest moves into at-risk from each stage, named.
  const perStage = new Map<FlowPoint, number>();
  const chosen = latest.rows
    .map((row) => ({ customerId: String(row[0]), at: Number(row[1]), reasons: json(row[2]), from: stageOrNone(row[3]) }))
    .filter((move) => {
      const count = perStage.get(move.from) ?? 0;
      perStage.set(move.from, count + 1);
      return count < moversPerStage;
    });
  const names = await namesOf(db, chosen.map((move) => move.customerId));
  const order = (point: FlowPoint) => ['none', ...loyaltyStages, 'at_risk', ...churnKinds].indexOf(point);
  return {
    flows: [...flows.values()].sort((a, b) => a.bucket.localeCompare(b.bucket) || order(a.from) - order(b.from) || order(a.to) - order(b.to)),
    reasons: [...reasons.values()].sort(
      (a, b) => a.bucket.localeCompare(b.bucket) || order(a.from) - order(b.from) || b.customers - a.customers || a.reason.localeCompare(b.reason),
    ),
    movers: chosen.map((move) => ({ ...move, name: names.get(move.customerId) ?? move.customerId })),
    churnTrend: [...churn.values()],
  };
}

async function namesOf(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const result = await db.$client.execute({ sql: `SELECT id, name FROM customers WHERE id IN (${unique.map(() => '?').join(',')})`, args: unique });
  return new Map(result.rows.map((row) => [String(row[0]), String(row[1])]));
}

/**
 * The at-risk list, read on every request: along the (at_risk, window_value) index in the order asked for,
 * stopping at the page (CROSS JOIN keeps SQLite from starting at a segment's customers instead).
 */
async function readAtRisk(db: Db, filter: InsightFilter, order: AtRiskOrder) {
  const segment = filter.segment === null ? { sql: '', args: [] as string[] } : { sql: ' AND c.segment = ?', args: [filter.segment] };
  const direction = order === 'value_asc' ? 'ASC' : 'DESC';
  const rows = await db.$client.execute({
    sql: `SELECT l.customer_id, c.name, l.stage, c.tier, c.tier_set_by_hand, l.at_risk_reasons, l.window_value, l.last_purchase_at, l.score, l.churned
            FROM customer_loyalty l CROSS JOIN customers c ON c.id = l.customer_id
           WHERE l.at_risk = 1${segment.sql}
           ORDER BY l.window_value ${direction}, l.rowid ${direction}
           LIMIT ${atRiskListLimit}`,
    args: segment.args,
  });
  return {
    order,
    rows: rows.rows.map(
      (row): AtRiskRow => ({
        customerId: String(row[0]),
        name: String(row[1]),
        stage: String(row[2]) as LoyaltyStage,
        tier: String(row[3]) as CustomerTier,
        tierSetByHand: Number(row[4]) === 1,
        reasons: json(row[5]).filter((reason): reason is AtRiskReason => (atRiskReasons as readonly string[]).includes(reason)),
        value: Number(row[6]),
        lastPurchaseAt: row[7] === null ? null : Number(row[7]),
        score: row[8] === null ? null : Number(row[8]),
        churned: row[9] === null ? null : (String(row[9]) as ChurnKind),
      }),
    ),
  };
}

/**
 * Customers who never complained are many; the reference group is at most this many of those who bought in
 * the period, the first in customer id order (ids are random, so a fixed random sample): enough for an
 * interval of about ±0.7 points, in a bounded time whatever the number of customers.
 */
export const referenceSample = 20_000;

/** A purchase that counts as buying: not a refund, a positive amount. */
const bought = (alias: string) => `${alias}.amount_minor > 0 AND ${alias}.refund_of IS NULL`;

/** The facts of our own TARP table (see tarp.ts for who is counted). */
export async function readTarpFacts(db: Db, filter: InsightFilter, from: number, to: number): Promise<{ complaints: ComplaintFact[]; noComplaint: ReferenceFact[] }> {
  const caseSegment = segmentCondition(filter, 'c.customer_id', true);
  const complaints: ComplaintFact[] = [];
  for (const [start, end] of slices(from, to)) {
    const cases = await db.$client.execute({
      sql: `SELECT c.customer_id, c.created_at, c.severity, CASE WHEN c.customer_left = 1 THEN 'unresolved' ELSE c.outcome END,
                   (SELECT min(p.occurred_at) FROM purchases p WHERE p.customer_id = c.customer_id AND p.occurred_at > c.created_at AND ${bought('p')})
              FROM complaint_cases c
             WHERE c.created_at >= ? AND c.created_at < ? AND c.status <> 'merged' AND c.customer_id IS NOT NULL${caseSegment.sql}`,
      args: [start, end, ...caseSegment.args],
    });
    for (const row of cases.rows) {
      complaints.push({
        customerId: String(row[0]),
        createdAt: Number(row[1]),
        severity: String(row[2]) as CaseSeverity,
        outcome: row[3] === null ? null : (String(row[3]) as RecoveryOutcome),
        nextPurchaseAt: row[4] === null ? null : Number(row[4]),
      });
    }
    await breathe();
  }
  // Customers in id order (random ids: a fixed random order), each at their first purchase in the period,
  // until the sample is full; read a thousand at a time.
  const noComplaint: ReferenceFact[] = [];
  let after = '';
  while (noComplaint.length < referenceSample) {
    const chunk = await db.$client.execute({
      sql: `SELECT c.id,
                   (SELECT min(p.occurred_at) FROM purchases p WHERE p.customer_id = c.id AND p.occurred_at >= ? AND p.occurred_at < ? AND ${bought('p')})
              FROM customers c
             WHERE c.id > ?${filter.segment === null ? '' : ' AND c.segment = ?'}
             ORDER BY c.id LIMIT 1000`,
      args: [from, to, after, ...(filter.segment === null ? [] : [filter.segment])],
    });
    if (chunk.rows.length === 0) break;
    after = String(chunk.rows.at(-1)![0]);
    const buyers = chunk.rows.filter((row) => row[1] !== null).map((row) => ({ customerId: String(row[0]), at: Number(row[1]) }));
    if (buyers.length > 0) {
      const ids = buyers.map((row) => row.customerId);
      const [complained, next] = await Promise.all([
        db.$client.execute({ sql: `SELECT DISTINCT customer_id FROM complaint_cases WHERE customer_id IN (${ids.map(() => '?').join(',')})`, args: ids }),
        db.$client.execute({
          sql: `SELECT r.key, (SELECT min(q.occurred_at) FROM purchases q WHERE q.customer_id = r.key AND q.occurred_at > r.value AND ${bought('q')})
                  FROM json_each(?) r`,
          args: [JSON.stringify(Object.fromEntries(buyers.map((row) => [row.customerId, row.at])))],
        }),
      ]);
      const left = new Set(complained.rows.map((row) => String(row[0])));
      const nextOf = new Map(next.rows.map((row) => [String(row[0]), row[1] === null ? null : Number(row[1])]));
      for (const row of buyers) {
        if (left.has(row.customerId) || noComplaint.length >= referenceSample) continue;
        noComplaint.push({ ...row, nextPurchaseAt: nextOf.get(row.customerId) ?? null });
      }
    }
    await breathe();
  }
  return { complaints, noComplaint };
}

/**
 * How long a reading of the figures answers before it is read again. Over a million customers the figures take
 * a second or more to read (the stage counts and the pyramid go over every customer; our own TARP table looks
 * up the purchase after every complaint of the period), so each server process keeps the last reading of each
 * view: a request within this time gets it (its computedAt says when it was read), the first after it still
 * gets it while a new one is read for the next. The at-risk list is read on every request.
 */
export const figuresMaxAgeMs = 60_000;
/** Views kept per database, the least recently read dropped first. */
const keptViews = 32;

type Figures = Omit<LoyaltyReport, 'atRisk'>;
interface Reading {
  at: number;
  figures: Promise<Figures>;
  renewing: boolean;
}
const readings = new WeakMap<Db, Map<string, Reading>>();

async function readFigures(context: InsightContext, filter: InsightFilter, settings: LoyaltySettings, now: number): Promise<Figures> {
  const zone = context.settings.timeZone;
  const from = dayStart(filter.from, zone);
  const to = dayStart(addDays(filter.to, 1), zone);
  const db = context.db;
  const months = bucketsBetween(filter.from, filter.to, 'month');
  const stages = await readStages(db, filter);
  await breathe();
  const pyramid = await readPyramid(db, filter);
  await breathe();
  const moves = await readMoves(db, filter, from, to, months, zone);
  await breathe();
  const facts = await readTarpFacts(db, filter, from, to);
  return {
    filter,
    timeZone: zone,
    computedAt: now,
    currency: { base: settings.currency.base, fractionDigits: fractionDigits(settings.currency.base) },
    windowMonths: settings.windowMonths,
    customers: stages.customers,
    notComputed: stages.notComputed,
    stages: stages.rows,
    months,
    flows: moves.flows,
    reasons: moves.reasons,
    movers: moves.movers,
    pyramid: { ...pyramid, withoutPurchases: Math.max(0, stages.customers - stages.notComputed - pyramid.customers) },
    churn: { now: stages.churned, trend: moves.churnTrend },
    tarp: { ...ownTarpTable({ ...facts, withinDays: settings.buyAgainWithinDays, now }), published: publishedVersions },
  };
}

/** The figures of a view: the kept reading while it is young enough, else a new one (see figuresMaxAgeMs). */
function keptFigures(context: InsightContext, filter: InsightFilter, settings: LoyaltySettings, now: number): Promise<Figures> {
  let views = readings.get(context.db);
  if (!views) readings.set(context.db, (views = new Map()));
  const key = JSON.stringify([filter, context.settings.timeZone, settings]);
  const kept = views.get(key);
  const read = () => {
    const figures = readFigures(context, filter, settings, now);
    const reading: Reading = { at: now, figures, renewing: false };
    figures.then(
      () => {
        views.delete(key);
        views.set(key, reading);
        while (views.size > keptViews) views.delete(views.keys().next().value!);
      },
      () => {
        if (views.get(key) === reading) views.delete(key);
        if (kept) kept.renewing = false;
      },
    );
    return reading;
  };
  if (!kept) {
    const reading = read();
    views.set(key, reading);
    return reading.figures;
  }
  if (now - kept.at >= figuresMaxAgeMs && !kept.renewing) {
    kept.renewing = true;
    // The new reading starts after this answer has gone.
    setImmediate(() => void read());
  }
  return kept.figures;
}

export async function loyaltyReport(context: InsightContext, filter: InsightFilter, order: AtRiskOrder, now = Date.now()): Promise<LoyaltyReport> {
  const settings = await readLoyaltySettings(context.db);
  const [figures, atRisk] = await Promise.all([keptFigures(context, filter, settings, now), readAtRisk(context.db, filter, order)]);
  // How many there are in all comes with the stage counts of the reading.
  return { ...figures, atRisk: { ...atRisk, total: figures.stages.reduce((sum, row) => sum + row.atRisk, 0) } };
}
