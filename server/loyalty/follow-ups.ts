// Follow-ups after purchases, and account owners. Once an hour one job (keyed by its hour, so any number of
// processes make it once; each run schedules the next) plans the follow-ups the practice prescribes:
//   - a thank-you thankYouAfterDays.min..max days after each purchase (when thankYouEnabled): an email through
//     the Outbox in the customer's language, or a phone task on the follow-up call list when the phone is their
//     channel;
//   - a VIP customer's (customers.tier = 'vip') regular follow-up every vipEveryWeeks: a task for the account
//     owner, or for the team's call list when the customer has none;
//   - an at-risk customer's (customer_loyalty.at_risk) follow-up: a task for the account owner, or for the
//     managers when the customer has none.
// Every one goes through the one contact rule (server/campaigns/rules.ts) with the follow-up purpose when it is
// planned, and again when it is made: the Outbox checks an email's customer when it sends it; working a task
// reads the customer's current row first. A follow-up not made is kept with its reason. Each has a dedupe key,
// written with its email in one transaction, so however often the plan runs a follow-up is made once.
//
// Account owners: customers.owner_id names a staff member; deactivating one who owns customers waits until
// they are moved (reassignOwnedCustomers: to one person, or in turn among several).
import { randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, gt, inArray, isNull, max, ne, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import * as v from 'valibot';
import type { Locale } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';
import type { Role } from '../accounts/service.ts';
import { getContactRule } from '../campaigns/service.ts';
import { contactSubjectColumns } from '../campaigns/subject.ts';
import type { Db } from '../db/client.ts';
import { olderThanCursor, pageOf } from '../db/paging.ts';
import { campaignInvitations, customerLoyalty, customers, followUps, loyaltyChanges, outgoingMessages, purchases, users } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { makeWayForRequests } from '../jobs/paced.ts';
import { enqueue, periodicJob, type DbOrTx, type JobHandler, type NewJob } from '../jobs/queue.ts';
import { queueMessagesIn, type NewMessage } from '../mail/mailer.ts';
import { afterOutcome, dayMs, mayContactNow, planDecision, thankYouWindow, vipPeriod, type FollowUpSubject } from './follow-up-rules.ts';
import { readLoyaltySettings } from './settings.ts';
import type { FollowUpKind, FollowUpOutcome, FollowUpSkipReason, FollowUpStatus } from './vocabulary.ts';

export const followUpPlanKind = 'loyalty.follow-ups';
/** The plan runs once an hour. */
export const followUpPlanPeriodMs = 3600_000;
/** Customers looked at per write transaction. */
const batchSize = 500;
/** Roles that read customers, and so work follow-ups. */
export const followUpRoles = ['admin', 'manager', 'support'] as const satisfies readonly Role[];
const leads: readonly Role[] = ['admin', 'manager'];

export interface FollowUpViewer {
  id: string;
  role: Role;
}

// ---- The schedule ----

/** The run of one hour, keyed by the hour's start (fixed width, so keys sort by time): made once whoever asks. */
export function followUpPlanJob(start: number): NewJob {
  return periodicJob(followUpPlanKind, start);
}

const hourOf = (at: number) => Math.floor(at / followUpPlanPeriodMs) * followUpPlanPeriodMs;

/** Makes sure this hour's run exists (each process calls it when it starts); a second call adds nothing. */
export async function scheduleFollowUps(db: DbOrTx, now = Date.now()): Promise<{ created: boolean }> {
  const { created } = await enqueue(db, followUpPlanJob(hourOf(now)));
  return { created };
}

async function databaseNow(db: DbOrTx): Promise<number> {
  const [row] = await db.all<{ now: number }>(sql`SELECT cast(unixepoch('subsec') * 1000 as integer) AS now`);
  return Number(row!.now);
}

const PlanPayload = v.object({ start: v.number() });

/** The plan's job handler, for the worker of every server process: schedules the next hour, then plans. */
export function followUpPlanHandlers({ db }: { db: Db }): Record<string, JobHandler> {
  return {
    [followUpPlanKind]: async (payload, context) => {
      const { start } = v.parse(PlanPayload, payload);
      const now = await databaseNow(db);
      await enqueue(db, followUpPlanJob(Math.max(start, hourOf(now)) + followUpPlanPeriodMs));
      await planFollowUps(db, { now, signal: context.signal });
    },
  };
}

// ---- Planning ----

const subjectColumns = {
  id: customers.id,
  name: customers.name,
  contactName: customers.contactName,
  locale: customers.locale,
  timeZone: customers.timeZone,
  ownerId: customers.ownerId,
  preferredChannel: customers.preferredChannel,
  ...contactSubjectColumns,
};
type Subject = FollowUpSubject & { id: string; name: string; contactName: string | null; locale: Locale; timeZone: string; ownerId: string | null };

interface Candidate {
  customer: Subject;
  kind: FollowUpKind;
  dedupeKey: string;
  dueAt: number;
  purchase?: { id: number; orderId: string; occurredAt: number; amountMinor: number; currency: string };
  reasons?: string[];
}

export interface PlanResult {
  /** Emails queued and tasks made. */
  planned: number;
  /** Follow-ups not made, recorded with their reasons. */
  skipped: number;
}

/** Plans every follow-up due at `now`. Returns how many were made and skipped; those made before are left alone. */
export async function planFollowUps(db: Db, input: { now: number; signal?: AbortSignal }): Promise<PlanResult> {
  const settings = (await readLoyaltySettings(db)).followUp;
  const result: PlanResult = { planned: 0, skipped: 0 };
  let stepStarted = performance.now();
  const add = async (batch: PlanResult) => {
    result.planned += batch.planned;
    result.skipped += batch.skipped;
    // A run that lost its lease stops between batches: the process that took the job over carries on.
    input.signal?.throwIfAborted();
    // Requests are answered first, between batches: a first run on a large database plans for minutes.
    await makeWayForRequests(performance.now() - stepStarted);
    stepStarted = performance.now();
  };
  if (settings.thankYouEnabled) {
    for await (const batch of thankYouCandidates(db, settings, input.now)) await add(await writePlan(db, batch, input.now));
  }
  const period = vipPeriod(settings.vipEveryWeeks, input.now);
  if (period !== null) {
    for await (const batch of vipCandidates(db, settings.vipEveryWeeks, period, input.now)) await add(await writePlan(db, batch, input.now));
  }
  for await (const batch of atRiskCandidates(db, input.now)) await add(await writePlan(db, batch, input.now));
  return result;
}

/** The purchases (not refunds) bought thankYouAfterDays ago with no thank-you yet, a batch at a time. */
async function* thankYouCandidates(db: Db, settings: { thankYouAfterDays: { min: number; max: number } }, now: number) {
  const window = thankYouWindow(settings, now);
  // Purchases are numbered as they arrive: only those that arrived since the window opened (and a day to spare)
  // can be due, so the walk starts after the last older one, found from the newest backwards.
  const [boundary] = await db
    .select({ id: purchases.id })
    .from(purchases)
    .where(sql`${purchases.createdAt} < ${window.from - dayMs}`)
    .orderBy(desc(purchases.id))
    .limit(1);
  let afterId = boundary?.id ?? 0;
  for (;;) {
    const rows = await db
      .select({ purchase: { id: purchases.id, orderId: purchases.orderId, occurredAt: purchases.occurredAt, amountMinor: purchases.amountMinor, currency: purchases.currency }, customer: subjectColumns })
      .from(purchases)
      .innerJoin(customers, eq(customers.id, purchases.customerId))
      .where(
        and(
          gt(purchases.id, afterId),
          sql`${purchases.occurredAt} >= ${window.from} and ${purchases.occurredAt} <= ${window.to}`,
          gt(purchases.amountMinor, 0),
          isNull(purchases.refundOf),
          sql`not exists (select 1 from ${followUps} where ${followUps.dedupeKey} = 'thank_you:' || ${purchases.id})`,
        ),
      )
      .orderBy(asc(purchases.id))
      .limit(batchSize);
    if (rows.length === 0) return;
    afterId = rows.at(-1)!.purchase.id;
    yield rows.map(
      (row): Candidate => ({
        customer: row.customer as Subject,
        kind: 'thank_you',
        dedupeKey: `thank_you:${row.purchase.id}`,
        dueAt: row.purchase.occurredAt + settings.thankYouAfterDays.min * dayMs,
        purchase: row.purchase,
      }),
    );
  }
}

/** VIP customers with no follow-up in this period, nor one made in the weeks before. */
async function* vipCandidates(db: Db, everyWeeks: number, period: number, now: number) {
  let afterId = '';
  const since = now - everyWeeks * 7 * dayMs;
  for (;;) {
    const rows = await db
      .select(subjectColumns)
      .from(customers)
      .where(
        and(
          eq(customers.tier, 'vip'),
          gt(customers.id, afterId),
          sql`not exists (select 1 from ${followUps} where ${followUps.dedupeKey} = 'vip:' || ${customers.id} || ':' || ${period})`,
          sql`not exists (select 1 from ${followUps} where ${followUps.customerId} = ${customers.id} and ${followUps.kind} = 'vip' and ${followUps.status} <> 'skipped' and ${followUps.createdAt} > ${since})`,
        ),
      )
      .orderBy(asc(customers.id))
      .limit(batchSize);
    if (rows.length === 0) return;
    afterId = rows.at(-1)!.id;
    yield rows.map((customer): Candidate => ({ customer: customer as Subject, kind: 'vip', dedupeKey: `vip:${customer.id}:${period}`, dueAt: now }));
  }
}

/**
 * At-risk customers without a follow-up for this time at risk: the key names when the customer was last flagged
 * (the latest at-risk change), so a customer flagged again later gets a new task.
 */
async function* atRiskCandidates(db: Db, now: number) {
  let afterId = '';
  for (;;) {
    const rows = await db
      .select({
        customer: subjectColumns,
        reasons: customerLoyalty.atRiskReasons,
        since: sql<number | null>`(select max(${loyaltyChanges.at}) from ${loyaltyChanges} where ${loyaltyChanges.customerId} = ${customerLoyalty.customerId} and ${loyaltyChanges.field} = 'at_risk' and ${loyaltyChanges.after} in ('true', '1'))`,
      })
      .from(customerLoyalty)
      .innerJoin(customers, eq(customers.id, customerLoyalty.customerId))
      .where(and(eq(customerLoyalty.atRisk, true), gt(customerLoyalty.customerId, afterId)))
      .orderBy(asc(customerLoyalty.customerId))
      .limit(batchSize);
    if (rows.length === 0) return;
    afterId = rows.at(-1)!.customer.id;
    const candidates = rows.map(
      (row): Candidate => ({
        customer: row.customer as Subject,
        kind: 'at_risk',
        dedupeKey: `at_risk:${row.customer.id}:${Number(row.since ?? 0)}`,
        dueAt: now,
        reasons: row.reasons,
      }),
    );
    const made = await db.select({ key: followUps.dedupeKey }).from(followUps).where(inArray(followUps.dedupeKey, candidates.map((candidate) => candidate.dedupeKey)));
    const known = new Set(made.map((row) => row.key));
    const fresh = candidates.filter((candidate) => !known.has(candidate.dedupeKey));
    if (fresh.length > 0) yield fresh;
  }
}

/**
 * When each customer was last contacted, as the contact rule counts it: the latest invitation that was not
 * skipped, or the latest follow-up that was not.
 */
async function lastContacts(tx: DbOrTx, customerIds: string[]): Promise<Map<string, number>> {
  const last = new Map<string, number>();
  const keep = (id: string, at: number | null) => {
    if (at !== null && at > (last.get(id) ?? -Infinity)) last.set(id, Number(at));
  };
  const invited = await tx
    .select({ customerId: campaignInvitations.customerId, at: max(campaignInvitations.invitedAt) })
    .from(campaignInvitations)
    .where(and(inArray(campaignInvitations.customerId, customerIds), isNull(campaignInvitations.skipReason)))
    .groupBy(campaignInvitations.customerId);
  for (const row of invited) keep(row.customerId, row.at);
  const followed = await tx
    .select({ customerId: followUps.customerId, at: max(followUps.createdAt) })
    .from(followUps)
    .where(and(inArray(followUps.customerId, customerIds), ne(followUps.status, 'skipped')))
    .groupBy(followUps.customerId);
  for (const row of followed) keep(row.customerId, row.at);
  return last;
}

/** The staff who may own customers now: an owner who left is no owner, and the task goes to the team. */
async function activeOwners(tx: DbOrTx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, ids), eq(users.active, true), inArray(users.role, [...followUpRoles])));
  return new Set(rows.map((row) => row.id));
}

/**
 * Writes one batch in one transaction: each follow-up's row by its dedupe key (one already made is left, and
 * nothing else is done for it), a thank-you's email in the Outbox beside it, or the reason it was skipped.
 */
async function writePlan(db: Db, batch: Candidate[], now: number): Promise<PlanResult> {
  return db.transaction(async (tx) => {
    const rule = await getContactRule(tx);
    const ids = [...new Set(batch.map((candidate) => candidate.customer.id))];
    const lastContact = await lastContacts(tx, ids);
    const owners = await activeOwners(tx, [...new Set(batch.flatMap((candidate) => (candidate.customer.ownerId ? [candidate.customer.ownerId] : [])))]);
    const rows: (typeof followUps.$inferInsert)[] = [];
    const emails = new Map<string, NewMessage>();
    for (const candidate of batch) {
      const { customer } = candidate;
      const decision = planDecision(customer, { kind: candidate.kind, lastContactAt: lastContact.get(customer.id) ?? null, rule, now });
      const owner = customer.ownerId && owners.has(customer.ownerId) ? customer.ownerId : null;
      const id = randomUUID();
      const email = decision.ok && decision.channel === 'email' && candidate.kind === 'thank_you';
      if (email) emails.set(candidate.dedupeKey, thankYouEmail(id, customer, candidate.purchase!));
      // A follow-up made counts as a contact for the customer's next candidate in this batch.
      if (decision.ok) lastContact.set(customer.id, now);
      rows.push({
        id,
        dedupeKey: candidate.dedupeKey,
        customerId: customer.id,
        kind: candidate.kind,
        channel: decision.channel,
        purchaseId: candidate.purchase?.id ?? null,
        // A thank-you call is for whoever works the call list; the owner looks after a VIP or an at-risk customer.
        assigneeId: candidate.kind === 'thank_you' ? null : owner,
        status: !decision.ok ? 'skipped' : email ? 'emailed' : 'open',
        skipReason: decision.ok ? null : decision.reason,
        messageId: email ? messageIdOf(id) : null,
        reasons: candidate.reasons ?? [],
        dueAt: candidate.dueAt,
        createdAt: now,
      });
    }
    // A key made meanwhile (by a run that took this job over) is left as it is, and its email is not queued again.
    const written: { key: string; status: FollowUpStatus }[] = [];
    for (let start = 0; start < rows.length; start += 100) {
      written.push(
        ...(await tx
          .insert(followUps)
          .values(rows.slice(start, start + 100))
          .onConflictDoNothing()
          .returning({ key: followUps.dedupeKey, status: followUps.status })),
      );
    }
    const messages = written.flatMap((row) => (emails.has(row.key) ? [emails.get(row.key)!] : []));
    if (messages.length > 0) await queueMessagesIn(tx, messages);
    const skipped = written.filter((row) => row.status === 'skipped').length;
    return { planned: written.length - skipped, skipped };
  });
}

const messageIdOf = (followUpId: string) => `follow-up:${followUpId}`;

/** The Outbox topic of a follow-up's email. */
export const followUpTopic = (kind: FollowUpKind, followUpId: string) => `follow-up:${kind}:${followUpId}`;

function money(amountMinor: number, currency: string, locale: Locale) {
  try {
    const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(amountMinor / 10 ** digits);
  } catch {
    return `${(amountMinor / 100).toFixed(2)} ${currency}`;
  }
}

/** The thank-you email, in the customer's language; the Outbox checks the customer's consent again when it sends it. */
export function thankYouEmail(
  followUpId: string,
  customer: { id: string; name: string; contactName: string | null; email: string | null; locale: Locale; timeZone: string },
  purchase: { orderId: string; occurredAt: number; amountMinor: number; currency: string },
): NewMessage {
  const name = customer.contactName?.trim() || customer.name;
  let date: string;
  try {
    date = new Intl.DateTimeFormat(customer.locale, { dateStyle: 'long', timeZone: customer.timeZone }).format(purchase.occurredAt);
  } catch {
    date = new Intl.DateTimeFormat(customer.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(purchase.occurredAt);
  }
  const amount = money(purchase.amountMinor, purchase.currency, customer.locale);
  const text =
    customer.locale === 'en'
      ? {
          subject: 'Thank you for your purchase',
          text: `Dear ${name},\n\nThank you for your order ${purchase.orderId} of ${date} (${amount}). We hope everything is as you expected.\n\nIf anything is not right, simply reply to this email and we will put it right.\n\nThank you for choosing us.`,
        }
      : {
          subject: '感谢您的惠顾',
          text: `尊敬的${name}：\n\n感谢您于${date}的订单 ${purchase.orderId}（${amount}）。希望一切都令您满意。\n\n如有任何不满意之处，请直接回复此邮件，我们会尽快为您处理。\n\n再次感谢您的支持！`,
        };
  return {
    id: messageIdOf(followUpId),
    to: customer.email ?? '',
    ...text,
    topic: followUpTopic('thank_you', followUpId),
    contact: { customerId: customer.id, purpose: 'follow_up' },
  };
}

// ---- The list ----

export const followUpViews = ['mine', 'calls', 'team', 'all'] as const;
export type FollowUpView = (typeof followUpViews)[number];
export const followUpStatusFilters = ['open', 'closed', 'skipped', 'all'] as const;
export type FollowUpStatusFilter = (typeof followUpStatusFilters)[number];

const assignee = alias(users, 'assignee');
const worker = alias(users, 'worker');

const onlyLeads = () =>
  new DomainError('forbidden', bilingual("Only admins and managers see the team's follow-ups and all of them.", '只有管理员和经理可以查看团队的回访任务和全部回访。'));

/** Who each view is about. */
function viewCondition(viewer: FollowUpViewer, view: FollowUpView): SQL | undefined {
  switch (view) {
    case 'mine':
      return eq(followUps.assigneeId, viewer.id);
    case 'calls':
      return and(isNull(followUps.assigneeId), ne(followUps.kind, 'at_risk'), eq(followUps.channel, 'phone'));
    case 'team':
      if (!leads.includes(viewer.role)) throw onlyLeads();
      return and(isNull(followUps.assigneeId), eq(followUps.kind, 'at_risk'));
    case 'all':
      if (!leads.includes(viewer.role)) throw onlyLeads();
      return undefined;
  }
}

/** An emailed follow-up the Outbox skipped counts as skipped; one it sent, as closed. */
function statusCondition(status: FollowUpStatusFilter): SQL | undefined {
  switch (status) {
    case 'open':
      return eq(followUps.status, 'open');
    case 'closed':
      return or(eq(followUps.status, 'done'), and(eq(followUps.status, 'emailed'), sql`coalesce(${outgoingMessages.status}, '') <> 'skipped'`));
    case 'skipped':
      return or(eq(followUps.status, 'skipped'), and(eq(followUps.status, 'emailed'), eq(outgoingMessages.status, 'skipped')));
    case 'all':
      return undefined;
  }
}

/** How a follow-up stands as a person reads it: its email's fate in the Outbox included. */
export type FollowUpState = FollowUpStatus | 'queued' | 'sent' | 'failed';

export async function listFollowUps(
  db: Db,
  viewer: FollowUpViewer,
  query: { view: FollowUpView; status: FollowUpStatusFilter; kind?: FollowUpKind | undefined; customerId?: string | undefined; before?: string | undefined; limit: number },
) {
  const rows = await listedFollowUps(db)
    .where(
      and(
        viewCondition(viewer, query.view),
        statusCondition(query.status),
        query.kind ? eq(followUps.kind, query.kind) : undefined,
        query.customerId ? eq(followUps.customerId, query.customerId) : undefined,
        olderThanCursor(followUps.createdAt, followUps.id, query.before),
      ),
    )
    .orderBy(desc(followUps.createdAt), desc(followUps.id))
    .limit(query.limit + 1);
  const { page, nextBefore } = pageOf(
    rows.map((row) => ({ ...row, id: row.followUp.id })),
    query.limit,
    (row) => row.followUp.createdAt,
  );
  return { followUps: page.map(shown), nextBefore };
}

type ListedRow = {
  followUp: typeof followUps.$inferSelect;
  customer: (Subject & { timeZone: string; tier: string }) | null;
  message: { status: string | null; skipReason: string | null; sentAt: number | null } | null;
  purchase: { orderId: string | null; occurredAt: number | null; amountMinor: number | null; currency: string | null } | null;
  assignee: { id: string | null; name: string | null } | null;
  worker: { id: string | null; name: string | null } | null;
};

function shown(row: ListedRow) {
  const { followUp } = row;
  const customer = row.customer?.id ? row.customer : null;
  let state: FollowUpState = followUp.status;
  let skipReason: FollowUpSkipReason | null = followUp.skipReason;
  if (followUp.status === 'emailed') {
    const status = row.message?.status ?? null;
    if (status === 'skipped') {
      state = 'skipped';
      skipReason = (row.message?.skipReason as FollowUpSkipReason | null) ?? null;
    } else state = status === 'sent' ? 'sent' : status === 'failed' ? 'failed' : 'queued';
  }
  // What the contact rule says now, for a task still to be worked: shown before anyone calls.
  const contactNow = followUp.status === 'open' && followUp.channel ? mayContactNow(customer, followUp.channel) : null;
  return {
    id: followUp.id,
    kind: followUp.kind,
    channel: followUp.channel,
    state,
    skipReason,
    contactNow: contactNow === null ? null : contactNow.ok ? { ok: true as const } : { ok: false as const, reason: contactNow.reason },
    reasons: followUp.reasons,
    dueAt: new Date(followUp.dueAt).toISOString(),
    createdAt: new Date(followUp.createdAt).toISOString(),
    attempts: followUp.attempts,
    outcome: followUp.outcome,
    note: followUp.note,
    workedAt: followUp.workedAt === null ? null : new Date(followUp.workedAt).toISOString(),
    workedBy: row.worker?.id ? { id: row.worker.id, name: row.worker.name! } : null,
    assignee: row.assignee?.id ? { id: row.assignee.id, name: row.assignee.name! } : null,
    messageId: followUp.messageId,
    sentAt: row.message?.sentAt ? new Date(row.message.sentAt).toISOString() : null,
    purchase: row.purchase?.orderId
      ? { orderId: row.purchase.orderId, occurredAt: new Date(row.purchase.occurredAt!).toISOString(), amountMinor: row.purchase.amountMinor!, currency: row.purchase.currency! }
      : null,
    customer: customer
      ? {
          id: customer.id,
          name: customer.name,
          contactName: customer.contactName,
          phone: customer.phone,
          email: customer.email,
          locale: customer.locale,
          timeZone: customer.timeZone,
          tier: customer.tier,
        }
      : null,
  };
}

export type ListedFollowUp = ReturnType<typeof shown>;

/** Open tasks in each view the viewer has: the menu's count and the call list's item. */
export async function followUpCounts(db: Db, viewer: FollowUpViewer): Promise<{ mine: number; calls: number; team: number | null }> {
  const open = async (view: FollowUpView) => {
    const [row] = await db.select({ n: count() }).from(followUps).where(and(viewCondition(viewer, view), eq(followUps.status, 'open')));
    return row?.n ?? 0;
  };
  return { mine: await open('mine'), calls: await open('calls'), team: leads.includes(viewer.role) ? await open('team') : null };
}

// ---- Working a task ----

const noSuchFollowUp = () => new DomainError('not_found', bilingual('No such follow-up. The link may be wrong.', '找不到该回访，链接可能有误。'));

const skipWords: Record<FollowUpSkipReason, { en: string; zh: string }> = {
  do_not_contact: { en: 'asked not to be contacted', zh: '要求不被联系' },
  do_not_call: { en: 'asked not to be called', zh: '要求不接电话' },
  no_consent: { en: 'has not consented to follow-up on this channel', zh: '未同意通过此渠道回访' },
  unsubscribed: { en: 'unsubscribed', zh: '已退订' },
  no_email: { en: 'has no email address on record', zh: '没有登记电子邮件地址' },
  no_phone: { en: 'has no phone number on record', zh: '没有登记电话号码' },
  no_address: { en: 'has no postal address on record', zh: '没有登记邮寄地址' },
  contacted_recently: { en: 'was contacted recently', zh: '近期已被联系过' },
  no_channel: { en: 'has no channel we may use', zh: '没有可用的联系渠道' },
  customer_gone: { en: 'is no longer on record', zh: '已不在客户名单中' },
};

/** Whether this viewer may work this task: its assignee; anyone for the team's calls; the managers for an unowned at-risk customer; admins and managers for any. */
function mayWork(viewer: FollowUpViewer, row: typeof followUps.$inferSelect): boolean {
  if (leads.includes(viewer.role)) return true;
  if (row.assigneeId === viewer.id) return true;
  return row.assigneeId === null && row.kind !== 'at_risk';
}

/**
 * Records what working a task came to. The customer's current row is read first: one who may no longer be
 * contacted for follow-up on the task's channel closes the task as skipped, with the reason, and the call is
 * refused. A no answer keeps the task open until its attempts are used.
 */
export async function recordFollowUpOutcome(
  db: Db,
  viewer: FollowUpViewer,
  id: string,
  input: { outcome: FollowUpOutcome; note?: string | undefined; now?: number },
) {
  const now = input.now ?? Date.now();
  const refused = await db.transaction(async (tx) => {
    // The first statement writes, so this transaction holds the write lock from its start.
    const [row] = await tx.update(followUps).set({ attempts: sql`${followUps.attempts}` }).where(eq(followUps.id, id)).returning();
    if (!row) throw noSuchFollowUp();
    if (!mayWork(viewer, row)) {
      throw new DomainError(
        'forbidden',
        bilingual('This follow-up is assigned to someone else. Ask a manager to move it to you.', '该回访已分配给他人。如需接手，请联系经理转给您。'),
      );
    }
    if (row.status !== 'open' || !row.channel) {
      throw new DomainError('conflict', bilingual('This follow-up is no longer open: its outcome was recorded, or it was skipped.', '该回访已不再待办：结果已记录，或已跳过。'));
    }
    const [customer] = await tx.select(contactSubjectColumns).from(customers).where(eq(customers.id, row.customerId));
    const permission = mayContactNow(customer ?? null, row.channel);
    if (!permission.ok) {
      await tx.update(followUps).set({ status: 'skipped', skipReason: permission.reason, workedBy: viewer.id, workedAt: now }).where(eq(followUps.id, id));
      return permission.reason;
    }
    const next = afterOutcome(input.outcome, row.attempts);
    await tx
      .update(followUps)
      .set({ status: next.open ? 'open' : 'done', outcome: input.outcome, note: input.note?.trim() || null, attempts: next.attempts, workedBy: viewer.id, workedAt: now })
      .where(eq(followUps.id, id));
    return null;
  });
  if (refused) {
    const words = skipWords[refused];
    throw new DomainError(
      'conflict',
      bilingual(
        `Do not contact this customer for follow-up: the customer ${words.en}. The follow-up is closed as skipped.`,
        `请勿就回访联系该客户：该客户${words.zh}。此回访已按跳过关闭。`,
      ),
      {},
      { skipReason: refused },
    );
  }
  const listed = await listFollowUpById(db, id);
  return listed;
}

/** A follow-up with its customer, its email's fate, its purchase and who it is for and who worked it, as listed. */
function listedFollowUps(db: Db) {
  return db
    .select({
      followUp: followUps,
      customer: { ...subjectColumns, timeZone: customers.timeZone, tier: customers.tier },
      message: { status: outgoingMessages.status, skipReason: outgoingMessages.skipReason, sentAt: outgoingMessages.sentAt },
      purchase: { orderId: purchases.orderId, occurredAt: purchases.occurredAt, amountMinor: purchases.amountMinor, currency: purchases.currency },
      assignee: { id: assignee.id, name: assignee.name },
      worker: { id: worker.id, name: worker.name },
    })
    .from(followUps)
    .leftJoin(customers, eq(customers.id, followUps.customerId))
    .leftJoin(outgoingMessages, eq(outgoingMessages.id, followUps.messageId))
    .leftJoin(purchases, eq(purchases.id, followUps.purchaseId))
    .leftJoin(assignee, eq(assignee.id, followUps.assigneeId))
    .leftJoin(worker, eq(worker.id, followUps.workedBy));
}

async function listFollowUpById(db: Db, id: string) {
  const [row] = await listedFollowUps(db)
    .where(eq(followUps.id, id));
  if (!row) throw noSuchFollowUp();
  return shown(row as ListedRow);
}

// ---- Account owners ----

/** How many customers a staff member owns (deactivating them waits until none). */
export async function ownedCustomerCount(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(customers).where(eq(customers.ownerId, userId));
  return row?.n ?? 0;
}

/** Customers owned, per staff member, for the users list. */
export async function ownedCustomerCounts(db: DbOrTx): Promise<Map<string, number>> {
  const rows = await db
    .select({ ownerId: customers.ownerId, n: count() })
    .from(customers)
    .where(sql`${customers.ownerId} is not null`)
    .groupBy(customers.ownerId);
  return new Map(rows.map((row) => [row.ownerId!, row.n]));
}

async function activeOwner(tx: DbOrTx, userId: string) {
  const [user] = await tx.select({ id: users.id, name: users.name, role: users.role, active: users.active }).from(users).where(eq(users.id, userId));
  if (!user || !user.active || !(followUpRoles as readonly Role[]).includes(user.role)) {
    const text = bilingual(
      'Customers can be given only to an active support agent, manager or admin. Pick someone from the list.',
      '客户只能交给在职的客服、经理或管理员，请从列表中选择。',
    );
    throw new DomainError('bad_request', text, { toUserIds: text });
  }
  return user;
}

/**
 * Moves every customer a staff member owns to the people named, in turn (one person takes them all), oldest
 * customer first, in one transaction; their open follow-up tasks go with them to each customer's new owner.
 * Returns how many moved, and how many to whom.
 */
export async function reassignOwnedCustomers(db: Db, input: { fromUserId: string; toUserIds: string[] }) {
  if (input.toUserIds.includes(input.fromUserId)) {
    const text = bilingual('Move the customers to someone other than their present owner.', '请把客户转给现负责人以外的人。');
    throw new DomainError('bad_request', text, { toUserIds: text });
  }
  return db.transaction(async (tx) => {
    const targets: { id: string; name: string }[] = [];
    for (const id of [...new Set(input.toUserIds)]) targets.push(await activeOwner(tx, id));
    const moved: Record<string, number> = Object.fromEntries(targets.map((target) => [target.id, 0]));
    const owned = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.ownerId, input.fromUserId))
      .orderBy(asc(customers.createdAt), asc(customers.id));
    const byTarget = new Map<string, string[]>(targets.map((target) => [target.id, []]));
    owned.forEach((row, index) => byTarget.get(targets[index % targets.length]!.id)!.push(row.id));
    for (const [targetId, ids] of byTarget) {
      for (let start = 0; start < ids.length; start += batchSize) {
        const slice = ids.slice(start, start + batchSize);
        await tx.update(customers).set({ ownerId: targetId, updatedAt: sql`cast(unixepoch('subsec') * 1000 as integer)` }).where(inArray(customers.id, slice));
      }
      moved[targetId] = ids.length;
    }
    // Open tasks follow their customers to the new owner; a task whose customer is owned by someone else goes to them (or the team).
    await tx
      .update(followUps)
      .set({ assigneeId: sql`(select ${customers.ownerId} from ${customers} where ${customers.id} = ${followUps.customerId} and ${customers.ownerId} <> ${input.fromUserId})` })
      .where(and(eq(followUps.assigneeId, input.fromUserId), eq(followUps.status, 'open')));
    return { moved: owned.length, to: moved };
  });
}

/** Open follow-up tasks a staff member holds. */
export async function openTaskCount(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(followUps).where(and(eq(followUps.assigneeId, userId), eq(followUps.status, 'open')));
  return row?.n ?? 0;
}

