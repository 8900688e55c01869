// Cases from responses: a complaint form answered on any channel opens a case, and a satisfaction survey's
// loop-closing rules catch answers worth a call back. Both happen in the transaction that stores the response,
// so a response and its case are stored together or not at all. What a response asks for is worked out
// before the write (`caseIntentOf`, pure and cheap); the write only opens the cases and records the catches.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { answerLabel, answerTo, type Answers } from '../../surveys/answers.ts';
import type { Question, SurveyDefinition } from '../../surveys/definition.ts';
import { catchDescription, firedRules } from '../../surveys/loop-rules.ts';
import { contactPermission } from '../campaigns/rules.ts';
import { contactSubjectColumns } from '../campaigns/subject.ts';
import { openCases, type CaseDraft } from '../complaints/opening.ts';
import { readComplaintSettings, type ComplaintSettings } from '../complaints/settings.ts';
import type { CaseChannel, SilentDetractorReason } from '../complaints/vocabulary.ts';
import { complaintCases, customers, type ContactChannel } from '../db/schema.ts';
import type { DbOrTx } from '../jobs/queue.ts';
import type { NewResponse } from './intake.ts';

/** A case draft whose category is chosen against the settings' list when the case is opened. */
type PendingDraft = Omit<CaseDraft, 'category'> & { categoryAnswer: string | null };

/**
 * What a stored response asks for: a case from a complaint form, or a catch by loop-closing rules (whose case, if
 * one opens, is described only then: most catches are silent detractors).
 */
export type CaseIntent =
  | { kind: 'form'; draft: PendingDraft }
  | { kind: 'rules'; ruleIds: string[]; draft: PendingDraft; describe: () => string };

/** The question ids the complaint-form template uses (surveys/templates/complaint-form.json). */
export const complaintFormQuestions = {
  category: 'category',
  severity: 'severity',
  description: 'description',
  desiredOutcome: 'desired_outcome',
  consent: 'contact_consent',
  name: 'contact_name',
  email: 'contact_email',
  phone: 'contact_phone',
} as const;

/** Option ids of the template's category question that differ from the settings' category keys. */
const categoryAliases: Record<string, string> = { product_quality: 'product' };

/** The category a loop catch is filed under when the settings still have it. */
export const loopCatchCategory = 'service';

/**
 * What this response asks for, from the version it answered: a complaint form always opens a case; a
 * satisfaction survey whose rules fire on these answers is a catch; anything else, nothing (no allocation).
 */
export function caseIntentOf(definition: SurveyDefinition, response: NewResponse): CaseIntent | null {
  const answers = response.answers as Answers;
  if (definition.kind === 'complaint') return { kind: 'form', draft: formDraft(definition, response, answers) };
  if (definition.kind !== 'satisfaction') return null;
  const fired = firedRules(definition, answers);
  if (fired.length === 0) return null;
  const ruleIds = [...fired];
  return {
    kind: 'rules',
    ruleIds,
    describe: () => catchDescription(definition, ruleIds, answers, response.locale),
    draft: {
      source: 'survey_rule',
      channel: caseChannelOf(response),
      categoryAnswer: null,
      description: '',
      desiredOutcome: null,
      locale: response.locale,
      customerId: response.customerId ?? null,
      contactConsent: true,
      contactChannel: null,
      responseId: response.id,
      surveyId: response.surveyId,
      ruleIds,
      actor: { type: 'system', id: null, name: null },
    },
  };
}

/**
 * The channel a case came in on. A response through an emailed or posted invitation is stored as 'mail'; answered
 * by the customer on the personal link it came over the web, keyed in from a returned paper form by mail.
 */
export function caseChannelOf(response: Pick<NewResponse, 'channel' | 'interviewerId'>): CaseChannel {
  return response.channel === 'mail' && !response.interviewerId ? 'web' : response.channel;
}

function questionById(definition: SurveyDefinition, id: string): Question | undefined {
  return definition.questions.find((question) => question.id === id);
}

function textAnswer(answers: Answers, id: string | undefined): string | null {
  if (id === undefined) return null;
  const value = answerTo(answers, id);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** A text question by the template's id, or else the survey's first text question in that format. */
function contactQuestion(definition: SurveyDefinition, id: string, format: 'email' | 'phone' | null) {
  const byId = questionById(definition, id);
  if (byId) return byId.id;
  if (format === null) return undefined;
  return definition.questions.find((question) => question.type === 'text' && question.format === format)?.id;
}

/** The complaint form's answers as a case: category, severity, description, desired outcome, consent, contact details. */
function formDraft(definition: SurveyDefinition, response: NewResponse, answers: Answers): PendingDraft {
  const ids = complaintFormQuestions;
  const locale = response.locale;
  const category = answerTo(answers, ids.category);
  const severity = answerTo(answers, ids.severity);
  let description = textAnswer(answers, ids.description);
  if (description === null) {
    // A form without the template's description: every answered question, as staff read it.
    const lines = definition.questions
      .filter((question) => answerTo(answers, question.id) !== undefined)
      .map((question) => `${question.title[locale]}: ${answerLabel(question, answerTo(answers, question.id), locale)}`);
    description = lines.join('\n') || (locale === 'zh-CN' ? '（未填写描述）' : '(no description given)');
  }
  const outcomeQuestion = questionById(definition, ids.desiredOutcome);
  const outcome = outcomeQuestion ? answerTo(answers, outcomeQuestion.id) : undefined;
  const consentQuestion = questionById(definition, ids.consent) ?? definition.questions.find((question) => question.type === 'consent');
  const consent = consentQuestion ? answerTo(answers, consentQuestion.id) === true : false;
  const email = textAnswer(answers, contactQuestion(definition, ids.email, 'email'));
  const phone = textAnswer(answers, contactQuestion(definition, ids.phone, 'phone'));
  return {
    source: 'form',
    channel: caseChannelOf(response),
    categoryAnswer: typeof category === 'string' ? category : null,
    ...(severity === 'minor' || severity === 'major' ? { severity } : {}),
    description,
    desiredOutcome: outcomeQuestion && outcome !== undefined ? answerLabel(outcomeQuestion, outcome, locale) : null,
    locale,
    customerId: response.customerId ?? null,
    contactName: textAnswer(answers, contactQuestion(definition, ids.name, null)),
    contactEmail: email,
    contactPhone: phone,
    contactConsent: consent,
    contactChannel: consent ? (email ? 'email' : phone ? 'phone' : null) : null,
    responseId: response.id,
    surveyId: response.surveyId,
    ruleIds: null,
    actor: response.interviewerId ? { type: 'staff', id: response.interviewerId, name: null } : { type: 'customer', id: null, name: null },
  };
}

/** The settings' key for a form's category answer: the same key, a known alias, else "other", else the first. */
export function categoryFor(settings: ComplaintSettings, answer: string | null, fallback: string | null = null): string {
  const open = settings.categories.filter((category) => !category.retired).map((category) => category.key);
  const all = settings.categories.map((category) => category.key);
  for (const candidate of [answer, answer === null ? null : (categoryAliases[answer] ?? null), fallback]) {
    if (candidate !== null && open.includes(candidate)) return candidate;
  }
  return open.includes('other') ? 'other' : (open[0] ?? all[0] ?? 'other');
}

const channelOrder: ContactChannel[] = ['email', 'phone', 'post'];

/**
 * Opens the cases these just-stored responses ask for, inside the transaction that stored them, and records
 * every loop catch (a case, or a silent detractor with the reason). Nothing is read when no response asks for
 * anything; otherwise the customers of the catches in one query, and the settings once when a case opens.
 */
export async function openResponseCases(tx: DbOrTx, stored: { response: NewResponse; intent: CaseIntent }[]): Promise<void> {
  if (stored.length === 0) return;
  const catches = stored.filter((entry) => entry.intent.kind === 'rules');
  const customerIds = [...new Set(catches.map((entry) => entry.response.customerId).filter((id): id is string => !!id))];
  const subjects = new Map<string, ContactChannel | null>();
  if (customerIds.length > 0) {
    const rows = await tx
      .select({ id: customers.id, preferredChannel: customers.preferredChannel, ...contactSubjectColumns })
      .from(customers)
      .where(inArray(customers.id, customerIds));
    for (const row of rows) {
      const order = row.preferredChannel ? [row.preferredChannel, ...channelOrder.filter((channel) => channel !== row.preferredChannel)] : channelOrder;
      subjects.set(row.id, order.find((channel) => contactPermission(row, channel, 'follow_up').ok) ?? null);
    }
  }

  const drafts: PendingDraft[] = [];
  const kinds: CaseIntent['kind'][] = [];
  const opened: (number | null)[] = [];
  const silent: (SilentDetractorReason | null)[] = [];
  for (const { response, intent } of stored) {
    const draft = { ...intent.draft };
    let reason: SilentDetractorReason | null = null;
    if (intent.kind === 'rules') {
      const customerId = response.customerId ?? null;
      if (customerId === null || !subjects.has(customerId)) reason = 'no_customer';
      else if (subjects.get(customerId) === null) reason = 'no_consent';
      else {
        draft.contactChannel = subjects.get(customerId)!;
        draft.description = intent.describe();
      }
    }
    silent.push(reason);
    if (reason !== null) {
      opened.push(null);
      continue;
    }
    opened.push(drafts.length);
    drafts.push(draft);
    kinds.push(intent.kind);
  }
  let cases: { id: string }[] = [];
  if (drafts.length > 0) {
    // The settings only when a case opens: a batch of silent detractors reads nothing but their customers.
    const settings = await readComplaintSettings(tx);
    const ready = drafts.map(({ categoryAnswer, ...draft }, index): CaseDraft => ({
      ...draft,
      category: categoryFor(settings, categoryAnswer, kinds[index] === 'rules' ? loopCatchCategory : null),
    }));
    cases = await openCases(tx, ready, settings);
  }

  if (catches.length === 0) return;
  const rows = stored.flatMap(({ response, intent }, index) => {
    if (intent.kind !== 'rules') return [];
    const at = opened[index];
    return [
      {
        responseId: response.id,
        surveyId: response.surveyId,
        customerId: response.customerId ?? null,
        ruleIds: intent.ruleIds,
        caseId: at === null || at === undefined ? null : cases[at]!.id,
        silentReason: silent[index] ?? null,
        submittedAt: response.submittedAt,
      },
    ];
  });
  // One plain multi-row INSERT: at intake rates the query builder's per-row work costs more than the write.
  for (let start = 0; start < rows.length; start += 500) {
    const values = rows
      .slice(start, start + 500)
      .map((row) => sql`(${row.responseId}, ${row.surveyId}, ${row.customerId}, ${JSON.stringify(row.ruleIds)}, ${row.caseId}, ${row.silentReason}, ${row.submittedAt})`);
    await tx.run(
      sql`INSERT INTO loop_catches (response_id, survey_id, customer_id, rule_ids, case_id, silent_reason, submitted_at) VALUES ${sql.join(values, sql`, `)} ON CONFLICT DO NOTHING`,
    );
  }
}

/**
 * What the thank-you screen tells the customer who sent a complaint form: the case's reference, the path of its
 * status page while the link is valid, and when the first reply is due (ISO time, shown in `timeZone`, the
 * business calendar's, as the status page shows it) while it is. Read after the write by response id (unique on
 * complaint_cases), so a retried submission (answered as a duplicate) learns the same case. Cases a
 * loop-closing rule opened are not told: the customer did not ask for one.
 */
export interface FormCaseReceipt {
  reference: string;
  statusPath?: string;
  firstResponseDueAt?: string;
  timeZone?: string;
}

export async function formCaseOf(db: DbOrTx, responseId: string): Promise<FormCaseReceipt | null> {
  const [row] = await db
    .select({
      reference: complaintCases.reference,
      statusToken: complaintCases.statusToken,
      revokedAt: complaintCases.statusTokenRevokedAt,
      dueAt: complaintCases.firstResponseDueAt,
    })
    .from(complaintCases)
    .where(and(eq(complaintCases.responseId, responseId), eq(complaintCases.source, 'form')));
  if (!row) return null;
  return {
    reference: row.reference,
    ...(row.revokedAt === null ? { statusPath: `/c/${row.statusToken}` } : {}),
    ...(row.dueAt === null
      ? {}
      : { firstResponseDueAt: new Date(row.dueAt).toISOString(), timeZone: (await readComplaintSettings(db)).calendar.timeZone }),
  };
}
