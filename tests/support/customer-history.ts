// A customer with something of every kind on their timeline, written straight to the database: purchases (a
// refund among them), a response, invitations (one skipped), messages (one skipped), a call, follow-ups (one
// skipped), a complaint case opened and resolved, and loyalty changes; and the customer_loyalty row the loyalty engine would keep.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../server/db/client.ts';
import {
  callAttempts,
  campaignInvitations,
  campaigns,
  complaintCases,
  customerLoyalty,
  followUps,
  loyaltyChanges,
  outgoingMessages,
  purchases,
  responses,
  surveys,
  surveyVersions,
  users,
} from '../../server/db/schema.ts';
import type { LoyaltyParts } from '../../server/loyalty/vocabulary.ts';
import type { SurveyDefinition } from '../../surveys/definition.ts';

const day = 24 * 3600_000;

/**
 * The score's parts as the engine writes them: attitude from a response (each answer scaled to 0-100 with the
 * scale it was given on: 4 on 1-5 is 75, 9 on 0-10 is 90), behaviour from RFM, recovery from a case.
 */
export function sampleParts(input: { responseId: string; answeredAt: number; caseId: string; reference: string }): LoyaltyParts {
  return {
    attitude: {
      score: 80,
      repurchaseIntent: { value: 75, scale: '1-5', responseId: input.responseId, answeredAt: input.answeredAt },
      recommendation: { value: 90, scale: '0-10', responseId: input.responseId, answeredAt: input.answeredAt },
    },
    behaviour: { score: 73, recency: 5, frequency: 4, monetary: 3 },
    recovery: { score: 54, caseId: input.caseId, reference: input.reference, outcome: 'resolved', severity: 'major', cappedAt: 70, paradox: false },
    weights: { attitude: 0.35, behaviour: 0.4, recovery: 0.25 },
  };
}

/**
 * Fills the customer's history. `now` is the newest moment; everything happened before it. Returns the ids of
 * what was written and the keys of every timeline entry, newest first, as the timeline must list them.
 */
export async function seedCustomerHistory(db: Db, customerId: string, now = Date.now()) {
  const at = (daysAgo: number, plusMs = 0) => now - daysAgo * day + plusMs;
  const interviewerId = `interviewer-${randomUUID()}`;
  await db.insert(users).values({ id: interviewerId, email: `${interviewerId}@example.com`, name: 'Zhou Ming', role: 'interviewer', passwordHash: 'x' });

  const definition: SurveyDefinition = {
    kind: 'satisfaction',
    title: { 'zh-CN': '购后回访', en: 'After purchase' },
    questions: [{ id: 'nps', type: 'nps', required: true, title: { 'zh-CN': '推荐吗？', en: 'Recommend?' } }],
  };
  const surveyId = randomUUID();
  const versionId = randomUUID();
  await db.insert(surveys).values({ id: surveyId, slug: `after-${surveyId.slice(0, 8)}`, kind: 'satisfaction', status: 'published', draft: definition, latestVersionId: versionId });
  await db.insert(surveyVersions).values({ id: versionId, surveyId, version: 1, definition });
  const campaignId = randomUUID();
  await db.insert(campaigns).values({ id: campaignId, name: 'Spring survey', surveyId, versionId, delivery: 'email', status: 'running', audience: {} });
  const phoneCampaignId = randomUUID();
  await db.insert(campaigns).values({ id: phoneCampaignId, name: 'Phone round', surveyId, versionId, delivery: 'phone', status: 'running', audience: {} });

  // Purchases: two at the very same moment as the loyalty change below (ties are ordered by source, then row).
  const tie = at(30);
  const purchaseRows = await db
    .insert(purchases)
    .values([
      { customerId, orderId: `O-${randomUUID()}`, occurredAt: at(200), amountMinor: 129_900, currency: 'CNY', channel: 'store', source: 'api' },
      { customerId, orderId: `O-${randomUUID()}`, occurredAt: tie, amountMinor: 5_000, currency: 'CNY', channel: 'web', source: 'api' },
      { customerId, orderId: `O-${randomUUID()}`, occurredAt: tie, amountMinor: 2_550, currency: 'CNY', channel: 'web', source: 'csv' },
    ])
    .returning({ id: purchases.id, orderId: purchases.orderId });
  const refundRows = await db
    .insert(purchases)
    .values({ customerId, orderId: `R-${randomUUID()}`, refundOf: purchaseRows[0]!.orderId, occurredAt: at(190), amountMinor: -29_900, currency: 'CNY', channel: 'store', source: 'api' })
    .returning({ id: purchases.id });

  const responseId = randomUUID();
  const answeredAt = at(40);
  await db.insert(responses).values({ id: responseId, surveyId, versionId, channel: 'web', locale: 'en', answers: { nps: 9 }, submittedAt: answeredAt, customerId, campaignId });

  const invitationId = randomUUID();
  const phoneInvitationId = randomUUID();
  await db.insert(campaignInvitations).values([
    { id: invitationId, campaignId, customerId, dedupeKey: `${campaignId}:${customerId}`, delivery: 'email', token: randomUUID(), locale: 'en', invitedAt: at(41), completedAt: answeredAt },
    { id: phoneInvitationId, campaignId: phoneCampaignId, customerId, dedupeKey: `${phoneCampaignId}:${customerId}`, delivery: 'phone', token: randomUUID(), locale: 'en', invitedAt: at(60) },
  ]);
  const skippedCampaignId = randomUUID();
  await db.insert(campaigns).values({ id: skippedCampaignId, name: 'Autumn survey', surveyId, versionId, delivery: 'email', status: 'running', audience: {} });
  await db.insert(campaignInvitations).values({
    id: randomUUID(),
    campaignId: skippedCampaignId,
    customerId,
    dedupeKey: `${skippedCampaignId}:${customerId}`,
    delivery: 'email',
    skipReason: 'contacted_recently',
    locale: 'en',
    invitedAt: at(10),
  });
  await db.insert(callAttempts).values({ id: randomUUID(), invitationId: phoneInvitationId, interviewerId, outcome: 'no_answer', at: at(59) });

  await db.insert(outgoingMessages).values([
    { id: randomUUID(), toAddress: 'x@example.com', subject: 'Tell us about your purchase', text: '…', status: 'sent', customerId, purpose: 'survey', createdAt: at(41, 1), sentAt: at(41, 2) },
    { id: randomUUID(), toAddress: 'x@example.com', subject: 'Thank you for your order', text: '…', status: 'skipped', skipReason: 'no_consent', customerId, purpose: 'follow_up', createdAt: at(25) },
  ]);

  const caseId = randomUUID();
  const number = 100 + Math.floor(Math.random() * 800_000);
  const reference = `C-2026-${String(number).padStart(6, '0')}`;
  await db.insert(complaintCases).values({
    id: caseId,
    number,
    reference,
    status: 'resolved',
    source: 'agent',
    channel: 'phone',
    category: 'delivery',
    severity: 'major',
    description: 'The parcel arrived crushed.',
    locale: 'en',
    customerId,
    statusToken: randomUUID(),
    replyToken: randomUUID(),
    outcome: 'resolved',
    createdAt: at(50),
    resolvedAt: at(45),
  });

  await db.insert(followUps).values([
    { id: randomUUID(), dedupeKey: `thank_you:${randomUUID()}`, customerId, kind: 'thank_you', channel: 'email', purchaseId: purchaseRows[1]!.id, status: 'skipped', skipReason: 'no_consent', dueAt: at(27), createdAt: at(28) },
    { id: randomUUID(), dedupeKey: `at_risk:${randomUUID()}`, customerId, kind: 'at_risk', channel: 'phone', assigneeId: interviewerId, status: 'done', outcome: 'reached', reasons: ['falling_frequency'], dueAt: at(4), createdAt: at(4) },
  ]);

  await db.insert(loyaltyChanges).values([
    { customerId, at: at(180), field: 'stage', before: 'prospect', after: 'new', cause: 'purchase', reasons: [] },
    { customerId, at: tie, field: 'stage', before: 'new', after: 'regular', cause: 'purchase', reasons: ['regular_purchases'] },
    { customerId, at: at(5), field: 'at_risk', before: 'false', after: 'true', cause: 'recompute', reasons: ['falling_frequency'] },
    { customerId, at: at(5), field: 'tier', before: 'ordinary', after: 'important', cause: 'recompute', reasons: [] },
  ]);

  await db.insert(customerLoyalty).values({
    customerId,
    stage: 'regular',
    stageSince: tie,
    regularSince: tie,
    atRisk: true,
    atRiskReasons: ['falling_frequency'],
    recency: 5,
    frequency: 4,
    monetary: 3,
    firstPurchaseAt: at(200),
    lastPurchaseAt: tie,
    purchaseCount: 3,
    windowPurchases: 3,
    windowValue: 107_550,
    medianGapDays: 85,
    computedTier: 'important',
    score: 71,
    parts: sampleParts({ responseId, answeredAt, caseId, reference }),
    computedAt: at(0, -60_000),
  });

  // Newest first; of the same moment: loyalty changes before purchases, and within a source the later row first.
  const expected = [
    'follow_up:at_risk', // at(4)
    'loyalty:tier', 'loyalty:at_risk', // at(5)
    'invitation:Autumn survey', // at(10)
    'message:Thank you for your order', // at(25)
    'follow_up:thank_you', // at(28)
    'loyalty:stage:regular', 'purchase:25.50', 'purchase:50.00', // at(30), the same moment
    'response', // at(40)
    'message:Tell us about your purchase', 'invitation:Spring survey', // at(41): 1 ms apart
    'case_resolved', 'case', // at(45), at(50)
    'call', 'invitation:Phone round', // at(59), at(60)
    'loyalty:stage:new', 'purchase:-299.00', 'purchase:1299.00', // at(180), at(190), at(200)
  ];
  return { responseId, caseId, reference, purchaseIds: [...purchaseRows.map((row) => row.id), refundRows[0]!.id], expected };
}

/** A timeline entry as the expected list above names it. */
export function entryName(item: { kind: string } & Record<string, unknown>): string {
  switch (item.kind) {
    case 'loyalty':
      return item.field === 'stage' ? `loyalty:stage:${item.after}` : `loyalty:${item.field}`;
    case 'purchase':
      return `purchase:${item.amount}`;
    case 'invitation':
      return `invitation:${item.campaignName}`;
    case 'message':
      return `message:${item.subject}`;
    case 'follow_up':
      return `follow_up:${item.followUpKind}`;
    default:
      return item.kind;
  }
}
