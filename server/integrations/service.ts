// What other systems do through the integration API: keep customers up to date by their own ids, and report
// events (a purchase, a visit, a delivery) that lead to a survey invitation some hours later; an event that
// carries an amount is stored as a purchase too (purchases/service.ts).
import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { bilingual } from '../../surveys/i18n.ts';
import type { LocalizedText } from '../../surveys/definition.ts';
import { createCustomer, updateCustomer, type SavedCustomer } from '../customers/service.ts';
import type { CustomerInput } from '../customers/rules.ts';
import type { Db } from '../db/client.ts';
import { olderThanCursor, pageOf } from '../db/paging.ts';
import { apiKeys, campaignInvitations, campaigns, customers, integrationEvents } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { enqueue } from '../jobs/queue.ts';
import type { PurchaseItem } from '../purchases/rules.ts';
import { ingestInTransaction } from '../purchases/service.ts';
import { eventRefusal, inviteAtFor, occurredAtOf, type EventInput, type EventRefusal } from './rules.ts';

export const integrationEventKind = 'integration.event';
/** The delay a campaign without event settings waits, as the campaign settings default it. */
const defaultDelayHours = 24;

/**
 * Creates the customer with this external id, or replaces the fields of the one that has it. Consent the
 * customer withdrew themselves is not given back unless the call renews it explicitly (consentRecord.renewed):
 * the rest of the change is made, and consentKept says what stayed withdrawn.
 */
export async function upsertCustomer(
  db: Db,
  input: { externalId: string; customer: CustomerInput; apiKey: { id: string; name: string } },
): Promise<SavedCustomer & { created: boolean }> {
  const withId = { ...input.customer, externalId: input.externalId };
  const actor = { source: 'api' as const, actorId: input.apiKey.id, actorName: input.apiKey.name };
  for (let attempt = 1; ; attempt++) {
    const [existing] = await db.select({ id: customers.id }).from(customers).where(eq(customers.externalId, input.externalId));
    if (existing) return { ...(await updateCustomer(db, existing.id, withId, actor)), created: false };
    try {
      return { customer: await createCustomer(db, withId, actor), consentKept: [], created: true };
    } catch (error) {
      // Two calls creating the same customer at once: the one that lost updates what the other made.
      const lostRace = error instanceof DomainError && error.code === 'conflict' && 'externalId' in error.fields;
      if (!lostRace || attempt >= 2) throw error;
    }
  }
}

type EventRow = typeof integrationEvents.$inferSelect;

const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());

/** An event as the caller reported it (the customer by its external id), with where it stands. */
export function toReportedEvent(row: EventRow, customerExternalId: string | null) {
  return {
    id: row.externalId,
    type: row.type,
    customer: customerExternalId,
    campaign: row.campaignId,
    occurredAt: iso(row.occurredAt)!,
    inviteAt: iso(row.inviteAt)!,
    status: row.status,
    invitationId: row.invitationId,
  };
}
export type ReportedEvent = ReturnType<typeof toReportedEvent>;

const refusalText: Record<EventRefusal, (campaignId: string, type: string) => LocalizedText> = {
  not_event_campaign: (id) =>
    bilingual(
      `Campaign ${id} does not take events: create a campaign with the delivery "event" for this.`,
      `活动 ${id} 不接收事件：请为此创建投放方式为“事件”的活动。`,
    ),
  not_running: (id) =>
    bilingual(`Campaign ${id} is not running: launch it first, or use a running event campaign.`, `活动 ${id} 未在运行：请先启动它，或使用正在运行的事件活动。`),
  type_not_allowed: (id, type) =>
    bilingual(
      `Campaign ${id} does not take "${type}" events; check its event types.`,
      `活动 ${id} 不接收 “${type}” 类型的事件；请检查其事件类型设置。`,
    ),
};

/**
 * Records an event and schedules its invitation at the event's time plus the campaign's delay. The same event
 * id again from the same key returns the event already recorded and changes nothing.
 */
export async function reportEvent(
  db: Db,
  input: { apiKeyId: string; event: EventInput; now?: number },
): Promise<{ event: ReportedEvent; created: boolean }> {
  const { event } = input;
  const now = input.now ?? Date.now();
  const existing = await findEvent(db, input.apiKeyId, event.id);
  if (existing) return { event: existing, created: false };

  const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, event.campaign));
  if (!campaign) {
    const text = bilingual(`No campaign has the id ${event.campaign}.`, `没有编号为 ${event.campaign} 的活动。`);
    throw new DomainError('not_found', text, { campaign: text });
  }
  const refusal = eventRefusal(campaign, event.type);
  if (refusal) {
    const text = refusalText[refusal](campaign.id, event.type);
    throw new DomainError(refusal === 'not_running' ? 'conflict' : 'bad_request', text, { [refusal === 'type_not_allowed' ? 'type' : 'campaign']: text });
  }
  const [customer] = await db.select({ id: customers.id }).from(customers).where(eq(customers.externalId, event.customer));
  if (!customer) {
    const text = bilingual(
      `No customer has the external id "${event.customer}". Send it first with PUT /api/v1/customers/${event.customer}.`,
      `没有外部编号为 “${event.customer}” 的客户。请先通过 PUT /api/v1/customers/${event.customer} 提交该客户。`,
    );
    throw new DomainError('not_found', text, { customer: text });
  }
  const occurredAt = occurredAtOf(event.occurredAt, now);
  if (occurredAt === 'future') {
    const text = bilingual('"occurredAt" is in the future; send the time the event happened.', '"occurredAt" 是将来的时间；请发送事件实际发生的时间。');
    throw new DomainError('bad_request', text, { occurredAt: text });
  }
  const inviteAt = inviteAtFor(occurredAt, campaign.settings.event?.delayHours ?? defaultDelayHours);

  const id = randomUUID();
  const created = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(integrationEvents)
      .values({
        id,
        apiKeyId: input.apiKeyId,
        externalId: event.id,
        campaignId: campaign.id,
        customerId: customer.id,
        type: event.type,
        occurredAt,
        inviteAt,
      })
      .onConflictDoNothing()
      .returning({ id: integrationEvents.id });
    if (!row) return false;
    await enqueue(tx, { kind: integrationEventKind, payload: { eventId: id }, runAt: inviteAt, dedupeKey: `${integrationEventKind}:${id}` });
    // An event with an amount is a purchase as well, stored with the event or, refused, neither is.
    if (event.amount !== undefined) {
      const item: PurchaseItem = {
        orderId: event.orderId ?? event.id,
        customer: { externalId: event.customer },
        occurredAt,
        amount: event.amount,
        currency: event.currency,
        channel: null,
        refundOf: null,
      };
      await ingestInTransaction(tx, [item], { source: 'event', apiKeyId: input.apiKeyId, paths: () => '', now });
    }
    return true;
  });
  // Lost a race with the same event reported at the same moment: answer with the one that was stored.
  const stored = await findEvent(db, input.apiKeyId, event.id);
  return { event: stored!, created };
}

async function findEvent(db: Db, apiKeyId: string, externalId: string): Promise<ReportedEvent | null> {
  const [row] = await db
    .select({ event: integrationEvents, customerExternalId: customers.externalId })
    .from(integrationEvents)
    .innerJoin(customers, eq(customers.id, integrationEvents.customerId))
    .where(and(eq(integrationEvents.apiKeyId, apiKeyId), eq(integrationEvents.externalId, externalId)));
  return row ? toReportedEvent(row.event, row.customerExternalId) : null;
}

/** Reported events, newest first, for the admins' Integrations page. */
export async function listEvents(db: Db, input: { before?: string | undefined; limit: number }) {
  const rows = await db
    .select({
      id: integrationEvents.id,
      externalId: integrationEvents.externalId,
      type: integrationEvents.type,
      status: integrationEvents.status,
      occurredAt: integrationEvents.occurredAt,
      inviteAt: integrationEvents.inviteAt,
      createdAt: integrationEvents.createdAt,
      invitationId: integrationEvents.invitationId,
      keyName: apiKeys.name,
      customerId: customers.id,
      customerName: customers.name,
      customerExternalId: customers.externalId,
      campaignId: campaigns.id,
      campaignName: campaigns.name,
      delivery: campaignInvitations.delivery,
      skipReason: integrationEvents.skipReason,
    })
    .from(integrationEvents)
    .innerJoin(apiKeys, eq(apiKeys.id, integrationEvents.apiKeyId))
    .innerJoin(customers, eq(customers.id, integrationEvents.customerId))
    .innerJoin(campaigns, eq(campaigns.id, integrationEvents.campaignId))
    .leftJoin(campaignInvitations, eq(campaignInvitations.id, integrationEvents.invitationId))
    .where(olderThanCursor(integrationEvents.createdAt, integrationEvents.id, input.before))
    .orderBy(desc(integrationEvents.createdAt), desc(integrationEvents.id))
    .limit(input.limit + 1);
  const { page, nextBefore } = pageOf(rows, input.limit, (row) => row.createdAt);
  return {
    events: page.map((row) => ({
      ...row,
      occurredAt: iso(row.occurredAt)!,
      inviteAt: iso(row.inviteAt)!,
      createdAt: iso(row.createdAt)!,
    })),
    nextBefore,
  };
}
export type IntegrationEventRow = Awaited<ReturnType<typeof listEvents>>['events'][number];

/** The campaigns that take events now, with what a caller needs to report one: the id, the types, the delay. */
export async function listEventCampaigns(db: Db) {
  const rows = await db
    .select({ id: campaigns.id, name: campaigns.name, settings: campaigns.settings })
    .from(campaigns)
    .where(and(eq(campaigns.delivery, 'event'), eq(campaigns.status, 'running')))
    .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
    .limit(100);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    eventTypes: row.settings.event?.eventTypes ?? [],
    delayHours: row.settings.event?.delayHours ?? defaultDelayHours,
  }));
}
export type EventCampaign = Awaited<ReturnType<typeof listEventCampaigns>>[number];

