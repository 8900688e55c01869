// Campaigns: the contact rule (an admin setting), setting campaigns up, launching and closing them, reading
// them, and the personal link a customer answers through. Who a campaign invites, and the invitations' emails
// and reminders, are in invitations.ts; the background launch is in launch.ts.
import { randomBytes, randomUUID } from 'node:crypto';
import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import * as v from 'valibot';
import type { Locale, LocalizedText } from '../../surveys/definition.ts';
import { bilingual, message } from '../../surveys/i18n.ts';
import type { Db } from '../db/client.ts';
import { olderThanCursor, pageOf } from '../db/paging.ts';
import { campaignInvitations, campaigns, customers, dbNow, settings, surveyVersions, surveys } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { invalidInput, parseInput } from '../http.ts';
import { enqueue, type DbOrTx } from '../jobs/queue.ts';
import { customerFilter } from '../customers/service.ts';
import { customerKinds, customerTiers } from '../customers/vocabulary.ts';
import { outboxProgress } from '../mail/outbox.ts';
import { frozenVersion, type PublicSurvey } from '../responses/service.ts';
import { findInvitation } from './answers.ts';
import { campaignFunnels, emptyFunnel } from './funnel.ts';
import { tokenFromBytes } from './rules.ts';
import { ContactRuleSchema, settingsResult } from './settings.ts';
import type { CampaignDetail, CampaignSummary } from './types.ts';
import {
  campaignDeliveries,
  defaultContactRule,
  responseChannelOf,
  type Audience,
  type CampaignDelivery,
  type ContactRule,
} from './vocabulary.ts';

export type CampaignRow = typeof campaigns.$inferSelect;

export const launchJobKind = 'campaign.launch';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const campaignNotFound = () => new DomainError('not_found', bilingual('No such campaign.', '找不到该调查活动。'));

// ---- The contact rule (admin setting) ----

const contactRuleKey = 'contact_rule';

export async function getContactRule(db: DbOrTx): Promise<ContactRule> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, contactRuleKey));
  const stored = v.safeParse(ContactRuleSchema, row?.value);
  return stored.success ? stored.output : { ...defaultContactRule };
}

export async function setContactRule(db: Db, rule: ContactRule, userId: string): Promise<ContactRule> {
  await db
    .insert(settings)
    .values({ key: contactRuleKey, value: rule, updatedBy: userId })
    .onConflictDoUpdate({ target: settings.key, set: { value: rule, updatedBy: userId, updatedAt: Date.now() } });
  return getContactRule(db);
}

// ---- Input ----

export const AudienceSchema = v.object(
  {
    q: v.optional(v.pipe(v.string(message('The search must be text.', '搜索内容必须是文本。')), v.trim(), v.maxLength(200, message('Search for at most 200 characters.', '搜索内容最多 200 个字符。')))),
    segment: v.optional(v.pipe(v.string(message('The segment must be text.', '细分必须是文本。')), v.trim(), v.maxLength(200))),
    region: v.optional(v.pipe(v.string(message('The region must be text.', '地区必须是文本。')), v.trim(), v.maxLength(200))),
    tier: v.optional(v.picklist(customerTiers, message('The tier is vip, important or ordinary.', '等级只能是 vip、important 或 ordinary。'))),
    kind: v.optional(v.picklist(customerKinds, message('The kind is individual or enterprise.', '类型只能是 individual 或 enterprise。'))),
  },
  message('The audience must be a filter object, e.g. {"segment": "retail"}; {} means all customers.', '受众必须是筛选条件对象，例如 {"segment": "retail"}；{} 表示全部客户。'),
);

const Name = v.pipe(
  v.string(message('Give the campaign a name.', '请为调查活动命名。')),
  v.trim(),
  v.nonEmpty(message('Give the campaign a name.', '请为调查活动命名。')),
  v.maxLength(200, message('The name is longer than 200 characters.', '名称超过 200 个字符。')),
);

export const CampaignInputSchema = v.object({
  name: Name,
  surveyId: v.pipe(v.string(message('Choose a survey.', '请选择问卷。')), v.nonEmpty(message('Choose a survey.', '请选择问卷。'))),
  delivery: v.picklist(campaignDeliveries, message('The delivery is email, post, phone, kiosk or event.', '发送方式只能是 email、post、phone、kiosk 或 event。')),
  audience: v.optional(AudienceSchema),
  settings: v.optional(v.unknown()),
});
export type CampaignInput = v.InferInput<typeof CampaignInputSchema>;

export const CampaignUpdateSchema = v.object({
  name: Name,
  audience: v.optional(AudienceSchema),
  settings: v.optional(v.unknown()),
});
export type CampaignUpdate = v.InferInput<typeof CampaignUpdateSchema>;

const audienceDeliveries = new Set<CampaignDelivery>(['email', 'post', 'phone']);

/** Blank filter fields are no filter; an audience is kept only for the deliveries that invite one. */
function checkedAudience(delivery: CampaignDelivery, audience: Audience | undefined): Audience | null {
  if (!audienceDeliveries.has(delivery)) {
    if (audience !== undefined) {
      const text = bilingual(
        'Kiosk and event campaigns have no audience: leave it out.',
        '自助终端和事件触发的调查活动没有受众，请不要填写。',
      );
      throw new DomainError('bad_request', text, { audience: text });
    }
    return null;
  }
  if (audience === undefined) {
    const text = bilingual(
      'Choose the audience: a filter over customers, or {} for all customers.',
      '请选择受众：客户筛选条件，或用 {} 表示全部客户。',
    );
    throw new DomainError('bad_request', text, { audience: text });
  }
  return Object.fromEntries(Object.entries(audience).filter(([, value]) => value !== undefined && value !== '')) as Audience;
}

function settingsOrError(delivery: CampaignDelivery, input: unknown, lang: Locale) {
  const result = settingsResult(delivery, input, lang);
  if (result.success) return result.output;
  return invalidInput((other) => settingsResult(delivery, input, other), lang, 'settings.');
}

async function publishedSurvey(db: DbOrTx, surveyId: string) {
  const [survey] = await db
    .select({ id: surveys.id, status: surveys.status, latestVersionId: surveys.latestVersionId })
    .from(surveys)
    .where(eq(surveys.id, surveyId));
  if (!survey) {
    const text = bilingual('No such survey.', '找不到该问卷。');
    throw new DomainError('bad_request', text, { surveyId: text });
  }
  if (survey.status !== 'published' || !survey.latestVersionId) {
    const text = bilingual(
      'This survey has no published version open for answers. Publish it first.',
      '该问卷没有可接受回答的已发布版本，请先发布。',
    );
    throw new DomainError('conflict', text, { surveyId: text });
  }
  return { ...survey, latestVersionId: survey.latestVersionId };
}

/** 16 characters of Crockford base32, like an invitation token: unguessable. */
const newKioskKey = () => tokenFromBytes(randomBytes(10));

export async function createCampaign(db: Db, input: CampaignInput, userId: string | null, lang: Locale = 'en'): Promise<CampaignDetail> {
  const checked = parseInput(CampaignInputSchema, input, lang);
  const audience = checkedAudience(checked.delivery, checked.audience);
  const campaignSettings = settingsOrError(checked.delivery, checked.settings, lang);
  await publishedSurvey(db, checked.surveyId);
  const id = randomUUID();
  await db.insert(campaigns).values({
    id,
    name: checked.name,
    surveyId: checked.surveyId,
    delivery: checked.delivery,
    audience,
    settings: campaignSettings,
    kioskKey: checked.delivery === 'kiosk' ? newKioskKey() : null,
    createdBy: userId,
  });
  return getCampaign(db, id);
}

export async function campaignRow(db: DbOrTx, id: string): Promise<CampaignRow> {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id));
  if (!row) throw campaignNotFound();
  return row;
}

const notDraft = (status: string) =>
  new DomainError(
    'conflict',
    bilingual(
      `Only a draft campaign can be changed or launched; this one is ${status}.`,
      `只有草稿状态的调查活动可以修改或启动；该活动当前为「${statusNames[status] ?? status}」。`,
    ),
    {},
    { status },
  );
const statusNames: Record<string, string> = { draft: '草稿', launching: '启动中', running: '进行中', closed: '已结束' };

export async function updateCampaign(db: Db, id: string, input: CampaignUpdate, lang: Locale = 'en'): Promise<CampaignDetail> {
  const checked = parseInput(CampaignUpdateSchema, input, lang);
  const existing = await campaignRow(db, id);
  if (existing.status !== 'draft') throw notDraft(existing.status);
  const audience = checkedAudience(existing.delivery, checked.audience);
  const campaignSettings = settingsOrError(existing.delivery, checked.settings ?? existing.settings, lang);
  const updated = await db
    .update(campaigns)
    .set({ name: checked.name, audience, settings: campaignSettings })
    .where(and(eq(campaigns.id, id), eq(campaigns.status, 'draft')))
    .returning({ id: campaigns.id });
  if (updated.length === 0) throw notDraft((await campaignRow(db, id)).status);
  return getCampaign(db, id);
}

/**
 * Launches a draft: fixes the survey's latest published version. Email, post and phone campaigns become
 * 'launching' and a job (one per campaign, whichever process takes it) makes the invitations; kiosk and
 * event campaigns run at once.
 */
export async function launchCampaign(db: Db, id: string): Promise<CampaignDetail> {
  await db.transaction(async (tx) => {
    const existing = await campaignRow(tx, id);
    if (existing.status !== 'draft') throw notDraft(existing.status);
    const survey = await publishedSurvey(tx, existing.surveyId);
    const direct = !audienceDeliveries.has(existing.delivery);
    await tx
      .update(campaigns)
      .set({
        status: direct ? 'running' : 'launching',
        versionId: survey.latestVersionId,
        launchedAt: dbNow,
        ...(existing.delivery === 'kiosk' && !existing.kioskKey ? { kioskKey: newKioskKey() } : {}),
      })
      .where(and(eq(campaigns.id, id), eq(campaigns.status, 'draft')));
    if (!direct) await enqueue(tx, { kind: launchJobKind, payload: { campaignId: id }, dedupeKey: `${launchJobKind}:${id}`, maxAttempts: 10 });
  });
  return getCampaign(db, id);
}

/** Closes a campaign: personal links show "closed", no more reminders, no more calls. */
export async function closeCampaign(db: Db, id: string): Promise<CampaignDetail> {
  const existing = await campaignRow(db, id);
  if (existing.status === 'closed') return getCampaign(db, id);
  await db.update(campaigns).set({ status: 'closed', closedAt: dbNow }).where(and(eq(campaigns.id, id), sql`${campaigns.status} <> 'closed'`));
  return getCampaign(db, id);
}

// ---- Reading ----

const surveyTitle = sql<LocalizedText>`json_extract(${surveys.draft}, '$.title')`.mapWith((title: string) => JSON.parse(title) as LocalizedText);

const summaryColumns = {
  campaign: campaigns,
  surveyTitle,
  surveySlug: surveys.slug,
  latestVersionId: surveys.latestVersionId,
};

function toSummary(row: { campaign: CampaignRow; surveyTitle: LocalizedText }, funnel = emptyFunnel): CampaignSummary {
  const { campaign } = row;
  return {
    id: campaign.id,
    name: campaign.name,
    surveyId: campaign.surveyId,
    surveyTitle: row.surveyTitle,
    delivery: campaign.delivery,
    status: campaign.status,
    createdAt: iso(campaign.createdAt)!,
    launchedAt: iso(campaign.launchedAt),
    closedAt: iso(campaign.closedAt),
    audienceSize: campaign.audienceSize,
    funnel,
  };
}

export async function getCampaign(db: Db, id: string): Promise<CampaignDetail> {
  const [row] = await db.select(summaryColumns).from(campaigns).innerJoin(surveys, eq(surveys.id, campaigns.surveyId)).where(eq(campaigns.id, id));
  if (!row) throw campaignNotFound();
  const { campaign } = row;
  const versionId = campaign.versionId ?? row.latestVersionId;
  const [version] = versionId
    ? await db.select({ version: surveyVersions.version }).from(surveyVersions).where(eq(surveyVersions.id, versionId))
    : [];
  const funnel = (await campaignFunnels(db, [id])).get(id);
  const sending = campaign.delivery === 'email' || campaign.delivery === 'event' ? await outboxProgress(db, `campaign:${id}:`) : null;
  return {
    ...toSummary(row, funnel),
    audience: campaign.audience,
    settings: campaign.settings,
    versionId: versionId ?? null,
    version: version?.version ?? null,
    surveySlug: row.surveySlug,
    kioskPath: campaign.delivery === 'kiosk' && campaign.kioskKey ? `/k/${campaign.kioskKey}` : null,
    sending,
  };
}

/** Campaigns newest first, a page at a time, each with its funnel. */
export async function listCampaigns(db: Db, input: { before?: string | undefined; limit: number }) {
  const rows = await db
    .select(summaryColumns)
    .from(campaigns)
    .innerJoin(surveys, eq(surveys.id, campaigns.surveyId))
    .where(olderThanCursor(campaigns.createdAt, campaigns.id, input.before))
    .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
    .limit(input.limit + 1);
  const { page, nextBefore } = pageOf(
    rows.map((row) => ({ ...row, id: row.campaign.id })),
    input.limit,
    (row) => row.campaign.createdAt,
  );
  const funnels = await campaignFunnels(db, page.map((row) => row.id));
  return { campaigns: page.map((row) => toSummary(row, funnels.get(row.id))), nextBefore };
}

/** How many customers an audience matches now. */
export async function audiencePreview(db: Db, audience: Audience) {
  const [row] = await db.select({ n: count() }).from(customers).where(customerFilter(audience));
  return { matching: row?.n ?? 0 };
}

// ---- The personal link ----

type OpenSurvey = Extract<PublicSurvey, { state: 'open' }>;
/** A personal link's page data: the public page's, always with the invitation when open. */
export type PersonalSurvey = Exclude<PublicSurvey, OpenSurvey> | (OpenSurvey & { invitation: NonNullable<OpenSurvey['invitation']> });

/**
 * What the page at /i/:token shows: the campaign's version with the invitation's token, thanks once it
 * is answered, or why it cannot be answered. Opening it counts as opened and started.
 */
export async function findPersonalSurvey(db: Db, rawToken: string): Promise<PersonalSurvey> {
  let found;
  try {
    found = await findInvitation(db, rawToken);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not_found') return { state: 'unknown' };
    throw error;
  }
  const { invitation, campaign, surveyStatus, surveySlug } = found;
  const version = campaign.versionId ? await frozenVersion(db, campaign.versionId) : undefined;
  if (!version || invitation.token === null) return { state: 'unknown' };
  const answered = invitation.responseId !== null;
  if (!answered && (campaign.status === 'closed' || surveyStatus !== 'published')) return { state: 'closed', title: version.definition.title };
  // Only the first visit writes: a reload or a return visit reads alone.
  if (!answered && invitation.startedAt === null) {
    await db
      .update(campaignInvitations)
      .set({ openedAt: sql`coalesce(${campaignInvitations.openedAt}, ${dbNow})`, startedAt: dbNow })
      .where(and(eq(campaignInvitations.id, invitation.id), isNull(campaignInvitations.startedAt)));
  }
  return {
    state: 'open',
    slug: surveySlug,
    versionId: version.id,
    version: version.version,
    definition: version.definition,
    channel: responseChannelOf[invitation.delivery],
    invitation: { token: invitation.token, locale: invitation.locale, answered },
  };
}
