// Kiosks: the survey a kiosk device shows, the answers it sends, and the staff's list and posters.
import { and, count, eq, gte, max } from 'drizzle-orm';
import QRCode from 'qrcode';
import type { Locale, LocalizedText, SurveyDefinition } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';
import type { Db } from '../db/client.ts';
import type { CampaignStatus } from '../campaigns/vocabulary.ts';
import { campaigns, responses, surveys } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import type { ResponseIntake } from '../responses/intake.ts';
import { frozenVersion, submitResponse, surveyClosedError } from '../responses/service.ts';
import { idleSecondsOf, kioskState, posterUrl, readableUrl, startOfDay } from './rules.ts';

/** The JSON a kiosk page carries as <script id="survey-data">. */
export type KioskSurvey =
  | {
      state: 'open';
      versionId: string;
      version: number;
      definition: SurveyDefinition;
      kiosk: { key: string; location: string; idleSeconds: number };
    }
  | { state: 'closed'; title: LocalizedText }
  | { state: 'unknown' };

async function kioskByKey(db: Db, key: string) {
  const [row] = await db
    .select({
      id: campaigns.id,
      status: campaigns.status,
      versionId: campaigns.versionId,
      settings: campaigns.settings,
      surveyId: campaigns.surveyId,
      surveyStatus: surveys.status,
      latestVersionId: surveys.latestVersionId,
    })
    .from(campaigns)
    .innerJoin(surveys, eq(surveys.id, campaigns.surveyId))
    .where(and(eq(campaigns.kioskKey, key), eq(campaigns.delivery, 'kiosk')));
  return row;
}

/** What /k/:key shows: the campaign's version (or the survey's latest published one), or why not. */
export async function findKioskSurvey(db: Db, key: string): Promise<KioskSurvey> {
  const row = await kioskByKey(db, key);
  if (!row) return { state: 'unknown' };
  const versionId = row.versionId ?? row.latestVersionId;
  const version = versionId ? await frozenVersion(db, versionId) : undefined;
  const state = kioskState(row.status, row.surveyStatus, version !== undefined);
  if (state === 'closed' && version) return { state: 'closed', title: version.definition.title };
  if (state !== 'open' || !version) return { state: 'unknown' };
  return {
    state: 'open',
    versionId: version.id,
    version: version.version,
    definition: version.definition,
    kiosk: { key, location: row.settings.kiosk?.location ?? '', idleSeconds: idleSecondsOf(row.settings.kiosk) },
  };
}

export interface KioskSubmission {
  id: string;
  versionId: string;
  locale: Locale;
  answers: unknown;
  startedAt?: number | undefined;
}

const unknownKiosk = () =>
  new DomainError(
    'not_found',
    bilingual('This kiosk link is not recognised. Ask staff to open the kiosk link again.', '无法识别该现场终端链接，请联系工作人员重新打开终端链接。'),
  );

/**
 * Stores an answer a kiosk device sent, once: the id was made on the device, so a resend after lost
 * network finds the row already there ('duplicate').
 */
export async function submitKioskResponse(db: Db, intake: ResponseIntake, key: string, submission: KioskSubmission) {
  const row = await kioskByKey(db, key);
  if (!row) throw unknownKiosk();
  const version = await frozenVersion(db, submission.versionId);
  // A device may have been offline across a republish: any version of the kiosk's survey is answerable.
  if (!version || version.surveyId !== row.surveyId) {
    const text = bilingual('These answers are for another survey than this kiosk runs.', '这些回答不属于该终端运行的问卷。');
    throw new DomainError('bad_request', text, { versionId: text });
  }
  const state = kioskState(row.status, row.surveyStatus, true);
  if (state === 'closed') throw surveyClosedError();
  if (state === 'unknown') throw unknownKiosk();
  const location = row.settings.kiosk?.location;
  const { status, case: opened } = await submitResponse(db, intake, {
    ...submission,
    channel: 'onsite',
    campaignId: row.id,
    hidden: location ? { location } : undefined,
  });
  // A kiosk is a shared device: its thank-you shows the reference to note down, never the status page link,
  // which is the key to the case (its history, replies, "stop contacting me") and would stay on the screen
  // for whoever steps up next. The customer gets the link by email when they gave one.
  if (!opened) return { status, case: null };
  const { statusPath: _link, ...shown } = opened;
  return { status, case: shown };
}

export interface KioskSummary {
  id: string;
  name: string;
  surveyTitle: LocalizedText | null;
  location: string;
  status: CampaignStatus;
  kioskPath: string | null;
  responsesToday: number;
  lastResponseAt: string | null;
}

/** Every kiosk campaign, newest first, with today's answers and the time of the last one. */
export async function listKiosks(db: Db, now = new Date()): Promise<KioskSummary[]> {
  const rows = await db
    .select({
      id: campaigns.id,
      name: campaigns.name,
      status: campaigns.status,
      settings: campaigns.settings,
      kioskKey: campaigns.kioskKey,
      title: surveys.draft,
    })
    .from(campaigns)
    .innerJoin(surveys, eq(surveys.id, campaigns.surveyId))
    .where(eq(campaigns.delivery, 'kiosk'))
    .orderBy(campaigns.createdAt);
  const since = startOfDay(now);
  const today = await db
    .select({ campaignId: responses.campaignId, n: count() })
    .from(responses)
    .innerJoin(campaigns, eq(campaigns.id, responses.campaignId))
    .where(and(eq(campaigns.delivery, 'kiosk'), gte(responses.submittedAt, since)))
    .groupBy(responses.campaignId);
  const last = await db
    .select({ campaignId: responses.campaignId, at: max(responses.submittedAt) })
    .from(responses)
    .innerJoin(campaigns, eq(campaigns.id, responses.campaignId))
    .where(eq(campaigns.delivery, 'kiosk'))
    .groupBy(responses.campaignId);
  const todayOf = new Map(today.map((row) => [row.campaignId, row.n]));
  const lastOf = new Map(last.map((row) => [row.campaignId, row.at]));
  return rows.reverse().map((row) => {
    const lastAt = lastOf.get(row.id);
    return {
      id: row.id,
      name: row.name,
      surveyTitle: row.title?.title ?? null,
      location: row.settings.kiosk?.location ?? '',
      status: row.status,
      kioskPath: row.kioskKey ? `/k/${encodeURIComponent(row.kioskKey)}` : null,
      responsesToday: todayOf.get(row.id) ?? 0,
      lastResponseAt: lastAt ? new Date(lastAt).toISOString() : null,
    };
  });
}

export interface KioskPoster {
  title: LocalizedText;
  location: string;
  url: string;
  /** `url` as printed for a person to read and type (letters beyond ASCII unescaped); the same address. */
  readableUrl: string;
  /** The QR code of `url` as an SVG document. */
  svg: string;
}

/** A printable poster for a kiosk's location: its QR code opens the web version of the survey there. */
export async function kioskPoster(db: Db, publicUrl: string, campaignId: string): Promise<KioskPoster> {
  const [row] = await db
    .select({ settings: campaigns.settings, slug: surveys.slug, draft: surveys.draft, latestVersionId: surveys.latestVersionId, versionId: campaigns.versionId })
    .from(campaigns)
    .innerJoin(surveys, eq(surveys.id, campaigns.surveyId))
    .where(and(eq(campaigns.id, campaignId), eq(campaigns.delivery, 'kiosk')));
  if (!row) throw new DomainError('not_found', bilingual('No such kiosk.', '找不到该现场终端。'));
  const versionId = row.versionId ?? row.latestVersionId;
  const version = versionId ? await frozenVersion(db, versionId) : undefined;
  const location = row.settings.kiosk?.location ?? '';
  const url = posterUrl(publicUrl, row.slug, location);
  const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { title: version?.definition.title ?? row.draft.title, location, url, readableUrl: readableUrl(url), svg };
}
