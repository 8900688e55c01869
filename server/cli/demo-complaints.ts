// The demo's complaints: complaint forms answered on every survey channel, NPS detractors caught by the loop
// (a case for a customer who agreed to follow-up contact, else a silent detractor), and cases agents logged,
// each worked through a story told with the complaint service's own steps (openCases, transitionIn,
// changeCase and appendEvents, as the verbs use them) at the story's times, so the queues, case pages and
// figures show every status and every recovery outcome over the demo's year. A few open cases are opened as
// long ago, in business time, as it takes for a deadline to be at risk or past due now, and the deadline sweep
// then marks them as it marks any case. No mail to anyone made up: the receipts and follow-up surveys the steps
// queue are taken out again in the same transaction (the demo's customers are made up), and the sweep mails
// the demo agents nothing (staff of the installation get their deadline mail as usual). Idempotent: every
// story hangs on a fixed response id, and a story already told is skipped.
import { randomBytes } from 'node:crypto';
import { count, eq, inArray, like, or } from 'drizzle-orm';
import { validateAnswers, type Answers } from '../../surveys/answers.ts';
import type { Locale, SurveyDefinition } from '../../surveys/definition.ts';
import { seeded } from '../../surveys/random.ts';
import { hashPassword } from '../accounts/passwords.ts';
import { openCases, receiptJobKind, type CaseDraft } from '../complaints/opening.ts';
import { followUpJobKind, refreshOutcome, transitionIn } from '../complaints/service.ts';
import { subtractBusinessMs } from '../complaints/calendar.ts';
import { readComplaintSettings, severityFor, type ComplaintSettings } from '../complaints/settings.ts';
import { actorFields, appendEvents, changeCase, customerActor, systemActor, type Actor, type CaseRow } from '../complaints/store.ts';
import type { CaseAction } from '../complaints/workflow.ts';
import { sweepDeadlines } from '../complaints/sweep.ts';
import type { CaseChannel, CaseSeverity } from '../complaints/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { complaintCases, complaintMacros, jobs, loopCatches, responses, users } from '../db/schema.ts';
import type { DbOrTx } from '../jobs/queue.ts';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** What the demo's complaints need from the rest of the demo. */
export interface ComplaintWorld {
  now: number;
  responses: number;
  customerCount: number;
  customer(index: number): { id: string; locale: Locale; email: string | null; consents: Partial<Record<'email' | 'phone' | 'post', string[]>>; doNotContact: boolean };
  /** The published complaint form and NPS survey. */
  complaintForm: { id: string; versionId: string; definition: SurveyDefinition };
  npsSurveyId: string;
  /**
   * The server's address, which deadline mails link to: with it the demo runs the deadline sweep at `now`;
   * without it the marks are left to the server's own sweep.
   */
  publicUrl: string | null;
}

export const demoComplaintResponseId = (index: number) => `de300000-0006-4000-a000-${index.toString(16).padStart(12, '0')}`;
/** The complaint forms of the cases whose deadlines are at risk or past now, after every other form's number. */
export const demoDeadlineResponseId = (index: number) => demoComplaintResponseId(0x100000 + index);

export const demoAgents = [
  { id: 'de300000-0007-4000-a000-000000000001', name: '王芳', email: 'demo.agent.1@example.com' },
  { id: 'de300000-0007-4000-a000-000000000002', name: '李强', email: 'demo.agent.2@example.com' },
  { id: 'de300000-0007-4000-a000-000000000003', name: 'Sam Chen', email: 'demo.agent.3@example.com' },
  { id: 'de300000-0007-4000-a000-000000000004', name: '张敏', email: 'demo.agent.4@example.com' },
] as const;

/** Saved replies an agent picks from on a case, in both languages; fixed ids so a repeated run adds none. */
export const demoMacros = [
  {
    id: 'de300000-0008-4000-a000-000000000001',
    name: { en: 'Apology for a late delivery', 'zh-CN': '延迟送达致歉' },
    body: {
      en: 'We are sorry your order arrived late. We have asked the courier what happened and will tell you what we are doing about it within one working day.',
      'zh-CN': '很抱歉您的订单延迟送达。我们已向快递公司核实原因，将在一个工作日内告诉您处理方案。',
    },
  },
  {
    id: 'de300000-0008-4000-a000-000000000002',
    name: { en: 'Refund on its way', 'zh-CN': '退款已办理' },
    body: {
      en: 'We have refunded the amount to the way you paid; it usually shows within three to five working days.',
      'zh-CN': '我们已按原支付方式为您办理退款，一般三至五个工作日内到账。',
    },
  },
  {
    id: 'de300000-0008-4000-a000-000000000003',
    name: { en: 'Asking for a photo', 'zh-CN': '请提供照片' },
    body: {
      en: 'To sort this out quickly, could you reply with a photo of the product and of its label?',
      'zh-CN': '为尽快为您处理，请回复一张商品及其标签的照片。',
    },
  },
] as const;

/** The loop-closing rule the demo's NPS detractors were caught by. */
export const demoDetractorRule = 'nps_detractor';

// ---------------------------------------------------------------------------------------------------------
// Stories: steps at hours after the case opened.

type Step =
  | { at: number; step: 'assign' }
  | { at: number; step: 'note'; text: [string, string] }
  | { at: number; step: 'missed'; deadline: 'first_response' | 'resolution' }
  | { at: number; step: 'follow_up'; handling: number; resolved: 'yes' | 'partly' | 'no'; buyAgain: number }
  | { at: number; step: 'customer_reply'; text: [string, string] }
  | { at: number; step: 'merge' }
  | { at: number; step: Exclude<CaseAction, 'assign' | 'customer_reply' | 'merge' | 'reply'> };

interface Story {
  name: string;
  /** How long ago the story began: [min, max] days before now. */
  ago: [number, number];
  steps: Step[];
}

const notes: [string, string][] = [
  ['Called the customer; they will send photos of the damage.', '已致电客户，客户会发送损坏照片。'],
  ['Asked the warehouse for the dispatch record.', '已向仓库索取发货记录。'],
  ['Refund approved by the team lead.', '退款已由组长批准。'],
];

const stories: Story[] = [
  { name: 'new', ago: [0.05, 0.4], steps: [] },
  { name: 'acknowledged', ago: [0.6, 1.5], steps: [{ at: 0.5, step: 'assign' }, { at: 2, step: 'acknowledge' }] },
  { name: 'in progress', ago: [2, 5], steps: [{ at: 0.5, step: 'assign' }, { at: 3, step: 'acknowledge' }, { at: 5, step: 'start' }, { at: 6, step: 'note', text: notes[0]! }] },
  { name: 'waiting', ago: [2, 6], steps: [{ at: 1, step: 'assign' }, { at: 2, step: 'acknowledge' }, { at: 4, step: 'start' }, { at: 6, step: 'wait' }] },
  {
    name: 'resolved, awaiting the customer',
    ago: [2, 4],
    steps: [{ at: 0.5, step: 'assign' }, { at: 1, step: 'acknowledge' }, { at: 2, step: 'start' }, { at: 26, step: 'resolve' }],
  },
  {
    name: 'resolved quickly',
    ago: [20, 360],
    steps: [
      { at: 0.5, step: 'assign' }, { at: 1, step: 'acknowledge' }, { at: 2, step: 'start' }, { at: 20, step: 'resolve' },
      { at: 46, step: 'follow_up', handling: 5, resolved: 'yes', buyAgain: 5 }, { at: 47, step: 'customer_confirm' },
    ],
  },
  {
    name: 'resolved',
    ago: [20, 360],
    steps: [
      { at: 1, step: 'assign' }, { at: 5, step: 'acknowledge' }, { at: 8, step: 'start' }, { at: 9, step: 'note', text: notes[1]! }, { at: 60, step: 'resolve' },
      { at: 86, step: 'follow_up', handling: 3, resolved: 'yes', buyAgain: 4 }, { at: 60 + 7 * 24, step: 'auto_close' },
    ],
  },
  {
    name: 'first response late, resolved',
    ago: [20, 360],
    steps: [
      { at: 30, step: 'missed', deadline: 'first_response' }, { at: 38, step: 'assign' }, { at: 40, step: 'acknowledge' }, { at: 41, step: 'start' },
      { at: 100, step: 'resolve' }, { at: 126, step: 'follow_up', handling: 4, resolved: 'partly', buyAgain: 3 }, { at: 100 + 7 * 24, step: 'auto_close' },
    ],
  },
  {
    name: 'reopened after the customer said no, unresolved',
    ago: [20, 360],
    steps: [
      { at: 1, step: 'assign' }, { at: 2, step: 'acknowledge' }, { at: 3, step: 'start' }, { at: 30, step: 'resolve' }, { at: 40, step: 'customer_reject' },
      { at: 41, step: 'note', text: notes[1]! }, { at: 70, step: 'resolve' }, { at: 96, step: 'follow_up', handling: 2, resolved: 'no', buyAgain: 2 }, { at: 70 + 7 * 24, step: 'auto_close' },
    ],
  },
  {
    name: 'escalated, the customer left',
    ago: [20, 360],
    steps: [
      { at: 1, step: 'assign' }, { at: 3, step: 'acknowledge' }, { at: 5, step: 'start' }, { at: 30, step: 'escalate' },
      { at: 80, step: 'missed', deadline: 'resolution' }, { at: 90, step: 'record_customer_left' }, { at: 91, step: 'close' },
    ],
  },
  {
    name: 'reopened by a reply, resolved',
    ago: [30, 360],
    steps: [
      { at: 0.5, step: 'assign' }, { at: 2, step: 'acknowledge' }, { at: 3, step: 'start' }, { at: 24, step: 'resolve' },
      { at: 72, step: 'customer_reply', text: ['The replacement is the wrong size.', '换来的尺码不对。'] },
      { at: 96, step: 'note', text: notes[2]! }, { at: 98, step: 'resolve' }, { at: 122, step: 'follow_up', handling: 4, resolved: 'yes', buyAgain: 4 }, { at: 123, step: 'customer_confirm' },
    ],
  },
  {
    name: 'closed without a word from the customer',
    ago: [20, 360],
    steps: [{ at: 2, step: 'assign' }, { at: 4, step: 'acknowledge' }, { at: 6, step: 'start' }, { at: 50, step: 'resolve' }, { at: 50 + 7 * 24, step: 'auto_close' }],
  },
  { name: 'a duplicate, merged', ago: [20, 360], steps: [{ at: 2, step: 'merge' }] },
];

/**
 * Open cases whose deadline is at risk or past due now, as real ones get there: each is opened `share` of its
 * deadline's business time before now on the complaint calendar (at risk from 80%, breached from 100%), so it
 * holds whatever the day and hour the demo runs, weekends included.
 */
interface DeadlineStory {
  name: string;
  deadline: 'first_response' | 'resolution';
  share: number;
  severity: CaseSeverity;
  channel: (typeof formChannels)[number];
  steps: Step[];
}

const deadlineStories: DeadlineStory[] = [
  { name: 'first response at risk, unassigned', deadline: 'first_response', share: 0.9, severity: 'minor', channel: 'web', steps: [] },
  { name: 'first response at risk, assigned', deadline: 'first_response', share: 0.85, severity: 'major', channel: 'phone', steps: [{ at: 0.25, step: 'assign' }] },
  { name: 'first response overdue, unassigned', deadline: 'first_response', share: 1.4, severity: 'minor', channel: 'web', steps: [] },
  { name: 'first response overdue, assigned', deadline: 'first_response', share: 1.2, severity: 'minor', channel: 'mail', steps: [{ at: 0.5, step: 'assign' }] },
  {
    name: 'resolution at risk',
    deadline: 'resolution',
    share: 0.9,
    severity: 'minor',
    channel: 'web',
    steps: [{ at: 0.5, step: 'assign' }, { at: 1, step: 'acknowledge' }, { at: 1.5, step: 'start' }, { at: 2, step: 'note', text: notes[1]! }],
  },
  {
    name: 'resolution overdue',
    deadline: 'resolution',
    share: 1.15,
    severity: 'major',
    channel: 'onsite',
    steps: [{ at: 0.5, step: 'assign' }, { at: 1, step: 'acknowledge' }, { at: 1.5, step: 'start' }],
  },
];

// ---------------------------------------------------------------------------------------------------------
// The words of the forms.

const formCategories = ['product_quality', 'delivery', 'billing', 'staff_attitude', 'service', 'other'] as const;
const categoryKey: Record<(typeof formCategories)[number], string> = {
  product_quality: 'product', delivery: 'delivery', billing: 'billing', staff_attitude: 'staff_attitude', service: 'service', other: 'other',
};
const descriptions: Record<(typeof formCategories)[number], Record<Locale, string>> = {
  product_quality: { en: 'The kettle stopped working after two weeks.', 'zh-CN': '电水壶用了两周就坏了。' },
  delivery: { en: 'The parcel arrived four days late and the box was crushed.', 'zh-CN': '包裹晚到了四天，箱子也被压坏了。' },
  billing: { en: 'I was charged twice for the same order.', 'zh-CN': '同一个订单被扣了两次款。' },
  staff_attitude: { en: 'The person at the counter was rude when I asked about a return.', 'zh-CN': '询问退货时，柜台工作人员态度很差。' },
  service: { en: 'Nobody called back after I was promised a call within a day.', 'zh-CN': '说好一天内回电，却一直没人联系我。' },
  other: { en: 'The instructions in the box are only in one language.', 'zh-CN': '包装里的说明书只有一种语言。' },
};
const desiredOutcomes = ['refund', 'replacement', 'repair', 'apology', 'explanation'] as const;
const formChannels = ['web', 'onsite', 'mail', 'phone'] as const;

/** How many complaint forms and detractor catches a run tells: a share of the responses, within bounds. */
export function demoComplaintCounts(responses: number) {
  if (responses === 0) return { forms: 0, catches: 0, logged: 0 };
  return {
    forms: Math.min(240, Math.max(2 * stories.length, Math.round(responses / 50))),
    catches: Math.min(160, Math.max(12, Math.round(responses / 100))),
    logged: Math.min(60, Math.max(6, Math.round(responses / 300))),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Telling a story.

interface Teller {
  tx: DbOrTx;
  settings: ComplaintSettings;
  agent: Actor;
  openedAt: number;
  /** The case a duplicate is merged into. */
  survivor: { id: string; reference: string } | null;
}

async function readCase(tx: DbOrTx, id: string): Promise<CaseRow> {
  const [row] = await tx.select().from(complaintCases).where(eq(complaintCases.id, id));
  return row!;
}

async function tell(teller: Teller, caseId: string, story: Story, locale: Locale): Promise<void> {
  const { tx, settings, agent } = teller;
  let row = await readCase(tx, caseId);
  const text = (pair: [string, string]) => (locale === 'zh-CN' ? pair[1] : pair[0]);
  for (const step of story.steps) {
    const at = teller.openedAt + Math.round(step.at * hourMs);
    switch (step.step) {
      case 'assign':
        // As the assign verb does it: the assignee, and an `assigned` event with before and after.
        row = await changeCase(tx, row, { assigneeId: agent.id, updatedAt: at });
        await appendEvents(tx, [{ caseId, type: 'assigned', ...actorFields(agent), before: { assigneeId: null }, after: { assigneeId: agent.id, assigneeName: agent.name }, at }]);
        break;
      case 'note':
        await appendEvents(tx, [{ caseId, type: 'note', ...actorFields(agent), body: text(step.text), public: false, at }]);
        break;
      case 'missed': {
        // As the deadline sweep records a breach.
        const dueAt = step.deadline === 'first_response' ? row.firstResponseDueAt : row.resolutionDueAt;
        row = await changeCase(tx, row, { deadlinesMissed: [...new Set([...row.deadlinesMissed, step.deadline])], alert: 'breached', updatedAt: at });
        await appendEvents(tx, [
          { caseId, type: 'deadline_breached', ...actorFields(systemActor), after: { deadline: step.deadline, dueAt }, dedupeKey: `deadline:${caseId}:${step.deadline}:breached:${dueAt ?? at}`, at },
        ]);
        break;
      }
      case 'follow_up': {
        // As the follow-up survey's answer is recorded.
        const facts = { handlingScore: step.handling, resolvedAnswer: step.resolved, buyAgainScore: step.buyAgain };
        const before = { handlingScore: row.handlingScore, resolvedAnswer: row.resolvedAnswer, buyAgainScore: row.buyAgainScore };
        row = await changeCase(tx, row, { ...facts, updatedAt: at });
        await appendEvents(tx, [{ caseId, type: 'follow_up_answered', actor: 'customer', before, after: { ...facts, cycle: row.reopenCount }, public: false, at }]);
        break;
      }
      case 'customer_reply':
        row = (await transitionIn(tx, row, 'customer_reply', customerActor, settings, at)).row;
        await appendEvents(tx, [{ caseId, type: 'customer_replied', ...actorFields(customerActor), body: text(step.text), public: true, after: { via: 'status_page' }, at }]);
        break;
      case 'merge':
        if (teller.survivor) row = (await transitionIn(tx, row, 'merge', agent, settings, at, { mergedInto: teller.survivor })).row;
        break;
      default: {
        const actor = step.step === 'auto_close' ? systemActor : step.step === 'customer_confirm' || step.step === 'customer_reject' ? customerActor : agent;
        row = (await transitionIn(tx, row, step.step, actor, settings, at, step.step === 'escalate' ? { reason: 'by_hand' } : {})).row;
      }
    }
  }
  // The follow-up answer of a case still resolved counts at once.
  if (row.status === 'resolved' && row.handlingScore !== null) await refreshOutcome(tx, caseId);
  // Made-up customers get no mail: the receipt and follow-up jobs the steps queued go with the transaction.
  await tx.delete(jobs).where(or(eq(jobs.dedupeKey, `${receiptJobKind}:${caseId}`), like(jobs.dedupeKey, `${followUpJobKind}:${caseId}:%`)));
}

/** When a story that ends now began: within its window of days before now, on a working day's morning or afternoon. */
function storyStart(story: Story, random: () => number, now: number): number {
  const [min, max] = story.ago;
  const lastStep = Math.max(0, ...story.steps.map((step) => step.at)) * hourMs;
  const start = now - (min + random() * (max - min)) * dayMs;
  // The last step must have happened already.
  return Math.min(start, now - lastStep - hourMs);
}

// ---------------------------------------------------------------------------------------------------------
// A complaint form answered.

type FormChannel = (typeof formChannels)[number];

interface FormComplaint {
  customer: ReturnType<ComplaintWorld['customer']> | null;
  locale: Locale;
  category: (typeof formCategories)[number];
  answers: Answers;
  consent: boolean;
  contactEmail: string | null;
}

/** What the i-th complaint form says and who sent it (phone and mailed forms always know the customer, the web often); `severity` as asked, else drawn. */
function formComplaint(world: ComplaintWorld, index: number, random: () => number, channel: FormChannel, severity?: CaseSeverity): FormComplaint {
  const form = world.complaintForm;
  const known = channel === 'phone' || channel === 'mail' || (channel === 'web' && random() < 0.6);
  const customer = known && world.customerCount > 0 ? world.customer((index * 53) % world.customerCount) : null;
  const locale: Locale = customer?.locale ?? (random() < 0.7 ? 'zh-CN' : 'en');
  const category = formCategories[Math.floor(random() * formCategories.length)]!;
  const consent = customer !== null ? customer.email !== null : random() < 0.5;
  const contactEmail = consent ? (customer?.email ?? `demo.complainant.${index}@example.com`) : null;
  const answers: Answers = {
    category,
    severity: severity ?? (random() < 0.2 ? 'major' : 'minor'),
    description: descriptions[category][locale],
    desired_outcome: desiredOutcomes[Math.floor(random() * desiredOutcomes.length)]!,
    contact_consent: consent,
  };
  const shown = new Set(form.definition.questions.map((question) => question.id));
  if (contactEmail !== null && shown.has('contact_email')) answers.contact_email = contactEmail;
  for (const key of Object.keys(answers)) if (!shown.has(key)) delete answers[key];
  const checked = validateAnswers(form.definition, answers);
  if (!checked.ok) throw new Error(`demo complaint answers do not fit the complaint form: ${JSON.stringify(checked.errors)}`);
  return { customer, locale, category, answers, consent, contactEmail };
}

/** Stores a complaint form's answer and opens its case, as a submission does; phone and mailed forms are keyed in by an agent. */
async function openFormCase(
  tx: DbOrTx,
  world: ComplaintWorld,
  settings: ComplaintSettings,
  input: { id: string; channel: FormChannel; complaint: FormComplaint; customerId: string | null; submittedAt: number; durationMs: number; agent: Actor },
) {
  const { id, channel, complaint, customerId, submittedAt, durationMs, agent } = input;
  const keyed = channel === 'phone' || channel === 'mail';
  await tx.insert(responses).values({
    id,
    surveyId: world.complaintForm.id,
    versionId: world.complaintForm.versionId,
    channel,
    locale: complaint.locale,
    answers: complaint.answers,
    startedAt: submittedAt - durationMs,
    submittedAt,
    durationMs,
    interviewerId: keyed ? agent.id : null,
    customerId,
  });
  const draft: CaseDraft = {
    source: 'form',
    channel,
    category: categoryKey[complaint.category],
    severity: complaint.answers.severity as CaseSeverity,
    description: descriptions[complaint.category][complaint.locale],
    desiredOutcome: String(complaint.answers.desired_outcome),
    locale: complaint.locale,
    customerId,
    contactEmail: complaint.contactEmail,
    contactConsent: complaint.consent,
    contactChannel: complaint.consent ? 'email' : null,
    responseId: id,
    surveyId: world.complaintForm.id,
    actor: keyed ? agent : customerActor,
  };
  const [opened] = await openCases(tx, [draft], settings, submittedAt);
  return opened!;
}

// ---------------------------------------------------------------------------------------------------------
// The fill.

export interface DemoComplaintsResult {
  casesOpened: number;
  silentDetractors: number;
  /** At-risk and breach marks the deadline sweep recorded at the end of the run. */
  deadlineMarks: number;
}

export async function fillDemoComplaints(db: Db, world: ComplaintWorld): Promise<DemoComplaintsResult> {
  const counts = demoComplaintCounts(world.responses);
  if (counts.forms === 0) return { casesOpened: 0, silentDetractors: 0, deadlineMarks: 0 };
  const settings = await readComplaintSettings(db);
  const agentHash = await hashPassword(randomBytes(24).toString('base64url'));
  await db
    .insert(users)
    .values(demoAgents.map((agent) => ({ id: agent.id, email: agent.email, name: agent.name, role: 'support' as const, passwordHash: agentHash })))
    .onConflictDoNothing();
  await db
    .insert(complaintMacros)
    .values(demoMacros.map((macro) => ({ id: macro.id, name: { ...macro.name }, body: { ...macro.body }, createdBy: null })))
    .onConflictDoNothing();
  const agentOf = (index: number): Actor => {
    const agent = demoAgents[index % demoAgents.length]!;
    return { type: 'staff', id: agent.id, name: agent.name };
  };
  let casesOpened = 0;
  let silentDetractors = 0;

  // Complaint forms, on every survey channel, one story each in turn.
  const told = new Set(
    (await db.select({ id: responses.id }).from(responses).where(like(responses.id, 'de300000-0006-%'))).map((row) => row.id),
  );
  let survivor: { id: string; reference: string; customerId: string | null } | null = null;
  for (let index = 0; index < counts.forms; index++) {
    const id = demoComplaintResponseId(index);
    const story = stories[index % stories.length]!;
    const random = seeded(0x5eed + index);
    const channel = formChannels[index % formChannels.length]!;
    const complaint = formComplaint(world, index, random, channel);
    const openedAt = storyStart(story, random, world.now);
    if (told.has(id)) {
      if (story.name !== 'a duplicate, merged') survivor = null;
      continue;
    }
    await db.transaction(async (tx) => {
      const durationMs = Math.round((120 + random() * 300) * 1000);
      // A duplicate repeats the case before it, a few minutes later.
      const duplicateOf = story.steps.some((step) => step.step === 'merge') ? survivor : null;
      const submittedAt = duplicateOf ? (await readCase(tx, duplicateOf.id)).createdAt + 20 * 60_000 : openedAt;
      const customerId = duplicateOf?.customerId ?? complaint.customer?.id ?? null;
      const opened = await openFormCase(tx, world, settings, { id, channel, complaint, customerId, submittedAt, durationMs, agent: agentOf(index) });
      await tell({ tx, settings, agent: agentOf(index), openedAt: submittedAt, survivor: duplicateOf }, opened.id, story, complaint.locale);
      survivor = duplicateOf ? null : { id: opened.id, reference: opened.reference, customerId };
    });
    casesOpened++;
  }

  // Open cases whose first-response or resolution deadline is at risk or past due now, a complaint form each:
  // opened the story's share of that deadline's business time before now, on the calendar the deadlines run by.
  for (const [index, story] of deadlineStories.entries()) {
    const id = demoDeadlineResponseId(index);
    if (told.has(id)) continue;
    const random = seeded(0xde4d + index);
    const complaint = formComplaint(world, 0x100000 + index, random, story.channel, story.severity);
    const asked = complaint.answers.severity as CaseSeverity | undefined;
    const severity = severityFor(settings, { category: categoryKey[complaint.category], orderValue: null, ...(asked ? { asked } : {}) });
    const hours = story.deadline === 'first_response' ? settings.targets.firstResponseHours : settings.targets.resolutionHours[severity];
    const openedAt = subtractBusinessMs(settings.calendar, world.now, Math.round(story.share * hours * hourMs));
    const agent = agentOf(index);
    await db.transaction(async (tx) => {
      const durationMs = Math.round((120 + random() * 300) * 1000);
      const customerId = complaint.customer?.id ?? null;
      const opened = await openFormCase(tx, world, settings, { id, channel: story.channel, complaint, customerId, submittedAt: openedAt, durationMs, agent });
      // With short targets in the settings, only the steps already taken.
      const taken = { name: story.name, ago: [0, 0] as [number, number], steps: story.steps.filter((step) => openedAt + step.at * hourMs < world.now) };
      await tell({ tx, settings, agent, openedAt, survivor: null }, opened.id, taken, complaint.locale);
    });
    casesOpened++;
  }

  // NPS detractors of the last half year, newest first: a case for a customer who agreed to follow-up contact
  // (the newest still being worked), else a silent detractor.
  const detractors = await db.$client.execute({
    sql: `SELECT r.id, r.customer_id, r.submitted_at, r.locale, r.channel FROM responses r
           WHERE r.survey_id = ? AND r.submitted_at >= ? AND json_extract(r.answers, '$.nps') <= 6
           ORDER BY r.submitted_at DESC LIMIT ?`,
    args: [world.npsSurveyId, world.now - 183 * dayMs, counts.catches],
  });
  const caught = new Set(
    (await db.select({ id: loopCatches.responseId }).from(loopCatches).where(inArray(loopCatches.responseId, detractors.rows.map((row) => String(row[0]))))).map((row) => row.id),
  );
  const openStories = stories.filter((story) => story.ago[1] <= 6 && story.steps.length > 0);
  const finishedStories = stories.filter((story) => story.ago[1] > 6 && !story.steps.some((step) => step.step === 'merge'));
  for (const [position, row] of detractors.rows.entries()) {
    const responseId = String(row[0]);
    if (caught.has(responseId)) continue;
    const customerId = row[1] === null ? null : String(row[1]);
    const submittedAt = Number(row[2]);
    const locale = String(row[3]) as Locale;
    const customerIndex = customerId === null ? null : parseInt(customerId.slice(-12), 16);
    const customer = customerIndex === null ? null : world.customer(customerIndex);
    const followUp = customer !== null && !customer.doNotContact && Object.values(customer.consents).some((purposes) => purposes?.includes('follow_up'));
    await db.transaction(async (tx) => {
      let caseId: string | null = null;
      if (followUp) {
        const ageDays = (world.now - submittedAt) / dayMs;
        const story = ageDays < 2 ? stories[0]! : ageDays < 6 ? openStories[position % openStories.length]! : finishedStories[position % finishedStories.length]!;
        const channel: CaseChannel = String(row[4]) as CaseChannel;
        const [opened] = await openCases(
          tx,
          [
            {
              source: 'survey_rule',
              channel,
              category: 'service',
              description: locale === 'zh-CN' ? '推荐意愿评分为 0-6 分（贬损者）。' : 'Likelihood to recommend 0-6 (a detractor).',
              locale,
              customerId,
              contactConsent: true,
              contactChannel: customer!.consents.email?.includes('follow_up') ? 'email' : customer!.consents.phone?.includes('follow_up') ? 'phone' : 'post',
              responseId,
              surveyId: world.npsSurveyId,
              ruleIds: [demoDetractorRule],
              actor: systemActor,
            },
          ],
          settings,
          submittedAt,
        );
        caseId = opened!.id;
        // A story that would run past now is cut to the steps already taken.
        const taken = { ...story, steps: story.steps.filter((step) => submittedAt + step.at * hourMs < world.now) };
        await tell({ tx, settings, agent: agentOf(position), openedAt: submittedAt, survivor: null }, caseId, taken, locale);
        casesOpened++;
      } else {
        silentDetractors++;
      }
      await tx
        .insert(loopCatches)
        .values({ responseId, surveyId: world.npsSurveyId, customerId, ruleIds: [demoDetractorRule], caseId, silentReason: caseId ? null : customer ? 'no_consent' : 'no_customer', submittedAt })
        .onConflictDoNothing();
    });
  }

  // Cases agents logged from calls, emails and visits, and a few an integration reported.
  const loggedChannels = ['phone', 'email', 'in_person', 'integration'] as const;
  // Only the demo logs cases in a demo database: as many as there are already were told before.
  const [logged] = await db.select({ n: count() }).from(complaintCases).where(inArray(complaintCases.source, ['agent', 'integration']));
  for (let index = logged?.n ?? 0; index < counts.logged; index++) {
    const random = seeded(0x10ed + index);
    const story = stories[(index * 5 + 1) % stories.length]!;
    if (story.steps.some((step) => step.step === 'merge')) continue;
    const channel = loggedChannels[index % loggedChannels.length]!;
    const customer = world.customerCount > 0 ? world.customer((index * 97 + 11) % world.customerCount) : null;
    const locale = customer?.locale ?? 'zh-CN';
    const category = formCategories[Math.floor(random() * formCategories.length)]!;
    const openedAt = storyStart(story, random, world.now);
    await db.transaction(async (tx) => {
      const [opened] = await openCases(
        tx,
        [
          {
            source: channel === 'integration' ? 'integration' : 'agent',
            channel,
            category: categoryKey[category],
            description: descriptions[category][locale],
            locale,
            customerId: customer?.id ?? null,
            contactEmail: customer?.email ?? null,
            contactConsent: Boolean(customer?.email),
            contactChannel: customer?.email ? 'email' : null,
            externalId: channel === 'integration' ? `demo-order-${index}` : null,
            actor: channel === 'integration' ? { type: 'integration', id: null, name: 'Demo shop' } : agentOf(index),
          },
        ],
        settings,
        openedAt,
      );
      await tell({ tx, settings, agent: agentOf(index), openedAt, survivor: null }, opened!.id, story, locale);
    });
    casesOpened++;
  }

  // The deadline sweep, as the server runs it, at now: it marks the cases above (and any other whose time has
  // come) at risk or breached, escalates the breaches and queues the deadline mail, none of it to a demo agent.
  let deadlineMarks = 0;
  if (world.publicUrl !== null) {
    const demoAgentIds = new Set<string>(demoAgents.map((agent) => agent.id));
    const swept = await sweepDeadlines(db, { publicUrl: world.publicUrl, now: world.now, mailTo: (person) => !demoAgentIds.has(person.id) });
    deadlineMarks = swept.marks;
  }
  return { casesOpened, silentDetractors, deadlineMarks };
}
