// `npm run demo [-- --responses N]`: fills the database named by DATABASE_URL with two years of demo data
// for the insights dashboard: five published surveys, customers, campaigns with invitations, and N responses
// with effects a manager can find (trend, a bad quarter, channel, tier and region differences, data-quality
// cases). Idempotent (fixed ids, inserts that skip what exists) and safe while the server runs (short
// transactions). Response i follows from i (and the customer count, for which customer gave it),
// so a larger N adds only the difference.
import { createHash, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { InStatement, InValue } from '@libsql/client';
import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import { isVisible, validateAnswers, type AnswerValue, type Answers } from '../../surveys/answers.ts';
import { scaleBounds, type Locale, type Question, type SurveyDefinition } from '../../surveys/definition.ts';
import { seeded } from '../../surveys/random.ts';
import { templates, type TemplateId } from '../../surveys/templates/index.ts';
import { tokenFromBytes } from '../campaigns/rules.ts';
import type { CampaignSettings, InvitationDelivery } from '../campaigns/vocabulary.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { migrateDatabase, openDatabase, type Db } from '../db/client.ts';
import { surveys, surveyVersions } from '../db/schema.ts';
import type { ContactPurpose } from '../customers/vocabulary.ts';
import { createSurvey, publish } from '../surveys/service.ts';
import { demoDetractorRule, fillDemoComplaints } from './demo-complaints.ts';
import { recomputeLoyalty, RecomputeRunning } from '../loyalty/recompute.ts';
import { fillDemoPurchases } from './demo-purchases.ts';

export const demoSlug = 'demo';
const dayMs = 24 * 3600_000;
const hourMs = 3600_000;
/** Days are counted in the reporting time zone (Asia/Shanghai, UTC+8, no daylight saving). */
const zoneOffsetMs = 8 * hourMs;
const historyDays = 730;

// Ids and seeds

/**
 * A fixed UUID-shaped id for the i-th row of a kind: ids in insertion order append to the primary-key
 * index instead of landing all over it, which keeps a million-row fill fast.
 */
function sequentialId(kind: number, index: number) {
  return `de300000-${kind.toString(16).padStart(4, '0')}-4000-a000-${index.toString(16).padStart(12, '0')}`;
}

/** A fixed UUID-shaped id from a name, so every run makes the same rows. */
function demoUuid(name: string) {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const demoResponseId = (index: number) => sequentialId(1, index);
export const demoCustomerId = (index: number) => sequentialId(2, index);
const demoInvitationId = (index: number) => sequentialId(3, index);
const demoCampaignId = (delivery: InvitationDelivery) => demoUuid(`demo-campaign-${delivery}`);

/** A generator for one numbered thing of one kind; the stream differs per kind and per index. */
function randomFor(kind: number, index: number) {
  return seeded(Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(kind, 0x85ebca6b));
}
const stream = { response: 1, customer: 2, duplicate: 3, day: 4, invitation: 5 } as const;

function gauss(random: () => number) {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function clampRound(value: number, min: number, max: number) {
  return Math.max(min, Math.min(max, Math.round(value)));
}

function weighted<T extends string>(random: () => number, weights: readonly (readonly [T, number])[]): T {
  let roll = random() * weights.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [value, weight] of weights) if ((roll -= weight) < 0) return value;
  return weights[weights.length - 1]![0];
}

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

// The story the data tells. Mood is a respondent's satisfaction on 0..1; every survey's answers follow it.

const baseMood = 0.66;
/** Standard deviation of mood around its expected value, to turn it into a z-score for the latent models. */
const moodSpread = 0.15;
const trendOverTwoYears = 0.08;
const badQuarterDrop = 0.07;

const channelShares = [
  ['web', 0.45],
  ['onsite', 0.2],
  ['phone', 0.2],
  ['mail', 0.15],
] as const;
type Channel = (typeof channelShares)[number][0];
const channelLift: Record<Channel, number> = { web: 0, onsite: 0.06, phone: 0.02, mail: -0.05 };
/** Phone and mailed answers always know the customer; a web link often does; a kiosk rarely. */
const knownCustomerShare: Record<Channel, number> = { web: 0.5, onsite: 0.125, phone: 1, mail: 1 };

export const demoTiers = [
  ['vip', 0.05],
  ['important', 0.15],
  ['ordinary', 0.8],
] as const;
type Tier = (typeof demoTiers)[number][0];
const tierLift: Record<Tier, number> = { vip: 0.05, important: 0.02, ordinary: 0 };

export const demoSegments = [
  ['retail', 0.45],
  ['small business', 0.25],
  ['enterprise', 0.18],
  ['public sector', 0.12],
] as const;
type Segment = (typeof demoSegments)[number][0];
const segmentLift: Record<Segment, number> = { retail: 0, 'small business': 0.01, enterprise: -0.02, 'public sector': -0.03 };

export const demoRegions = [
  ['East China', 0.24],
  ['North China', 0.18],
  ['South China', 0.2],
  ['Central China', 0.12],
  ['Southwest', 0.11],
  ['Northwest', 0.07],
  ['Northeast', 0.08],
] as const;
type Region = (typeof demoRegions)[number][0];
const regionLift: Record<Region, number> = {
  'East China': 0.04,
  'North China': 0,
  'South China': 0.02,
  'Central China': 0,
  Southwest: -0.02,
  Northwest: -0.05,
  Northeast: -0.03,
};
const regionCities: Record<Region, readonly (readonly [string, string])[]> = {
  'East China': [['上海市', 'Shanghai'], ['杭州市', 'Hangzhou'], ['南京市', 'Nanjing']],
  'North China': [['北京市', 'Beijing'], ['天津市', 'Tianjin']],
  'South China': [['广州市', 'Guangzhou'], ['深圳市', 'Shenzhen']],
  'Central China': [['武汉市', 'Wuhan'], ['长沙市', 'Changsha']],
  Southwest: [['成都市', 'Chengdu'], ['重庆市', 'Chongqing']],
  Northwest: [['西安市', "Xi'an"], ['兰州市', 'Lanzhou']],
  Northeast: [['沈阳市', 'Shenyang'], ['哈尔滨市', 'Harbin']],
};

/** Sunday first, as Date.getUTCDay counts. */
const weekdayLift = [0.02, -0.03, -0.01, 0, 0, 0.01, 0.02];

// Surveys

interface DemoSurvey {
  templateId: TemplateId;
  slug: string;
  share: number;
  /** The typical time to answer on the web; phone interviews take longer. */
  medianMs: number;
}

export const demoSurveys = [
  { templateId: 'expectation-experience', slug: demoSlug, share: 0.3, medianMs: 180_000 },
  { templateId: 'acsi', slug: 'demo-acsi', share: 0.25, medianMs: 240_000 },
  { templateId: 'relationship-nps', slug: 'demo-nps', share: 0.2, medianMs: 50_000 },
  { templateId: 'transactional-csat', slug: 'demo-csat', share: 0.15, medianMs: 35_000 },
  { templateId: 'ces', slug: 'demo-ces', share: 0.1, medianMs: 30_000 },
] as const satisfies readonly DemoSurvey[];
type DemoSurveyKey = (typeof demoSurveys)[number]['templateId'];

// Customers

export interface DemoCustomer {
  index: number;
  id: string;
  kind: 'individual' | 'enterprise';
  name: string;
  contactName: string | null;
  email: string | null;
  phone: string | null;
  postalAddress: string | null;
  locale: Locale;
  region: Region;
  segment: Segment;
  industry: string | null;
  tier: Tier;
  consents: Partial<Record<InvitationDelivery, ContactPurpose[]>>;
  doNotContact: boolean;
  preferredChannel: InvitationDelivery | null;
  /** How this customer tends to feel about us, added to every response's mood. */
  moodLift: number;
  createdAt: number;
}

/** About N/4 customers, at least a few hundred, at most 100,000 (campaign slots need N/60 of them). */
export function demoCustomerCount(responses: number) {
  return responses === 0 ? 0 : Math.min(100_000, Math.max(300, Math.round(responses / 4)));
}

const surnames = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const givenNames = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '志强'];
const firstNames = ['Alex', 'Sam', 'Jordan', 'Taylor', 'Chris', 'Morgan', 'Jamie', 'Casey', 'Robin', 'Lee', 'Kim', 'Dana'];
const lastNames = ['Smith', 'Chen', 'Wong', 'Brown', 'Taylor', 'Wilson', 'Lam', 'Clark', 'Walker', 'Young', 'Liu', 'Ng'];
const companyWords = [['华信', 'Huaxin'], ['恒通', 'Hengtong'], ['长城', 'Greatwall'], ['东方', 'Oriental'], ['新元', 'Xinyuan'], ['安达', 'Anda']] as const;
const industries = ['manufacturing', 'logistics', 'finance', 'healthcare', 'education', 'energy'];
const streets = [['人民路', 'Renmin Road'], ['解放路', 'Jiefang Road'], ['中山路', 'Zhongshan Road'], ['建设路', 'Jianshe Road']] as const;

export function demoCustomer(index: number, now: number): DemoCustomer {
  const random = randomFor(stream.customer, index);
  const tier = weighted(random, demoTiers);
  const segment = weighted(random, demoSegments);
  const region = weighted(random, demoRegions);
  const locale: Locale = random() < 0.7 ? 'zh-CN' : 'en';
  const kind = segment === 'enterprise' || segment === 'public sector' || (segment === 'small business' && random() < 0.5) ? 'enterprise' : 'individual';
  const zh = locale === 'zh-CN';
  const person = zh ? pick(random, surnames) + pick(random, givenNames) : `${pick(random, firstNames)} ${pick(random, lastNames)}`;
  const [cityZh, cityEn] = pick(random, regionCities[region]);
  const [wordZh, wordEn] = pick(random, companyWords);
  const name = kind === 'individual' ? person : zh ? `${cityZh.slice(0, -1)}${wordZh}有限公司` : `${wordEn} ${cityEn} Ltd.`;
  const hasEmail = random() < 0.88;
  const hasPhone = random() < 0.92;
  const hasAddress = random() < 0.78;
  const [streetZh, streetEn] = pick(random, streets);
  const houseNumber = 1 + Math.floor(random() * 300);
  const consents: DemoCustomer['consents'] = {};
  // Two customers in three also agreed to be followed up (a complaint, a detractor's answer); from the index,
  // so the random stream, and every other field, stays as it was.
  const purposes: ContactPurpose[] = index % 3 === 0 ? ['survey'] : ['survey', 'follow_up'];
  if (hasEmail && random() < 0.9) consents.email = purposes;
  if (hasPhone && random() < 0.85) consents.phone = purposes;
  if (hasAddress && random() < 0.8) consents.post = purposes;
  const reachable = (['email', 'phone', 'post'] as const).filter((channel) => consents[channel]);
  return {
    index,
    id: demoCustomerId(index),
    kind,
    name,
    contactName: kind === 'enterprise' ? person : null,
    email: hasEmail ? `demo.customer.${index}@example.com` : null,
    phone: hasPhone ? `+86 13${String(10_000_000 + ((index * 7_919) % 90_000_000)).padStart(9, '0')}` : null,
    postalAddress: hasAddress
      ? zh
        ? `${cityZh}${streetZh}${houseNumber}号\n${name}`
        : `${name}\n${houseNumber} ${streetEn}\n${cityEn}, China`
      : null,
    locale,
    region,
    segment,
    industry: kind === 'enterprise' ? (segment === 'public sector' ? 'government' : pick(random, industries)) : null,
    tier,
    consents,
    doNotContact: random() < 0.01,
    preferredChannel: reachable.length > 0 ? pick(random, reachable) : null,
    moodLift: gauss(random) * 0.07,
    createdAt: now - (historyDays + 30 + Math.floor(random() * 700)) * dayMs,
  };
}

// Time

function dayNumber(at: number) {
  return Math.floor((at + zoneOffsetMs) / dayMs);
}

/** The calendar quarter (in the reporting zone) of a moment, as year × 4 + quarter. */
function quarterOf(at: number) {
  const local = new Date(at + zoneOffsetMs);
  return local.getUTCFullYear() * 4 + Math.floor(local.getUTCMonth() / 3);
}

/** A moment `daysAgo` days before now's day, at `minuteOfDay` local time, never after now. */
function momentOn(now: number, daysAgo: number, minuteOfDay: number) {
  const today = dayNumber(now) * dayMs - zoneOffsetMs;
  const at = today - daysAgo * dayMs + minuteOfDay * 60_000;
  return at <= now ? at : at - dayMs;
}

/** Mood on a day: the trend, the bad quarter, the weekday and that day's own luck. */
function moodOfDay(at: number, now: number) {
  const progress = 1 - (now - at) / (historyDays * dayMs);
  const day = dayNumber(at);
  const dayLuck = (randomFor(stream.day, day)() - 0.5) * 0.06;
  const badQuarter = quarterOf(at) === quarterOf(now - 365 * dayMs) ? -badQuarterDrop : 0;
  return trendOverTwoYears * progress + badQuarter + weekdayLift[new Date(at + zoneOffsetMs).getUTCDay()]! + dayLuck;
}

// Answers

const comments: Record<'good' | 'fair' | 'poor', Record<Locale, string[]>> = {
  good: {
    'zh-CN': ['服务快捷又热情。', '客服第一次通话就解决了我的问题。', '应用很好用，下单很方便。', '送货准时，包装完好。'],
    en: ['Quick and friendly service.', 'Staff solved my problem on the first call.', 'The app is easy to use.', 'Delivery was on time and well packed.'],
  },
  fair: {
    'zh-CN': ['总体还可以，有些地方可以更快。', '价格合理，但说明书不太清楚。', '门店员工不错，但排队时间有点长。'],
    en: ['Fine overall, some things could be faster.', 'Fair price, but the instructions are unclear.', 'Nice store staff, but the queue was long.'],
  },
  poor: {
    'zh-CN': ['送货比承诺的慢。', '价格上涨没有提前通知。', '打了三次电话问题还没解决。', '账单有错，改起来很麻烦。'],
    en: ['Delivery took longer than promised.', 'Prices went up without notice.', 'Three calls and the problem is still not solved.', 'The bill was wrong and hard to get corrected.'],
  },
};

function comment(random: () => number, mood: number, locale: Locale) {
  return pick(random, comments[mood > 0.72 ? 'good' : mood > 0.5 ? 'fair' : 'poor'][locale]);
}

/** A rating near the mood (0..1) on a scale, clamped to it. */
function rate(random: () => number, mood: number, min: number, max: number) {
  return clampRound(min + (max - min) * mood + gauss(random) * (max - min) * 0.12, min, max);
}

function genericAnswer(question: Question, random: () => number, mood: number, locale: Locale): AnswerValue | undefined {
  if (!question.required && random() < (question.type === 'text' ? 0.6 : 0.15)) return undefined;
  switch (question.type) {
    case 'rating': {
      const { min, max } = scaleBounds(question.scale);
      return rate(random, mood, min, max);
    }
    case 'nps':
      return rate(random, mood, 0, 10);
    case 'csat':
      return rate(random, mood, 1, 5);
    case 'ces':
      // Agreement that it was easy: higher is better.
      return rate(random, mood, 1, 7);
    case 'expectation_experience': {
      const { min, max } = scaleBounds(question.scale);
      const expectation = rate(random, 0.65 + random() * 0.2, min, max);
      const experience = rate(random, mood, min, max);
      return question.withImportance ? { expectation, experience, importance: rate(random, 0.5 + random() * 0.5, min, max) } : { expectation, experience };
    }
    case 'single_choice':
      return pick(random, question.options).id;
    case 'multiple_choice': {
      const selected = question.options.filter(() => random() < 0.35).map((option) => option.id);
      return { selected: selected.length > 0 ? selected : [question.options[0]!.id] };
    }
    case 'text':
      // A text question that asks for an email address or a phone number gets one (made up, never reachable).
      if (question.format === 'email') return `demo.respondent.${Math.floor(random() * 1e6)}@example.com`;
      if (question.format === 'phone') return `+86 139 ${String(Math.floor(random() * 1e8)).padStart(8, '0')}`;
      return comment(random, mood, locale).slice(0, question.maxLength);
    case 'consent':
      return true;
  }
}

/**
 * The answers to the questions shown: `planned` holds what this respondent would answer to a question by id
 * (undefined: left blank); other questions get an answer near the mood.
 */
function answersShown(
  definition: SurveyDefinition,
  planned: Readonly<Record<string, AnswerValue | undefined>>,
  random: () => number,
  mood: number,
  locale: Locale,
): Answers {
  const answers: Answers = {};
  for (const question of definition.questions) {
    if (!isVisible(question, answers)) continue;
    const value = question.id in planned ? planned[question.id] : genericAnswer(question, random, mood, locale);
    if (value !== undefined) answers[question.id] = value;
  }
  return answers;
}

/** Answers near a mood, for any survey (the benchmarks use it on /s/demo). */
export function demoAnswers(definition: SurveyDefinition, random: () => number, mood: number, locale: Locale): Answers {
  return answersShown(definition, {}, random, mood, locale);
}

interface Respondent {
  random: () => number;
  mood: number;
  /** Mood as a z-score: the shared push behind every latent construct. */
  moodZ: number;
  locale: Locale;
  channel: Channel;
  tier: Tier | null;
  segment: Segment | null;
  straightLiner: boolean;
}

/** ACSI: latent constructs along the template's paths, standardised, each item = construct + noise on 1-10. */
function acsiPlan(r: Respondent): Record<string, AnswerValue | undefined> {
  const { random } = r;
  const expectation = gauss(random) + (r.tier === 'vip' ? 0.3 : 0);
  const quality = 0.45 * expectation + 0.65 * r.moodZ + 0.6 * gauss(random);
  const value = 0.25 * expectation + 0.55 * quality + 0.7 * gauss(random);
  const satisfaction = 0.1 * expectation + 0.55 * quality + 0.3 * value + 0.55 * gauss(random);
  const loyalty = 0.75 * satisfaction + 0.65 * gauss(random);
  const item = (mean: number, construct: number) => clampRound(mean + 1.5 * construct + 0.9 * gauss(random), 1, 10);
  const complained = random() < 1 / (1 + Math.exp(2 + 0.9 * satisfaction));
  if (r.straightLiner) {
    // Straight-liners answer the whole grid alike, the complaint question included.
    const same = pick(random, [10, 10, 8, 5, 1]);
    const plan: Record<string, AnswerValue> = { complained: 'yes' };
    for (const id of ['exp_overall', 'exp_needs', 'exp_reliability', 'qual_overall', 'qual_custom', 'qual_reliability', 'value_price', 'value_quality', 'sat_overall', 'sat_expect', 'sat_ideal', 'complaint_handling', 'loyal_repurchase', 'loyal_price_tolerance'])
      plan[id] = same;
    return plan;
  }
  return {
    exp_overall: item(7.6, expectation),
    exp_needs: item(7.4, expectation),
    exp_reliability: item(7.2, expectation),
    qual_overall: item(7.8, quality),
    qual_custom: item(7.5, quality),
    qual_reliability: item(7.3, quality),
    value_price: item(6.7, value),
    value_quality: item(7.1, value),
    sat_overall: item(7.6, satisfaction),
    sat_expect: item(7.2, satisfaction),
    sat_ideal: item(6.9, satisfaction),
    complained: complained ? 'yes' : 'no',
    complaint_handling: item(6, 0.6 * satisfaction + 0.8 * gauss(random)),
    loyal_repurchase: item(7.4, loyalty),
    loyal_price_tolerance: item(6.5, loyalty),
  };
}

/**
 * Expectation/experience per attribute. Gaps differ (service falls short, company image exceeds), and the
 * overall CSAT follows service and product far more than company image, so the key drivers differ.
 */
export const demoAttributes = {
  product: { expectation: 5.7, gap: 0.15, importance: 6.1, weight: 0.3 },
  service: { expectation: 5.9, gap: -0.55, importance: 6.0, weight: 0.35 },
  communication: { expectation: 5.3, gap: -0.3, importance: 5.2, weight: 0.12 },
  customer_care: { expectation: 5.5, gap: 0.25, importance: 5.6, weight: 0.15 },
  company_image: { expectation: 4.9, gap: 0.55, importance: 4.3, weight: 0.03 },
} as const;

function expectationPlan(definition: SurveyDefinition, r: Respondent): Record<string, AnswerValue | undefined> {
  const { random } = r;
  const plan: Record<string, AnswerValue | undefined> = {};
  const expectsMore = 0.5 * gauss(random) + (r.tier === 'vip' ? 0.3 : r.tier === 'important' ? 0.15 : 0);
  let drive = 0;
  const same = pick(random, [7, 7, 6, 4, 1]);
  for (const question of definition.questions) {
    if (question.type !== 'expectation_experience') continue;
    const { min, max } = scaleBounds(question.scale);
    const attribute = demoAttributes[question.attribute as keyof typeof demoAttributes] ?? demoAttributes.communication;
    if (r.straightLiner) {
      plan[question.id] = question.withImportance ? { expectation: same, experience: same, importance: same } : { expectation: same, experience: same };
      continue;
    }
    const latent = 0.55 * r.moodZ + 0.85 * gauss(random);
    drive += attribute.weight * latent;
    const expectation = clampRound(attribute.expectation + expectsMore + 0.6 * gauss(random), min, max);
    const experience = clampRound(attribute.expectation + attribute.gap + 0.9 * latent, min, max);
    plan[question.id] = question.withImportance
      ? { expectation, experience, importance: clampRound(attribute.importance + 0.7 * gauss(random), min, max) }
      : { expectation, experience };
  }
  plan.overall = r.straightLiner ? clampRound(same * (5 / 7), 1, 5) : clampRound(3.9 + 1.1 * drive + 0.45 * gauss(random), 1, 5);
  plan.comment = random() < 0.35 ? comment(random, r.mood, r.locale) : undefined;
  return plan;
}

const npsReasons: Record<'detractor' | 'passive' | 'promoter', Record<Locale, string[]>> = {
  detractor: {
    'zh-CN': ['售后响应太慢。', '价格比别家贵。', '问题反复出现。'],
    en: ['After-sales support is too slow.', 'More expensive than others.', 'The same problem keeps coming back.'],
  },
  passive: {
    'zh-CN': ['还不错，但没有特别之处。', '如果价格再低一点会推荐。'],
    en: ['Good, but nothing special.', 'I would recommend you if prices were a little lower.'],
  },
  promoter: {
    'zh-CN': ['产品可靠，服务贴心。', '每次都能很快解决问题。'],
    en: ['Reliable products and caring service.', 'Problems are always solved quickly.'],
  },
};

function npsPlan(r: Respondent): Record<string, AnswerValue | undefined> {
  const { random } = r;
  const nps = clampRound(10 * r.mood + 0.8 + gauss(random), 0, 10);
  const reason = (group: keyof typeof npsReasons) => (random() < 0.35 ? pick(random, npsReasons[group][r.locale]) : undefined);
  const business = r.segment === 'enterprise' || r.segment === 'public sector' || r.segment === 'small business';
  return {
    nps,
    detractor_reason: reason('detractor'),
    passive_reason: reason('passive'),
    promoter_reason: reason('promoter'),
    segment:
      random() < 0.2
        ? undefined
        : r.segment === null
          ? weighted(random, [['individual', 0.6], ['business_decision_maker', 0.15], ['business_user', 0.2], ['other', 0.05]])
          : business
            ? weighted(random, [['business_decision_maker', 0.4], ['business_user', 0.55], ['other', 0.05]])
            : weighted(random, [['individual', 0.95], ['other', 0.05]]),
  };
}

const csatReasonsByChannel: Record<Channel, readonly (readonly [string, number])[]> = {
  phone: [['took_too_long', 0.4], ['not_resolved', 0.35], ['staff', 0.1], ['other', 0.15]],
  onsite: [['staff', 0.4], ['took_too_long', 0.3], ['product', 0.2], ['other', 0.1]],
  web: [['information', 0.35], ['product', 0.3], ['not_resolved', 0.2], ['other', 0.15]],
  mail: [['product', 0.35], ['not_resolved', 0.3], ['information', 0.2], ['other', 0.15]],
};

function csatPlan(r: Respondent): Record<string, AnswerValue | undefined> {
  const { random } = r;
  return {
    csat: clampRound(1.3 + 4 * r.mood + 0.6 * gauss(random), 1, 5),
    reason: random() < 0.85 ? weighted(random, csatReasonsByChannel[r.channel]) : undefined,
    comment: random() < 0.3 ? comment(random, r.mood, r.locale) : undefined,
  };
}

function cesPlan(r: Respondent): Record<string, AnswerValue | undefined> {
  const { random } = r;
  return {
    ces: clampRound(1.2 + 6 * r.mood + 0.8 * gauss(random), 1, 7),
    effort_comment: random() < 0.25 ? comment(random, r.mood, r.locale) : undefined,
  };
}

function plannedAnswers(key: DemoSurveyKey, definition: SurveyDefinition, respondent: Respondent): Answers {
  const plan =
    key === 'acsi'
      ? acsiPlan(respondent)
      : key === 'expectation-experience'
        ? expectationPlan(definition, respondent)
        : key === 'relationship-nps'
          ? npsPlan(respondent)
          : key === 'transactional-csat'
            ? csatPlan(respondent)
            : cesPlan(respondent);
  return answersShown(definition, plan, respondent.random, respondent.mood, respondent.locale);
}

// Campaigns: one per invitation delivery. Every 20th response index is an invitation slot.

interface DemoCampaign {
  delivery: InvitationDelivery;
  surveyKey: DemoSurveyKey;
  name: string;
  /** When it was launched, in days before now. */
  launchedDaysAgo: number;
  /** Answers arrive within this many days of the invitation. */
  answerWithinDays: number;
  responseRate: number;
  closed: boolean;
  settings: CampaignSettings;
}

export const demoCampaigns: readonly DemoCampaign[] = [
  {
    delivery: 'email',
    surveyKey: 'relationship-nps',
    name: '关系调查（邮件） Relationship survey by email',
    launchedDaysAgo: 150,
    answerWithinDays: 14,
    responseRate: 0.3,
    closed: true,
    settings: {
      email: {
        subject: { 'zh-CN': '您会推荐我们吗？', en: 'Would you recommend us?' },
        body: { 'zh-CN': '{{name}}，您好：请花一分钟回答{{survey}}：{{link}}', en: 'Dear {{name}}, please take a minute to answer {{survey}}: {{link}}' },
      },
      reminders: { afterDays: 7, max: 1 },
    },
  },
  {
    delivery: 'post',
    surveyKey: 'acsi',
    name: '年度满意度指数（邮寄） Annual satisfaction index by post',
    launchedDaysAgo: 300,
    answerWithinDays: 40,
    responseRate: 0.18,
    closed: true,
    settings: { post: { doubleKeying: true } },
  },
  {
    delivery: 'phone',
    surveyKey: 'expectation-experience',
    name: '期望与体验回访（电话） Expectation and experience calls',
    launchedDaysAgo: 60,
    answerWithinDays: 40,
    responseRate: 0.45,
    closed: false,
    settings: { phone: { maxAttempts: 3, callingHours: { start: '09:00', end: '20:00' } } },
  },
];

const invitationEvery = 20;
const invitationOffset = 10;

function invitationSlot(index: number) {
  if (index % invitationEvery !== invitationOffset) return null;
  const number = Math.floor(index / invitationEvery);
  return { campaign: demoCampaigns[number % demoCampaigns.length]!, customerIndex: Math.floor(number / demoCampaigns.length) };
}

/** How many invitations a campaign has among the first `responses` indices. */
function invitationCount(campaignNumber: number, responses: number) {
  const slots = Math.max(0, Math.ceil((responses - invitationOffset) / invitationEvery));
  return Math.max(0, Math.ceil((slots - campaignNumber) / demoCampaigns.length));
}

// One response

const speederShare = 0.035;
const straightLinerShare: Partial<Record<DemoSurveyKey, number>> = { acsi: 0.05, 'expectation-experience': 0.025 };
const duplicateShare = 0.017;

export interface DemoResponse {
  index: number;
  id: string;
  surveyKey: DemoSurveyKey;
  channel: Channel;
  locale: Locale;
  answers: Answers;
  startedAt: number | null;
  submittedAt: number;
  durationMs: number | null;
  customerIndex: number | null;
  campaign: DemoCampaign | null;
  kind: 'regular' | 'speeder' | 'straight_liner' | 'duplicate';
}

export interface DemoInvitation {
  id: string;
  campaign: DemoCampaign;
  customer: DemoCustomer;
  skipReason: 'no_email' | 'no_phone' | 'no_address' | 'do_not_contact' | null;
  invitedAt: number;
  deliveredAt: number | null;
  openedAt: number | null;
  startedAt: number | null;
  completedAt: number | null;
  responseId: string | null;
  remindersSent: number;
  lastRemindedAt: number | null;
  callAttempts: number;
  callState: 'open' | 'completed' | 'refused' | 'attempts_used' | null;
}

export interface DemoWorld {
  now: number;
  /** How many responses the run makes: they are spread over the history oldest first, as answers arrive. */
  responses: number;
  customerCount: number;
  definitions: Record<DemoSurveyKey, SurveyDefinition>;
  customer(index: number): DemoCustomer;
}

function isDuplicateRoll(index: number) {
  return index > 0 && randomFor(stream.duplicate, index)() < duplicateShare;
}

/** Response `index`, or its invitation when that is all the slot holds; a pure function of the index. */
export function demoResponse(world: DemoWorld, index: number): { response: DemoResponse; invitation: DemoInvitation | null } {
  const slot = invitationSlot(index);
  if (slot !== null) {
    const customer = world.customer(slot.customerIndex);
    const invitation = demoInvitation(world, index, slot.campaign, customer);
    if (invitation.responseId !== null) {
      const response = baseResponse(world, index, { campaign: slot.campaign, customer, answeredAt: invitation.completedAt! });
      return { response, invitation };
    }
    return { response: baseResponse(world, index, null), invitation };
  }
  // About 1 %: a customer's answers sent again a few minutes later (never around an invitation slot).
  if (isDuplicateRoll(index) && !isDuplicateRoll(index - 1) && invitationSlot(index - 1) === null) {
    const original = baseResponse(world, index - 1, null);
    if (original.customerIndex !== null) {
      const random = randomFor(stream.duplicate, index);
      random();
      const submittedAt = Math.min(world.now, original.submittedAt + Math.round((2 + random() * 15) * 60_000));
      const durationMs = original.durationMs === null ? null : Math.round(original.durationMs * (0.2 + random() * 0.3));
      return {
        response: {
          ...original,
          index,
          id: demoResponseId(index),
          submittedAt,
          durationMs,
          startedAt: durationMs === null ? null : submittedAt - durationMs,
          kind: 'duplicate',
        },
        invitation: null,
      };
    }
  }
  return { response: baseResponse(world, index, null), invitation: null };
}

function baseResponse(
  world: DemoWorld,
  index: number,
  invited: { campaign: DemoCampaign; customer: DemoCustomer; answeredAt: number } | null,
): DemoResponse {
  const random = randomFor(stream.response, index);
  const surveyRoll = random();
  let cumulative = 0;
  const survey = invited
    ? demoSurveys.find((candidate) => candidate.templateId === invited.campaign.surveyKey)!
    : (demoSurveys.find((candidate) => (cumulative += candidate.share) > surveyRoll) ?? demoSurveys[0]);
  const channel: Channel = invited ? (invited.campaign.delivery === 'phone' ? 'phone' : 'mail') : weighted(random, channelShares);
  const customerRoll = random();
  const customer = invited
    ? invited.customer
    : customerRoll < knownCustomerShare[channel] && world.customerCount > 0
      ? world.customer(Math.floor(random() * world.customerCount))
      : null;
  const locale: Locale = customer?.locale ?? (random() < 0.7 ? 'zh-CN' : 'en');

  // Phone calls within calling hours; other answers mostly in the day and evening.
  const minuteOfDay = channel === 'phone' ? 9 * 60 + Math.floor(random() * 660) : 7 * 60 + Math.floor(random() * 16 * 60);
  // Response 0 is the oldest and the last is today: rows are written in the order answers would have arrived.
  const daysAgo = Math.min(historyDays - 1, Math.floor(((world.responses - 1 - index) / world.responses) * historyDays));
  const submittedAt = invited ? invited.answeredAt : momentOn(world.now, daysAgo, minuteOfDay);

  const speeder = channel !== 'mail' && random() < speederShare;
  const straightLiner = !speeder && random() < (straightLinerShare[survey.templateId] ?? 0);
  const mood = Math.max(
    0.02,
    Math.min(
      0.98,
      baseMood +
        moodOfDay(submittedAt, world.now) +
        channelLift[channel] +
        (customer ? tierLift[customer.tier] + segmentLift[customer.segment] + regionLift[customer.region] + customer.moodLift : 0) +
        gauss(random) * 0.11,
    ),
  );
  // Speeders click through: their answers follow their mood only loosely.
  const answeredMood = speeder ? 0.4 * mood + 0.6 * random() : mood;
  const answers = plannedAnswers(survey.templateId, world.definitions[survey.templateId], {
    random,
    mood: answeredMood,
    moodZ: (answeredMood - baseMood) / moodSpread,
    locale,
    channel,
    tier: customer?.tier ?? null,
    segment: customer?.segment ?? null,
    straightLiner,
  });

  // A keyed-in paper form has no answering time; an interview takes longer than answering alone.
  const typicalMs = survey.medianMs * (channel === 'phone' ? 1.6 : 1);
  const durationMs =
    channel === 'mail'
      ? null
      : Math.round(speeder ? typicalMs * (0.08 + random() * 0.22) : typicalMs * Math.exp(0.35 * gauss(random)));
  return {
    index,
    id: demoResponseId(index),
    surveyKey: survey.templateId,
    channel,
    locale,
    answers,
    startedAt: durationMs === null ? null : submittedAt - durationMs,
    submittedAt,
    durationMs,
    customerIndex: customer?.index ?? null,
    campaign: invited?.campaign ?? null,
    kind: speeder ? 'speeder' : straightLiner ? 'straight_liner' : 'regular',
  };
}

function demoInvitation(world: DemoWorld, index: number, campaign: DemoCampaign, customer: DemoCustomer): DemoInvitation {
  const random = randomFor(stream.invitation, index);
  const launchedAt = momentOn(world.now, campaign.launchedDaysAgo, 9 * 60);
  const invitedAt = launchedAt + Math.floor(random() * 2 * hourMs);
  const invitation: DemoInvitation = {
    id: demoInvitationId(index),
    campaign,
    customer,
    skipReason: null,
    invitedAt,
    deliveredAt: null,
    openedAt: null,
    startedAt: null,
    completedAt: null,
    responseId: null,
    remindersSent: 0,
    lastRemindedAt: null,
    callAttempts: 0,
    callState: null,
  };
  const needs = { email: ['email', 'no_email'], phone: ['phone', 'no_phone'], post: ['postalAddress', 'no_address'] } as const;
  const [field, missing] = needs[campaign.delivery];
  if (customer.doNotContact) return { ...invitation, skipReason: 'do_not_contact' };
  if (customer[field] === null) return { ...invitation, skipReason: missing };

  const completes = random() < campaign.responseRate;
  const answerAfterMs = Math.round((0.1 + random() * (campaign.answerWithinDays - 0.1)) * dayMs);
  let completedAt = completes ? Math.min(world.now, invitedAt + answerAfterMs) : null;
  if (campaign.delivery === 'phone') {
    const attempts = completes ? 1 + Math.floor(random() * 2) : 1 + Math.floor(random() * 3);
    const refused = !completes && random() < 0.3;
    if (completedAt !== null) {
      // An interview happens within calling hours.
      const local = (completedAt + zoneOffsetMs) % dayMs;
      completedAt += local < 9 * hourMs ? 9 * hourMs - local + 20 * 60_000 : local > 19 * hourMs ? 14 * hourMs - (local - 19 * hourMs) : 0;
      completedAt = Math.min(world.now, completedAt);
    }
    return {
      ...invitation,
      deliveredAt: completes || refused ? invitedAt + hourMs : null,
      startedAt: completedAt === null ? null : completedAt - 5 * 60_000,
      completedAt,
      responseId: completedAt === null ? null : demoResponseId(index),
      callAttempts: attempts,
      callState: completes ? 'completed' : refused ? 'refused' : attempts >= 3 ? 'attempts_used' : 'open',
    };
  }
  const deliveredAt = invitedAt + (campaign.delivery === 'post' ? 3 * dayMs : 60_000);
  if (completedAt !== null) completedAt = Math.max(completedAt, deliveredAt + hourMs);
  const opened = campaign.delivery === 'email' && (completes || random() < 0.45);
  const reminded = campaign.delivery === 'email' && (!completes || answerAfterMs > 7 * dayMs);
  return {
    ...invitation,
    deliveredAt,
    openedAt: opened ? Math.min(completedAt ?? Infinity, deliveredAt + Math.round(random() * 2 * dayMs)) : null,
    startedAt: completedAt === null ? null : completedAt - 3 * 60_000,
    completedAt,
    responseId: completedAt === null ? null : demoResponseId(index),
    remindersSent: reminded ? 1 : 0,
    lastRemindedAt: reminded ? invitedAt + 7 * dayMs : null,
  };
}

// Writing

/**
 * Multi-row inserts: each statement takes its rows as one JSON array of arrays, unpacked by json_each. One
 * parameter instead of thousands keeps each prepared statement small, so a long fill stays within a few
 * hundred megabytes, and SQLite reads the JSON faster than it binds that many values.
 */
const rowsPerStatement = 2_000;
const rowsPerTransaction = 10_000;

function insertStatements(table: string, columns: readonly string[], rows: readonly InValue[][]): InStatement[] {
  const statements: InStatement[] = [];
  const values = columns.map((_, position) => `value ->> ${position}`).join(', ');
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    statements.push({
      sql: `INSERT OR IGNORE INTO ${table} (${columns.join(', ')}) SELECT ${values} FROM json_each(?)`,
      args: [JSON.stringify(rows.slice(start, start + rowsPerStatement))],
    });
  }
  return statements;
}

async function writeRows(db: Db, statements: InStatement[]) {
  if (statements.length === 0) return [];
  return db.$client.batch(statements, 'write');
}

/** How many of these ids a table already holds. */
async function countExisting(db: Db, table: string, ids: readonly string[]) {
  let found = 0;
  for (let start = 0; start < ids.length; start += 5_000) {
    const slice = ids.slice(start, start + 5_000);
    const result = await db.$client.execute({ sql: `SELECT count(*) AS n FROM ${table} WHERE id IN (${slice.map(() => '?').join(',')})`, args: slice });
    found += Number(result.rows[0]!.n);
  }
  return found;
}

const customerColumns = [
  'id', 'external_id', 'kind', 'name', 'contact_name', 'email', 'phone', 'postal_address', 'locale', 'time_zone', 'region',
  'segment', 'industry', 'tier', 'consents', 'do_not_contact', 'do_not_call', 'preferred_channel', 'created_at', 'updated_at',
] as const;

function customerRow(customer: DemoCustomer): InValue[] {
  return [
    customer.id, `DEMO-${String(customer.index).padStart(6, '0')}`, customer.kind, customer.name, customer.contactName, customer.email,
    customer.phone, customer.postalAddress, customer.locale, 'Asia/Shanghai', customer.region, customer.segment, customer.industry,
    customer.tier, JSON.stringify(customer.consents), customer.doNotContact ? 1 : 0, 0, customer.preferredChannel, customer.createdAt,
    customer.createdAt,
  ];
}

const responseColumns = [
  'id', 'survey_id', 'version_id', 'channel', 'locale', 'answers', 'started_at', 'submitted_at', 'duration_ms', 'customer_id', 'campaign_id',
] as const;

const invitationColumns = [
  'id', 'campaign_id', 'customer_id', 'dedupe_key', 'delivery', 'token', 'skip_reason', 'locale', 'invited_at', 'delivered_at',
  'opened_at', 'started_at', 'completed_at', 'response_id', 'reminders_sent', 'last_reminded_at', 'call_attempts', 'call_state',
] as const;

function invitationRow(invitation: DemoInvitation): InValue[] {
  const campaignId = demoCampaignId(invitation.campaign.delivery);
  return [
    invitation.id, campaignId, invitation.customer.id, `${campaignId}:${invitation.customer.id}`, invitation.campaign.delivery,
    invitation.skipReason === null ? tokenFromBytes(randomBytes(10)) : null, invitation.skipReason, invitation.customer.locale,
    invitation.invitedAt, invitation.deliveredAt, invitation.openedAt, invitation.startedAt, invitation.completedAt, invitation.responseId,
    invitation.remindersSent, invitation.lastRemindedAt, invitation.callAttempts, invitation.callState,
  ];
}

interface PublishedSurvey {
  id: string;
  versionId: string;
  definition: SurveyDefinition;
}

/** The demo NPS survey closes the loop on detractors (server/cli/demo-complaints.ts tells what followed). */
const demoLoopRules: Partial<Record<TemplateId, SurveyDefinition['loopRules']>> = {
  'relationship-nps': [{ id: demoDetractorRule, kind: 'nps_at_most', question: 'nps', value: 6 }],
};

async function demoSurvey(db: Db, templateId: TemplateId, slug: string): Promise<PublishedSurvey> {
  let [row] = await db.select().from(surveys).where(eq(surveys.slug, slug));
  if (!row?.latestVersionId) {
    const loopRules = demoLoopRules[templateId];
    const made = loopRules ? { definition: { ...templates[templateId], loopRules } } : { templateId };
    const id = row?.id ?? (await createSurvey(db, { ...made, slug, createdBy: null })).id;
    await publish(db, { id, publishedBy: 'demo' });
    [row] = await db.select().from(surveys).where(eq(surveys.slug, slug));
  }
  const [version] = await db.select().from(surveyVersions).where(eq(surveyVersions.id, row!.latestVersionId!));
  return { id: row!.id, versionId: version!.id, definition: version!.definition };
}

async function writeCampaigns(db: Db, world: DemoWorld, published: Record<DemoSurveyKey, PublishedSurvey>, responses: number) {
  const statements = demoCampaigns.map((campaign, number): InStatement => {
    const launchedAt = momentOn(world.now, campaign.launchedDaysAgo, 9 * 60);
    const survey = published[campaign.surveyKey];
    return {
      sql: `INSERT INTO campaigns (id, name, survey_id, version_id, delivery, status, audience, settings, audience_size, created_at, launched_at, closed_at)
            VALUES (?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET audience_size = max(audience_size, excluded.audience_size)`,
      args: [
        demoCampaignId(campaign.delivery), campaign.name, survey.id, survey.versionId, campaign.delivery, campaign.closed ? 'closed' : 'running',
        JSON.stringify(campaign.settings), invitationCount(number, responses), launchedAt - 2 * dayMs, launchedAt,
        campaign.closed ? Math.min(world.now, launchedAt + (campaign.answerWithinDays + 5) * dayMs) : null,
      ],
    };
  });
  await writeRows(db, statements);
}

export interface DemoProgress {
  done: number;
  total: number;
  inserted: number;
}

export interface DemoResult {
  /** Complaint cases opened by this run (complaint forms, detractors caught, cases logged), and detractors left silent. */
  casesOpened: number;
  silentDetractors: number;
  /** At-risk and breach marks the deadline sweep recorded at the end of the run (none without publicUrl). */
  deadlineMarks: number;
  surveyId: string;
  slug: string;
  /** Responses added by this run. */
  inserted: number;
  customersInserted: number;
  invitationsInserted: number;
  purchasesInserted: number;
}

export async function fillDemo(
  db: Db,
  input: {
    responses: number;
    now?: number;
    /** The server's address for the links in deadline mail: with it the run ends with the deadline sweep at `now`. */
    publicUrl?: string;
    onProgress?: (progress: DemoProgress) => void;
  },
): Promise<DemoResult> {
  const now = input.now ?? Date.now();
  const published = {} as Record<DemoSurveyKey, PublishedSurvey>;
  for (const survey of demoSurveys) published[survey.templateId] = await demoSurvey(db, survey.templateId, survey.slug);
  const customerCount = demoCustomerCount(input.responses);
  const customerCache = new Map<number, DemoCustomer>();
  const world: DemoWorld = {
    now,
    responses: input.responses,
    customerCount,
    definitions: Object.fromEntries(demoSurveys.map((survey) => [survey.templateId, published[survey.templateId].definition])) as DemoWorld['definitions'],
    customer(index) {
      let customer = customerCache.get(index);
      if (!customer) customerCache.set(index, (customer = demoCustomer(index, now)));
      return customer;
    },
  };

  let customersInserted = 0;
  for (let start = 0; start < customerCount; start += rowsPerTransaction) {
    const indices = Array.from({ length: Math.min(rowsPerTransaction, customerCount - start) }, (_, offset) => start + offset);
    if ((await countExisting(db, 'customers', indices.map(demoCustomerId))) === indices.length) continue;
    const results = await writeRows(db, insertStatements('customers', customerColumns, indices.map((index) => customerRow(world.customer(index)))));
    customersInserted += results.reduce((sum, result) => sum + result.rowsAffected, 0);
  }
  await writeCampaigns(db, world, published, input.responses);

  let inserted = 0;
  let invitationsInserted = 0;
  const progressEvery = 100_000;
  for (let start = 0; start < input.responses; start += rowsPerTransaction) {
    const end = Math.min(input.responses, start + rowsPerTransaction);
    const ids = Array.from({ length: end - start }, (_, offset) => demoResponseId(start + offset));
    if ((await countExisting(db, 'responses', ids)) < ids.length) {
      const responseRows: InValue[][] = [];
      const invitationRows: InValue[][] = [];
      for (let index = start; index < end; index++) {
        const { response, invitation } = demoResponse(world, index);
        const survey = published[response.surveyKey];
        // Every row is valid; checking a sample keeps a million rows fast (the first chunk is checked whole).
        if (index < rowsPerTransaction || index % 97 === 0) {
          const checked = validateAnswers(survey.definition, response.answers);
          if (!checked.ok) throw new Error(`demo answers do not fit survey ${response.surveyKey}: ${JSON.stringify(checked.errors)}`);
        }
        responseRows.push([
          response.id, survey.id, survey.versionId, response.channel, response.locale, JSON.stringify(response.answers), response.startedAt,
          response.submittedAt, response.durationMs, response.customerIndex === null ? null : demoCustomerId(response.customerIndex),
          response.campaign === null ? null : demoCampaignId(response.campaign.delivery),
        ]);
        if (invitation) invitationRows.push(invitationRow(invitation));
      }
      // A completed invitation and its response are written in one transaction.
      const results = await writeRows(db, [
        ...insertStatements('responses', responseColumns, responseRows),
        ...insertStatements('campaign_invitations', invitationColumns, invitationRows),
      ]);
      const responseStatements = Math.ceil(responseRows.length / rowsPerStatement);
      results.forEach((result, position) => {
        if (position < responseStatements) inserted += result.rowsAffected;
        else invitationsInserted += result.rowsAffected;
      });
    }
    if (Math.floor(end / progressEvery) > Math.floor(start / progressEvery) || end === input.responses) {
      input.onProgress?.({ done: end, total: input.responses, inserted });
    }
  }
  const complaints = await fillDemoComplaints(db, {
    now,
    responses: input.responses,
    customerCount,
    customer: (index) => world.customer(index),
    complaintForm: await demoSurvey(db, 'complaint-form', 'demo-complaints'),
    npsSurveyId: published['relationship-nps'].id,
    publicUrl: input.publicUrl ?? null,
  });
  // Purchases last: the complaint cases above decide who stops buying.
  const { purchasesInserted } = await fillDemoPurchases(db, { now, customerCount, customer: (index) => world.customer(index) });
  return { surveyId: published['expectation-experience'].id, slug: demoSlug, inserted, customersInserted, invitationsInserted, purchasesInserted, ...complaints };
}

const Args = v.object({
  responses: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, '--responses takes a whole number, e.g. --responses 300 (--responses 需要一个整数，例如 --responses 300)'),
      v.transform(Number),
      v.maxValue(5_000_000, '--responses takes at most 5,000,000 (--responses 最多 5,000,000)'),
    ),
    '300',
  ),
});

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const { values } = parseArgs({ options: { responses: { type: 'string' } } });
    const args = v.safeParse(Args, values);
    if (!args.success) throw new ConfigError(args.issues.map((issue) => issue.message).join('\n'));
    const config = loadConfig();
    const db = await openDatabase(config.databaseUrl, config.databaseAuthToken);
    await migrateDatabase(db);
    if (config.databaseUrl.startsWith('file:')) {
      // A bigger page cache keeps the id indexes in memory; NORMAL sync is WAL's safe and fast setting.
      await db.$client.execute('PRAGMA cache_size = -262144');
      await db.$client.execute('PRAGMA synchronous = NORMAL');
    }
    const startedAt = performance.now();
    const seconds = () => ((performance.now() - startedAt) / 1000).toFixed(1);
    const result = await fillDemo(db, {
      responses: args.output.responses,
      publicUrl: config.publicUrl,
      onProgress: ({ done, total, inserted }) => console.log(`${done.toLocaleString('en')} of ${total.toLocaleString('en')} responses (${inserted.toLocaleString('en')} new), ${seconds()} s`),
    });
    console.log(
      `Demo surveys at ${config.publicUrl}/s/${result.slug} (and /s/demo-acsi, -nps, -csat, -ces, -complaints): ${result.inserted} new response(s), ` +
        `${result.customersInserted} new customer(s), ${result.invitationsInserted} new invitation(s), ${result.casesOpened} new complaint case(s), ${result.purchasesInserted} new purchase(s) in ${seconds()} s (asked for ${args.output.responses}).`,
    );
    // Every demo customer's loyalty (stage, tier, RFM, score) worked out from the purchases, answers and cases
    // just made, as the server's schedule would.
    try {
      const loyalty = await recomputeLoyalty(db);
      console.log(
        `Loyalty worked out for ${loyalty.customers.toLocaleString('en')} customer(s) (${loyalty.withPurchases.toLocaleString('en')} with purchases; ` +
          `VIP ${loyalty.tiers.vip}, important ${loyalty.tiers.important}; at risk ${loyalty.atRisk}, churned ${loyalty.churned}) in ${(loyalty.totalMs / 1000).toFixed(1)} s.`,
      );
    } catch (error) {
      if (!(error instanceof RecomputeRunning)) throw error;
      console.log('A loyalty recompute is already running on this database (a server started one); it includes the demo data once it ends.');
    }
    if (config.publicUrlAssumed) {
      // The server may run with another PORT or PUBLIC_URL in its own environment; this process cannot know it.
      console.log(
        `No PUBLIC_URL or PORT is set here, so the address above assumes the server's default, ${config.publicUrl}. ` +
          "If the server runs elsewhere, open the same paths on its address, or run the demo with the server's PUBLIC_URL or PORT.\n" +
          `此处未设置 PUBLIC_URL 或 PORT，上面的地址按服务器的默认地址 ${config.publicUrl} 推定。` +
          '若服务器运行在其他地址，请在该地址上打开相同的路径，或使用服务器的 PUBLIC_URL 或 PORT 运行演示命令。',
      );
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
