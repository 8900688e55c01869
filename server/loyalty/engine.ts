// The loyalty engine: reads what a customer did (purchases, answers, complaint cases), applies the pure rules
// (server/loyalty/rules/) and writes where the customer stands (customer_loyalty), each move of stage, tier,
// at-risk flag or churn (loyalty_changes, with its reasons) and the customer's tier (customers.tier, unless a
// staff member set it by hand). Used by the incremental update (updates-job.ts) for a few customers at a time
// and by the full recompute (recompute.ts) for all of them, with the same reading and the same rules.
//
//   readFacts(db, selection, settings, now) → CustomerFacts[]         selection: some ids, or an id range
//   computeLoyalty(facts, context) → LoyaltyResult                      pure: the row, its changes, the tier to set
//   writeLoyalty(tx, results) → void                                    upserts rows, records changes, sets tiers
//   readCuts(db) / saveCuts(tx, cuts)                                   the RFM and tier cut points and the cohort gap
//   cutsFrom(purchase facts, customer count, settings, now) → LoyaltyCuts
import { and, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { Answers } from '../../surveys/answers.ts';
import type { SurveyDefinition } from '../../surveys/definition.ts';
import { openCaseStatuses, type CaseSeverity, type CaseStatus, type RecoveryOutcome } from '../complaints/vocabulary.ts';
import type { CustomerTier } from '../customers/vocabulary.ts';
import { customerLoyalty, customers, loyaltyChanges, settings as settingsTable, surveyVersions } from '../db/schema.ts';
import type { DbOrTx } from '../jobs/queue.ts';
import { insertRows } from '../db/raw.ts';
import { attitudeAnswers } from './rules/attitude.ts';
import { rfmCuts, rfmScores, type RfmCuts, type RfmRow } from './rules/rfm.ts';
import { loyaltyScore, worstCaseOf, type WorstCase } from './rules/score.ts';
import { churnAt, stageOf } from './rules/stages.ts';
import { tierCuts, tierOf, type TierCuts } from './rules/tiers.ts';
import type { LoyaltySettings } from './settings.ts';
import type { AtRiskReason, ChurnKind, LoyaltyChangeCause, LoyaltyChangeField, LoyaltyParts, LoyaltyStage } from './vocabulary.ts';

export const dayMs = 86_400_000;
const yearMs = 365 * dayMs;

export type LoyaltyRow = typeof customerLoyalty.$inferSelect;
export type LoyaltyChange = typeof loyaltyChanges.$inferInsert;

// ---- the cut points a full recompute sets and incremental updates use ------------------------------------

/** Settings key of the cut points (kept beside the loyalty settings, written by each full recompute). */
export const loyaltyCutsKey = 'loyalty.cuts';

export interface LoyaltyCuts {
  /** RFM quintile cut points over the customers with a purchase in the window; null when nobody has one. */
  rfm: RfmCuts | null;
  /** Value thresholds of the VIP and important tiers; null when nobody has any value in the window. */
  tier: TierCuts | null;
  /** The median of customers' own median gaps (days): the churn gap of a customer with one purchase. */
  cohortGapDays: number | null;
  /** When the recompute that set them read the data. */
  computedAt: number;
  /** What that recompute found, for the operator and the settings page. */
  customers: number;
  withPurchases: number;
}

// JSON has no Infinity (a cut nobody reaches): stored as the string "Infinity" and read back as the number.
const storable = (cuts: LoyaltyCuts): unknown => JSON.parse(JSON.stringify(cuts, (_key, value: unknown) => (value === Infinity ? 'Infinity' : value)));
const revived = (value: unknown): LoyaltyCuts => JSON.parse(JSON.stringify(value), (_key, item: unknown) => (item === 'Infinity' ? Infinity : item)) as LoyaltyCuts;

export async function readCuts(db: DbOrTx): Promise<LoyaltyCuts | null> {
  const [row] = await db.select({ value: settingsTable.value }).from(settingsTable).where(eq(settingsTable.key, loyaltyCutsKey));
  return row ? revived(row.value) : null;
}

export async function saveCuts(db: DbOrTx, cuts: LoyaltyCuts): Promise<void> {
  const value = storable(cuts);
  await db
    .insert(settingsTable)
    .values({ key: loyaltyCutsKey, value, updatedBy: null })
    .onConflictDoUpdate({ target: settingsTable.key, set: { value, updatedAt: sql`cast(unixepoch('subsec') * 1000 as integer)` } });
}

// ---- what is read about a customer ------------------------------------------------------------------------

export interface PurchaseFacts {
  firstPurchaseAt: number;
  lastPurchaseAt: number;
  /** Purchases ever (refunds not counted). */
  purchaseCount: number;
  /** Purchases and net value (base currency, minor units; refunds subtract) in the settings' window. */
  windowPurchases: number;
  windowValue: number;
  /** Purchases in the last 12 months, in the last 6, and in the 6 before those. */
  yearPurchases: number;
  recentHalfYear: number;
  earlierHalfYear: number;
  /** Median days between consecutive purchases; null with fewer than two. */
  medianGapDays: number | null;
  /** Since when the purchases alone say the customer has been regular without a break; null when not regular now. */
  regularSinceByPurchases: number | null;
}

export interface CaseFact {
  id: string;
  reference: string;
  status: CaseStatus;
  severity: CaseSeverity;
  outcome: RecoveryOutcome | null;
  handlingScore: number | null;
  createdAt: number;
}

export interface CustomerFacts {
  customerId: string;
  tier: CustomerTier;
  tierSetByHand: boolean;
  objectsToProfiling: boolean;
  purchases: PurchaseFacts | null;
  attitude: LoyaltyParts['attitude'];
  /** The latest recommendation answer on 0-10, for the loyal rule. */
  recommendation0to10: number | null;
  /** The customer's cases, merged ones left out, oldest first. */
  cases: CaseFact[];
  previous: LoyaltyRow | null;
}

export type Selection = { ids: readonly string[] } | { fromId: string; toId: string };

/** The start of the window: `months` calendar months before `now`. */
export function monthsBefore(now: number, months: number): number {
  const date = new Date(now);
  date.setUTCMonth(date.getUTCMonth() - months);
  return date.getTime();
}

/** The fraction digits of a currency's minor unit (2 for CNY, 0 for JPY). */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** SQL turning a purchase's minor units into base-currency minor units; a currency the settings do not know counts nothing. */
function baseValueSql(settings: LoyaltySettings) {
  const baseDigits = minorDigits(settings.currency.base);
  const cases = Object.entries(settings.currency.rates).map(([code, rate]) => {
    const factor = (rate * 10 ** baseDigits) / 10 ** minorDigits(code);
    return sql`WHEN ${code} THEN ${factor}`;
  });
  return sql`amount_minor * (CASE currency ${sql.join(cases, sql` `)} ELSE NULL END)`;
}

function rangeWhere(column: string, selection: Selection) {
  if ('ids' in selection) return sql`${sql.identifier(column)} IN (${sql.join(selection.ids.map((id) => sql`${id}`), sql`, `)})`;
  return sql`${sql.identifier(column)} BETWEEN ${selection.fromId} AND ${selection.toId}`;
}

export function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Since when purchases alone make the customer regular without a break: regular at a moment means at least
 * `needed` purchases in the 12 months up to it. Null when the customer is not regular at `now`.
 */
export function regularSinceByPurchases(times: readonly number[], needed: number, now: number): number | null {
  const n = times.length;
  // Regular right now: the needed-th latest purchase lies within the last 12 months.
  if (n < needed || now - times[n - needed]! >= yearMs) return null;
  // Walking back: with purchase k the latest, the customer is regular from times[k] until times[k - needed + 1]
  // leaves the 12 months; the run is unbroken while each next purchase comes before that.
  let since = n - 1;
  for (let k = n - 2; k >= needed - 1; k--) {
    if (times[k + 1]! < times[k - needed + 1]! + yearMs) since = k;
    else break;
  }
  return times[since]!;
}

/**
 * Rows of a query as one JSON text made by SQLite and parsed at once: much cheaper than the driver's row
 * objects when a recompute reads millions. `columns` maps each output property to an SQL expression over the
 * query's columns (wrap JSON text columns in json() so they arrive parsed).
 */
async function readRows<T>(db: DbOrTx, columns: Record<string, string>, query: SQL): Promise<T[]> {
  const names = Object.keys(columns);
  const [row] = await db.all<{ rows: string | null }>(
    sql`SELECT json_group_array(json_array(${sql.raw(Object.values(columns).join(', '))})) AS rows FROM (${query})`,
  );
  const arrays = JSON.parse(row?.rows ?? '[]') as unknown[][];
  return arrays.map((values) => {
    const entry: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) entry[names[i]!] = values[i];
    return entry as T;
  });
}

const same = (...names: string[]) => Object.fromEntries(names.map((name) => [name, name]));

interface PurchaseAggregate {
  customer_id: string;
  purchases: number;
  first_at: number | null;
  last_at: number | null;
  window_purchases: number;
  window_value: number | null;
  year_purchases: number;
  recent_half: number;
  earlier_half: number;
  times: string | null;
}

export async function readPurchases(db: DbOrTx, selection: Selection, settings: LoyaltySettings, now: number) {
  const windowStart = monthsBefore(now, settings.windowMonths);
  const yearStart = monthsBefore(now, 12);
  const halfStart = monthsBefore(now, 6);
  const rows = await readRows<PurchaseAggregate>(
    db,
    same('customer_id', 'purchases', 'first_at', 'last_at', 'window_purchases', 'window_value', 'year_purchases', 'recent_half', 'earlier_half', 'times'),
    sql`
    SELECT customer_id,
           sum(amount_minor > 0) AS purchases,
           min(CASE WHEN amount_minor > 0 THEN occurred_at END) AS first_at,
           max(CASE WHEN amount_minor > 0 THEN occurred_at END) AS last_at,
           sum(amount_minor > 0 AND occurred_at >= ${windowStart}) AS window_purchases,
           sum(CASE WHEN occurred_at >= ${windowStart} THEN ${baseValueSql(settings)} END) AS window_value,
           sum(amount_minor > 0 AND occurred_at >= ${yearStart}) AS year_purchases,
           sum(amount_minor > 0 AND occurred_at >= ${halfStart}) AS recent_half,
           sum(amount_minor > 0 AND occurred_at >= ${yearStart} AND occurred_at < ${halfStart}) AS earlier_half,
           group_concat(CASE WHEN amount_minor > 0 THEN occurred_at END) AS times
    FROM purchases
    WHERE ${rangeWhere('customer_id', selection)} AND occurred_at <= ${now}
    GROUP BY customer_id`,
  );
  const byCustomer = new Map<string, PurchaseFacts>();
  for (const row of rows) {
    if (!row.purchases || row.first_at === null || row.last_at === null) continue;
    const times = (row.times ?? '').split(',').map(Number);
    for (let i = 1; i < times.length; i++) {
      if (times[i]! < times[i - 1]!) {
        times.sort((a, b) => a - b);
        break;
      }
    }
    const gaps: number[] = [];
    for (let i = 1; i < times.length; i++) gaps.push((times[i]! - times[i - 1]!) / dayMs);
    gaps.sort((a, b) => a - b);
    const gap = median(gaps);
    byCustomer.set(row.customer_id, {
      firstPurchaseAt: Number(row.first_at),
      lastPurchaseAt: Number(row.last_at),
      purchaseCount: Number(row.purchases),
      windowPurchases: Number(row.window_purchases),
      windowValue: Math.round(Number(row.window_value ?? 0)),
      yearPurchases: Number(row.year_purchases),
      recentHalfYear: Number(row.recent_half),
      earlierHalfYear: Number(row.earlier_half),
      medianGapDays: gap === null ? null : Math.round(gap * 10) / 10,
      regularSinceByPurchases: regularSinceByPurchases(times, settings.stages.regularPurchases, now),
    });
  }
  return byCustomer;
}

/** Survey definitions by version id, read once per process run (a version never changes once published). */
export class DefinitionCache {
  private readonly definitions = new Map<string, SurveyDefinition | null>();
  async load(db: DbOrTx, versionIds: Iterable<string>) {
    const missing = [...new Set(versionIds)].filter((id) => !this.definitions.has(id));
    for (let start = 0; start < missing.length; start += 500) {
      const ids = missing.slice(start, start + 500);
      const rows = await db.select({ id: surveyVersions.id, definition: surveyVersions.definition }).from(surveyVersions).where(inArray(surveyVersions.id, ids));
      for (const id of ids) this.definitions.set(id, null);
      for (const row of rows) this.definitions.set(row.id, row.definition);
    }
  }
  get(versionId: string) {
    return this.definitions.get(versionId) ?? null;
  }
}

const noAttitude = (): LoyaltyParts['attitude'] => ({ score: null, repurchaseIntent: null, recommendation: null });

async function readAttitudes(db: DbOrTx, selection: Selection, definitions: DefinitionCache, now: number) {
  const rows = await readRows<{ id: string; customer_id: string; version_id: string; answers: Answers; submitted_at: number }>(
    db,
    { ...same('id', 'customer_id', 'version_id', 'submitted_at'), answers: 'json(answers)' },
    sql`
    SELECT id, customer_id, version_id, answers, submitted_at FROM responses
    WHERE ${rangeWhere('customer_id', selection)} AND submitted_at <= ${now}
    ORDER BY customer_id, submitted_at DESC`,
  );
  await definitions.load(db, rows.map((row) => row.version_id));
  const byCustomer = new Map<string, { attitude: LoyaltyParts['attitude']; recommendation0to10: number | null }>();
  for (const row of rows) {
    let entry = byCustomer.get(row.customer_id);
    if (!entry) byCustomer.set(row.customer_id, (entry = { attitude: noAttitude(), recommendation0to10: null }));
    // Newest first: the first answer of each kind is the latest.
    if (entry.attitude.repurchaseIntent && entry.attitude.recommendation) continue;
    const definition = definitions.get(row.version_id);
    if (!definition) continue;
    const found = attitudeAnswers(definition, row.answers);
    const answeredAt = Number(row.submitted_at);
    if (!entry.attitude.repurchaseIntent && found.repurchaseIntent) {
      entry.attitude.repurchaseIntent = { value: found.repurchaseIntent.value, scale: found.repurchaseIntent.scale, responseId: row.id, answeredAt };
    }
    if (!entry.attitude.recommendation && found.recommendation) {
      entry.attitude.recommendation = { value: found.recommendation.value, scale: found.recommendation.scale, responseId: row.id, answeredAt };
      entry.recommendation0to10 = found.recommendation.raw0to10;
    }
  }
  return byCustomer;
}

async function readCases(db: DbOrTx, selection: Selection) {
  const rows = await readRows<{
    id: string;
    reference: string;
    customer_id: string;
    status: CaseStatus;
    severity: CaseSeverity;
    outcome: RecoveryOutcome | null;
    handling_score: number | null;
    created_at: number;
  }>(
    db,
    same('id', 'reference', 'customer_id', 'status', 'severity', 'outcome', 'handling_score', 'created_at'),
    sql`
    SELECT id, reference, customer_id, status, severity, outcome, handling_score, created_at FROM complaint_cases
    WHERE ${rangeWhere('customer_id', selection)} AND status <> 'merged'
    ORDER BY customer_id, created_at`,
  );
  const byCustomer = new Map<string, CaseFact[]>();
  for (const row of rows) {
    let list = byCustomer.get(row.customer_id);
    if (!list) byCustomer.set(row.customer_id, (list = []));
    list.push({
      id: row.id,
      reference: row.reference,
      status: row.status,
      severity: row.severity,
      outcome: row.outcome,
      handlingScore: row.handling_score === null ? null : Number(row.handling_score),
      createdAt: Number(row.created_at),
    });
  }
  return byCustomer;
}

/** Everything the rules need about the selected customers (customers that do not exist are left out). */
export async function readFacts(
  db: DbOrTx,
  selection: Selection,
  settings: LoyaltySettings,
  now: number,
  definitions = new DefinitionCache(),
  /** Purchase facts already read for these customers (the full recompute reads them first, for the cut points). */
  preloaded?: ReadonlyMap<string, PurchaseFacts>,
): Promise<CustomerFacts[]> {
  if ('ids' in selection && selection.ids.length === 0) return [];
  const people = await readRows<{ id: string; tier: CustomerTier; tierSetByHand: number; objectsToProfiling: number }>(
    db,
    { id: 'id', tier: 'tier', tierSetByHand: 'tier_set_by_hand', objectsToProfiling: 'objects_to_profiling' },
    sql`SELECT id, tier, tier_set_by_hand, objects_to_profiling FROM customers WHERE ${rangeWhere('id', selection)} ORDER BY id`,
  );
  if (people.length === 0) return [];
  const [purchases, attitudes, cases, previous] = await Promise.all([
    preloaded ?? readPurchases(db, selection, settings, now),
    readAttitudes(db, selection, definitions, now),
    readCases(db, selection),
    readRows<LoyaltyRow>(
      db,
      Object.fromEntries(
        Object.entries(customerLoyaltyColumns).map(([key, column]) => [key, key === 'parts' || key === 'atRiskReasons' ? `json(${column})` : column]),
      ),
      sql`SELECT * FROM customer_loyalty WHERE ${rangeWhere('customer_id', selection)}`,
    ).then((rows) => rows.map((row) => ({ ...row, atRisk: Boolean(row.atRisk) }))),
  ]);
  const previousById = new Map(previous.map((row) => [row.customerId, row]));
  return people.map((person) => {
    const attitude = attitudes.get(person.id);
    return {
      customerId: person.id,
      tier: person.tier,
      tierSetByHand: Boolean(person.tierSetByHand),
      objectsToProfiling: Boolean(person.objectsToProfiling),
      purchases: purchases.get(person.id) ?? null,
      attitude: attitude?.attitude ?? noAttitude(),
      recommendation0to10: attitude?.recommendation0to10 ?? null,
      cases: cases.get(person.id) ?? [],
      previous: previousById.get(person.id) ?? null,
    };
  });
}

// ---- the cut points ----------------------------------------------------------------------------------------

/** The cut points over every customer: RFM quintiles and tier values over the window, the cohort gap. */
export function cutsFrom(purchases: Iterable<PurchaseFacts>, customerCount: number, settings: LoyaltySettings, now: number): LoyaltyCuts {
  const rows: RfmRow[] = [];
  const values: number[] = [];
  const gaps: number[] = [];
  let withPurchases = 0;
  for (const bought of purchases) {
    withPurchases++;
    if (bought.windowPurchases > 0) {
      rows.push({ lastPurchaseAt: bought.lastPurchaseAt, purchases: bought.windowPurchases, value: bought.windowValue });
      values.push(bought.windowValue);
    }
    if (bought.medianGapDays !== null) gaps.push(bought.medianGapDays);
  }
  gaps.sort((a, b) => a - b);
  return {
    rfm: rows.length > 0 ? rfmCuts(rows) : null,
    tier: values.some((value) => value > 0) ? tierCuts(values, settings.tierShares) : null,
    cohortGapDays: median(gaps),
    computedAt: now,
    customers: customerCount,
    withPurchases,
  };
}

// ---- applying the rules -------------------------------------------------------------------------------------

export interface LoyaltyContext {
  now: number;
  settings: LoyaltySettings;
  cuts: LoyaltyCuts | null;
  cause: LoyaltyChangeCause;
}

export interface LoyaltyResult {
  row: LoyaltyRow;
  changes: LoyaltyChange[];
  /** The tier to write on the customer; null to leave it (set by hand, or already so). */
  setTier: CustomerTier | null;
}

/** The worst case of the last 12 months (rules/score.ts decides which is worst), or null. */
export function worstCaseWithinYear(cases: readonly CaseFact[], now: number): CaseFact | null {
  return worstCaseOf(cases.filter((fact) => fact.createdAt >= now - yearMs && fact.createdAt <= now));
}

/** Where one customer stands now, what moved since the previous row, and the tier to write. */
export function computeLoyalty(facts: CustomerFacts, context: LoyaltyContext): LoyaltyResult {
  const { now, settings, cuts } = context;
  const bought = facts.purchases;
  const previous = facts.previous;
  const profilingObjected = facts.objectsToProfiling;

  const rfm =
    bought && bought.windowPurchases > 0 && cuts?.rfm
      ? rfmScores({ lastPurchaseAt: bought.lastPurchaseAt, purchases: bought.windowPurchases, value: bought.windowValue }, cuts.rfm)
      : null;

  // The worst case of the last 12 months, and the score before it, which a recovery restores at most to: kept
  // from the previous row while the same case is the worst; else the score the previous row had if it was
  // worked out before the case came in; else the score as if there were no complaint.
  const worst = worstCaseWithinYear(facts.cases, now);
  let worstCase: WorstCase | null = null;
  if (worst) {
    const firstFailure = !facts.cases.some((other) => other.id !== worst.id && other.createdAt < worst.createdAt);
    let scoreBefore: number | null;
    if (previous?.parts?.recovery.caseId === worst.id) scoreBefore = previous.parts.recovery.cappedAt;
    else if (previous && previous.score !== null && previous.computedAt <= worst.createdAt) scoreBefore = previous.score;
    else scoreBefore = loyaltyScore({ attitude: facts.attitude, rfm, worstCase: null, profilingObjected }, settings).score;
    worstCase = {
      caseId: worst.id,
      reference: worst.reference,
      outcome: worst.outcome,
      severity: worst.severity,
      handlingScore: worst.handlingScore,
      firstFailure,
      scoreBefore,
    };
  }
  const { score, parts } = loyaltyScore({ attitude: facts.attitude, rfm, worstCase, profilingObjected }, settings);

  const openComplaint = facts.cases.some((fact) => (openCaseStatuses as readonly string[]).includes(fact.status));
  const unresolvedMajorComplaint = facts.cases.some((fact) => fact.severity === 'major' && fact.outcome === 'unresolved' && fact.createdAt >= now - yearMs);
  // Voiced churn: a complaint in the days before the churn moment.
  const churnMoment = churnAt({ lastPurchaseAt: bought?.lastPurchaseAt ?? null, medianGapDays: bought?.medianGapDays ?? null, cohortGapDays: cuts?.cohortGapDays ?? null }, settings);
  const complainedWithinVoicedWindow =
    churnMoment !== null && facts.cases.some((fact) => fact.createdAt >= churnMoment - settings.churn.voicedWithinDays * dayMs && fact.createdAt <= churnMoment);
  const fallingRecency = !!bought && bought.medianGapDays !== null && bought.medianGapDays > 0 && now - bought.lastPurchaseAt > 2 * bought.medianGapDays * dayMs;
  const fallingFrequency = !!bought && bought.earlierHalfYear >= 2 && bought.recentHalfYear * 2 < bought.earlierHalfYear;

  const standing = stageOf(
    {
      now,
      firstPurchaseAt: bought?.firstPurchaseAt ?? null,
      lastPurchaseAt: bought?.lastPurchaseAt ?? null,
      purchasesLast12Months: bought?.yearPurchases ?? 0,
      medianGapDays: bought?.medianGapDays ?? null,
      cohortGapDays: cuts?.cohortGapDays ?? null,
      previous: previous ? { stage: previous.stage, regularSince: previous.regularSince } : null,
      regularSinceFromHistory: bought?.regularSinceByPurchases ?? null,
      repurchaseIntent: facts.attitude.repurchaseIntent?.value ?? null,
      score,
      recommendation: profilingObjected ? null : facts.recommendation0to10,
      openComplaint,
      unresolvedMajorComplaint,
      complainedWithinVoicedWindow,
      fallingRecency,
      fallingFrequency,
      profilingObjected,
    },
    settings,
  );

  const computedTier: CustomerTier = cuts?.tier && bought ? tierOf(bought.windowValue, cuts.tier) : cuts?.tier ? 'ordinary' : (previous?.computedTier ?? facts.tier);
  const row: LoyaltyRow = {
    customerId: facts.customerId,
    stage: standing.stage,
    stageSince: previous && previous.stage === standing.stage ? previous.stageSince : now,
    regularSince: standing.regularSince,
    atRisk: standing.atRisk,
    atRiskReasons: standing.atRiskReasons,
    churned: standing.churned,
    churnedAt: standing.churned ? (previous?.churned ? previous.churnedAt : now) : null,
    recency: rfm?.recency ?? null,
    frequency: rfm?.frequency ?? null,
    monetary: rfm?.monetary ?? null,
    firstPurchaseAt: bought?.firstPurchaseAt ?? null,
    lastPurchaseAt: bought?.lastPurchaseAt ?? null,
    purchaseCount: bought?.purchaseCount ?? 0,
    windowPurchases: bought?.windowPurchases ?? 0,
    windowValue: bought?.windowValue ?? 0,
    medianGapDays: bought?.medianGapDays ?? null,
    computedTier,
    score,
    parts,
    computedAt: now,
  };

  const changes: LoyaltyChange[] = [];
  const change = (field: LoyaltyChangeField, from: string | null, to: string | null, reasons: string[]) => {
    if (from !== to) changes.push({ customerId: facts.customerId, at: now, field, before: from, after: to, cause: context.cause, reasons });
  };
  // A customer without a row was a prospect, not at risk, not churned, with the tier on their record.
  change('stage', previous?.stage ?? 'prospect', row.stage, standing.reasons);
  change('tier', previous?.computedTier ?? facts.tier, computedTier, facts.tierSetByHand ? ['value_share', 'tier_set_by_hand'] : ['value_share']);
  change('at_risk', String(previous?.atRisk ?? false), String(row.atRisk), row.atRisk ? [...row.atRiskReasons] : (previous?.atRiskReasons ?? []).map((reason) => `no_longer_${reason}`));
  change('churned', previous?.churned ?? null, row.churned, row.churned ? standing.reasons : []);

  const setTier = !facts.tierSetByHand && cuts?.tier && computedTier !== facts.tier ? computedTier : null;
  return { row, changes, setTier };
}

// ---- writing ------------------------------------------------------------------------------------------------

/** Upserts the rows, records the changes and sets the tiers, in the caller's transaction. */
export async function writeLoyalty(tx: DbOrTx, results: readonly LoyaltyResult[]): Promise<void> {
  await insertRows(
    tx,
    customerLoyalty,
    results.map((result) => result.row),
    { onConflict: { target: customerLoyalty.customerId, set: 'all' } },
  );
  await insertRows(
    tx,
    loyaltyChanges,
    results.flatMap((result) => result.changes),
  );
  const byTier = new Map<CustomerTier, string[]>();
  for (const result of results) if (result.setTier) byTier.set(result.setTier, [...(byTier.get(result.setTier) ?? []), result.row.customerId]);
  for (const [tier, ids] of byTier) {
    for (let start = 0; start < ids.length; start += 500) {
      await tx
        .update(customers)
        .set({ tier })
        .where(and(inArray(customers.id, ids.slice(start, start + 500)), eq(customers.tierSetByHand, false)));
    }
  }
}

/** customer_loyalty's columns: property name → SQL name. */
export const customerLoyaltyColumns = Object.fromEntries(Object.entries(getTableColumns(customerLoyalty)).map(([key, column]) => [key, column.name])) as Record<
  keyof LoyaltyRow,
  string
>;

export type { AtRiskReason, ChurnKind, LoyaltyStage };
