// The deadline mail staff receive when a case's deadline is at risk (80% of its business time gone) or
// breached: who gets it, its id, and its words in the reader's language. Pure: the sweep (sweep.ts) reads the
// database and hands the facts in.
import { createHash } from 'node:crypto';
import type { Locale } from '../../surveys/definition.ts';
import type { CaseDeadline, CaseSeverity, DeadlineAlert } from './vocabulary.ts';

/** The Outbox id of one recipient's mail about one mark: the same however often, and by whichever process, it is queued. */
export function alertMessageId(eventDedupeKey: string, recipientId: string): string {
  return `deadline-${createHash('sha256').update(`${eventDedupeKey}\n${recipientId}`).digest('hex').slice(0, 40)}`;
}

/** The Outbox topic of a deadline mail, beside the case's other mail (complaints/<case>/receipt, …/reply). */
export const alertTopic = (caseId: string, alert: DeadlineAlert) => `complaints/${caseId}/${alert}`;

/** The dedupe key of the event that records one mark of one deadline: a mark is recorded once. */
export const alertEventKey = (caseId: string, deadline: CaseDeadline, alert: DeadlineAlert, dueAt: number) =>
  `deadline:${caseId}:${deadline}:${alert}:${dueAt}`;

export interface StaffMember {
  id: string;
  email: string;
  role: string;
  active: boolean;
  /** The language the person chose for the staff app (saved with the account); null or absent until they choose. */
  locale?: Locale | null;
}

/**
 * The language a staff member's deadline mail is written in: the one saved with their account, else the one
 * they saved for the weekly summary, else the case's (the customer's) language.
 */
export function recipientLocale(person: Pick<StaffMember, 'locale'>, summaryLocale: Locale | undefined, caseLocale: Locale): Locale {
  return person.locale ?? summaryLocale ?? caseLocale;
}

/**
 * Who is told about a case's deadline: its assignee and the team's managers (the ones the complaint settings
 * name, or every active manager when they name none), each once, active accounts only.
 */
export function alertRecipients(staff: StaffMember[], assigneeId: string | null, alertManagerIds: string[]): StaffMember[] {
  const active = staff.filter((person) => person.active);
  const named = new Set(alertManagerIds);
  const managers = alertManagerIds.length > 0 ? active.filter((person) => named.has(person.id)) : active.filter((person) => person.role === 'manager');
  const out: StaffMember[] = [];
  const seen = new Set<string>();
  for (const person of [...active.filter((person) => person.id === assigneeId), ...managers]) {
    if (seen.has(person.id)) continue;
    seen.add(person.id);
    out.push(person);
  }
  return out;
}

const minuteMs = 60_000;

/** A length of business time as a person reads it: "3 h 20 min", "3 小时 20 分钟"; at least one minute once any has passed. */
export function formatBusinessTime(ms: number, locale: Locale): string {
  const minutes = Math.max(0, Math.ceil(Math.abs(ms) / minuteMs));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (locale === 'zh-CN') {
    if (hours === 0) return `${rest} 分钟`;
    return rest === 0 ? `${hours} 小时` : `${hours} 小时 ${rest} 分钟`;
  }
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

const deadlineNames: Record<Locale, Record<CaseDeadline, string>> = {
  en: { first_response: 'first response', next_response: 'next response', resolution: 'resolution' },
  'zh-CN': { first_response: '首次响应', next_response: '后续响应', resolution: '解决' },
};
const severityNames: Record<Locale, Record<CaseSeverity, string>> = {
  en: { minor: 'minor', major: 'major' },
  'zh-CN': { minor: '一般', major: '重大' },
};

const formats = new Map<string, Intl.DateTimeFormat>();
/** The zone's offset from UTC by zone and hour: zones change offset on the hour, and a sweep's due times share hours. */
const offsets = new Map<string, number>();

function offsetMs(at: number, timeZone: string): number {
  const hour = Math.floor(at / 3_600_000);
  const key = `${timeZone} ${hour}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    let format = formats.get(timeZone);
    if (!format) {
      format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
      formats.set(timeZone, format);
    }
    const start = hour * 3_600_000;
    const parts = Object.fromEntries(format.formatToParts(start).map((part) => [part.type, part.value]));
    offset = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)) - start;
    if (offsets.size > 10_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/** A moment in the calendar's time zone, e.g. 2026-03-02 17:00 (Asia/Shanghai). */
function localTime(at: number, timeZone: string): string {
  const local = new Date(at + offsetMs(at, timeZone));
  const two = (value: number) => String(value).padStart(2, '0');
  return `${local.getUTCFullYear()}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())} ${two(local.getUTCHours())}:${two(local.getUTCMinutes())} (${timeZone})`;
}

export interface AlertMailFacts {
  locale: Locale;
  caseId: string;
  reference: string;
  severity: CaseSeverity;
  /** The category's name in the reader's language. */
  category: string;
  deadline: CaseDeadline;
  alert: DeadlineAlert;
  dueAt: number;
  /** Business time from now to the deadline (at risk) or from the deadline to now (breached). */
  businessMs: number;
  timeZone: string;
  /** The case was escalated because of this breach. */
  escalated: boolean;
  publicUrl: string;
}

/** The link to the case in the staff app. */
export const casePageUrl = (publicUrl: string, caseId: string) => `${publicUrl.replace(/\/$/, '')}/app/complaints/cases/${encodeURIComponent(caseId)}`;

/** Subject and text of one deadline mail, in the reader's language. */
export function alertEmail(facts: AlertMailFacts): { subject: string; text: string } {
  const link = casePageUrl(facts.publicUrl, facts.caseId);
  const due = localTime(facts.dueAt, facts.timeZone);
  const time = formatBusinessTime(facts.businessMs, facts.locale);
  if (facts.locale === 'zh-CN') {
    const name = deadlineNames['zh-CN'][facts.deadline];
    const subject =
      facts.alert === 'at_risk'
        ? `[${facts.reference}] ${name}时限即将到期：剩余 ${time}（工作时间）`
        : `[${facts.reference}] ${name}时限已超出 ${time}（工作时间）`;
    const lines = [
      facts.alert === 'at_risk'
        ? `投诉案件 ${facts.reference} 的${name}时限即将到期：已用去 80% 的时间，按工作时间计还剩 ${time}。`
        : `投诉案件 ${facts.reference} 的${name}时限已经超出：按工作时间计已超出 ${time}。`,
      '',
      `时限：${due}`,
      `类别：${facts.category}`,
      `严重程度：${severityNames['zh-CN'][facts.severity]}`,
      ...(facts.escalated ? ['该案件因超出时限已升级给经理处理。'] : []),
      '',
      `打开案件：${link}`,
    ];
    return { subject, text: lines.join('\n') };
  }
  const name = deadlineNames.en[facts.deadline];
  const subject =
    facts.alert === 'at_risk'
      ? `[${facts.reference}] ${capitalized(name)} deadline at risk: ${time} left (business hours)`
      : `[${facts.reference}] ${capitalized(name)} deadline breached: ${time} over (business hours)`;
  const lines = [
    facts.alert === 'at_risk'
      ? `The ${name} deadline of complaint case ${facts.reference} is at risk: 80% of its time is gone, ${time} of business time left.`
      : `The ${name} deadline of complaint case ${facts.reference} is breached: ${time} of business time over.`,
    '',
    `Due: ${due}`,
    `Category: ${facts.category}`,
    `Severity: ${severityNames.en[facts.severity]}`,
    ...(facts.escalated ? ['The case was escalated to the managers because the deadline was missed.'] : []),
    '',
    `Open the case: ${link}`,
  ];
  return { subject, text: lines.join('\n') };
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
