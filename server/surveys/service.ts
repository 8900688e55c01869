// Authoring surveys: drafts, frozen versions, publishing and closing.
import { randomBytes, randomUUID } from 'node:crypto';
import { and, count, desc, eq, max } from 'drizzle-orm';
import { parseDefinition, type LocalizedText, type SurveyDefinition } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';
import { templates } from '../../surveys/templates/index.ts';
import type { Db } from '../db/client.ts';
import { responses, surveys, surveyVersions } from '../db/schema.ts';
import { DomainError } from '../errors.ts';

export const slugPattern = /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/;

type SurveyRow = typeof surveys.$inferSelect;
type VersionRow = typeof surveyVersions.$inferSelect;

const notFound = () => new DomainError('not_found', bilingual('No such survey.', '找不到该问卷。'));

const sameDefinition = (a: SurveyDefinition, b: SurveyDefinition) => JSON.stringify(a) === JSON.stringify(b);

function summary(row: SurveyRow, latest: VersionRow | undefined, responseCount: number) {
  return {
    id: row.id,
    slug: row.slug,
    title: row.draft.title,
    kind: row.kind,
    status: row.status,
    latestVersion: latest?.version ?? null,
    hasUnpublishedChanges: !latest || !sameDefinition(latest.definition, row.draft),
    responseCount,
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
export type SurveySummary = ReturnType<typeof summary>;

export function listTemplates() {
  return Object.entries(templates).map(([id, definition]) => ({ id, definition }));
}

export async function listSurveys(db: Db): Promise<SurveySummary[]> {
  const rows = await db
    .select({ survey: surveys, latest: surveyVersions })
    .from(surveys)
    .leftJoin(surveyVersions, eq(surveyVersions.id, surveys.latestVersionId))
    .orderBy(desc(surveys.updatedAt));
  const counts = await db
    .select({ surveyId: responses.surveyId, n: count() })
    .from(responses)
    .groupBy(responses.surveyId);
  const countOf = new Map(counts.map((row) => [row.surveyId, row.n]));
  return rows.map((row) => summary(row.survey, row.latest ?? undefined, countOf.get(row.survey.id) ?? 0));
}

export async function getSurvey(db: Db, id: string) {
  const [row] = await db.select().from(surveys).where(eq(surveys.id, id));
  if (!row) throw notFound();
  const versions = await db
    .select({
      id: surveyVersions.id,
      version: surveyVersions.version,
      definition: surveyVersions.definition,
      publishedAt: surveyVersions.publishedAt,
    })
    .from(surveyVersions)
    .where(eq(surveyVersions.surveyId, id))
    .orderBy(desc(surveyVersions.version));
  const counts = await db
    .select({ versionId: responses.versionId, n: count() })
    .from(responses)
    .where(eq(responses.surveyId, id))
    .groupBy(responses.versionId);
  const countOf = new Map(counts.map((entry) => [entry.versionId, entry.n]));
  const latest = versions.find((version) => version.id === row.latestVersionId) as VersionRow | undefined;
  return {
    ...summary(row, latest, counts.reduce((sum, entry) => sum + entry.n, 0)),
    draft: row.draft,
    publicPath: `/s/${row.slug}`,
    versions: versions.map((version) => ({
      id: version.id,
      version: version.version,
      publishedAt: new Date(version.publishedAt).toISOString(),
      responseCount: countOf.get(version.id) ?? 0,
    })),
  };
}
export type SurveyDetail = Awaited<ReturnType<typeof getSurvey>>;

function checkedDefinition(input: unknown): SurveyDefinition {
  const parsed = parseDefinition(input, 'en');
  if (parsed.ok) return parsed.definition;
  const inChinese = parseDefinition(input, 'zh-CN');
  const chinese = inChinese.ok ? [] : inChinese.issues;
  const fields: Record<string, LocalizedText> = {};
  parsed.issues.forEach((issue, index) => {
    fields[issue.path] ??= bilingual(issue.message, chinese[index]?.message ?? issue.message);
  });
  const [firstPath, first] = Object.entries(fields)[0]!;
  throw new DomainError(
    'bad_request',
    bilingual(
      `The survey has ${parsed.issues.length} problem(s); the first, at ${firstPath}: ${first.en}`,
      `问卷有 ${parsed.issues.length} 处问题；第一处（${firstPath}）：${first['zh-CN']}`,
    ),
    fields,
  );
}

async function assertSlugFree(db: Db, slug: string, exceptId?: string) {
  const [taken] = await db.select({ id: surveys.id }).from(surveys).where(eq(surveys.slug, slug));
  if (taken && taken.id !== exceptId) {
    const text = bilingual(`The link /s/${slug} is already used by another survey.`, `链接 /s/${slug} 已被其他问卷使用。`);
    throw new DomainError('conflict', text, { slug: text });
  }
}

export function blankDefinition(): SurveyDefinition {
  return {
    kind: 'satisfaction',
    title: bilingual('Untitled survey', '未命名问卷'),
    questions: [
      {
        id: 'csat',
        type: 'csat',
        title: bilingual('How satisfied are you with our service?', '您对我们的服务满意吗？'),
        required: true,
        labels: { min: bilingual('Very dissatisfied', '非常不满意'), max: bilingual('Very satisfied', '非常满意') },
      },
    ],
  };
}

export async function createSurvey(
  db: Db,
  input: { templateId?: string; definition?: unknown; slug?: string; createdBy: string | null },
) {
  let definition: SurveyDefinition;
  if (input.templateId !== undefined) {
    const template = templates[input.templateId as keyof typeof templates] as SurveyDefinition | undefined;
    if (!template) {
      const text = bilingual(`There is no template "${input.templateId}".`, `没有名为 "${input.templateId}" 的模板。`);
      throw new DomainError('bad_request', text, { templateId: text });
    }
    definition = structuredClone(template);
  } else if (input.definition !== undefined) {
    definition = checkedDefinition(input.definition);
  } else {
    definition = blankDefinition();
  }
  const slug = input.slug ?? `${input.templateId ?? 'survey'}-${randomBytes(3).toString('hex')}`;
  await assertSlugFree(db, slug);
  const id = randomUUID();
  await db.insert(surveys).values({ id, slug, kind: definition.kind, draft: definition, createdBy: input.createdBy });
  return getSurvey(db, id);
}

export async function saveDraft(db: Db, input: { id: string; definition: unknown; slug?: string }) {
  const [row] = await db.select().from(surveys).where(eq(surveys.id, input.id));
  if (!row) throw notFound();
  const definition = checkedDefinition(input.definition);
  if (input.slug !== undefined && input.slug !== row.slug) {
    if (row.latestVersionId) {
      const text = bilingual(
        'The link of a published survey cannot change: customers may already have it.',
        '已发布问卷的链接不能更改：客户可能已经收到该链接。',
      );
      throw new DomainError('conflict', text, { slug: text });
    }
    await assertSlugFree(db, input.slug, row.id);
  }
  await db
    .update(surveys)
    .set({ draft: definition, kind: definition.kind, slug: input.slug ?? row.slug, updatedAt: Date.now() })
    .where(eq(surveys.id, input.id));
  return getSurvey(db, input.id);
}

/** Freezes the draft as a new version (unless it equals the latest) and opens the survey. */
export async function publish(db: Db, input: { id: string; publishedBy: string }) {
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(surveys).where(eq(surveys.id, input.id));
    if (!row) throw notFound();
    const [latest] = row.latestVersionId
      ? await tx.select().from(surveyVersions).where(eq(surveyVersions.id, row.latestVersionId))
      : [];
    let latestVersionId = row.latestVersionId;
    if (!latest || !sameDefinition(latest.definition, row.draft)) {
      const [top] = await tx
        .select({ n: max(surveyVersions.version) })
        .from(surveyVersions)
        .where(eq(surveyVersions.surveyId, row.id));
      latestVersionId = randomUUID();
      await tx.insert(surveyVersions).values({
        id: latestVersionId,
        surveyId: row.id,
        version: (top?.n ?? 0) + 1,
        definition: row.draft,
        publishedBy: input.publishedBy,
      });
    }
    await tx
      .update(surveys)
      .set({ status: 'published', latestVersionId, updatedAt: Date.now() })
      .where(eq(surveys.id, row.id));
  });
  return getSurvey(db, input.id);
}

export async function setClosed(db: Db, input: { id: string; closed: boolean }) {
  const [row] = await db.select().from(surveys).where(eq(surveys.id, input.id));
  if (!row) throw notFound();
  if (!row.latestVersionId) {
    throw new DomainError(
      'conflict',
      bilingual('Publish the survey first; a draft has nothing to close or reopen.', '请先发布问卷；草稿无需关闭或重新开放。'),
    );
  }
  await db
    .update(surveys)
    .set({ status: input.closed ? 'closed' : 'published', updatedAt: Date.now() })
    .where(eq(surveys.id, input.id));
  return getSurvey(db, input.id);
}
