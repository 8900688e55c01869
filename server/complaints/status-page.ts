// The customer's status page (/c/<token>): what a customer sees of their case without an account. Built
// here as one view (also the JSON of GET /api/public/cases/:token) and rendered on the server as a small page
// that works on a phone; a tiny script (statusScript) sends replies, the confirmation, the follow-up survey's
// answers and "stop contacting me" as JSON.
// Nothing staff-only is shown: no internal notes, no staff names, no contact details.
import { randomUUID } from 'node:crypto';
import { asc, and, eq } from 'drizzle-orm';
import { scaleOf } from '../../surveys/answers.ts';
import type { Locale, Question, SurveyDefinition } from '../../surveys/definition.ts';
import type { Db } from '../db/client.ts';
import { complaintCases, complaintEvents } from '../db/schema.ts';
import { escapeHtml } from '../web.ts';
import { pageFollowUp, type PageFollowUp } from './follow-up.ts';
import type { CaseStatus } from './vocabulary.ts';

type CaseRow = typeof complaintCases.$inferSelect;

/** What the customer needs to act on next, and the time it is promised by (epoch ms) when there is one. */
export type NextStep =
  | { kind: 'first_response'; dueAt: number | null }
  | { kind: 'next_response'; dueAt: number | null }
  | { kind: 'resolution'; dueAt: number | null }
  | { kind: 'waiting_on_you' }
  | { kind: 'confirm'; closesAt: number | null }
  | { kind: 'confirmed' }
  | { kind: 'closed'; reopenWindowDays: number }
  | { kind: 'merged' };

export type HistoryEntry =
  | { at: number; kind: 'opened' }
  | { at: number; kind: 'status'; status: CaseStatus }
  | { at: number; kind: 'reply_from_us'; body: string }
  | { at: number; kind: 'reply_from_you'; body: string; via: 'email' | 'status_page' | null }
  | { at: number; kind: 'confirmed'; resolved: boolean; comment: string | null }
  | { at: number; kind: 'reopened' }
  | { at: number; kind: 'merged'; into: string | null }
  | { at: number; kind: 'contact_stopped' };

export interface PublicCase {
  reference: string;
  status: CaseStatus;
  locale: Locale;
  description: string;
  openedAt: number;
  next: NextStep;
  /** The time zone promised times are shown in (the business calendar's). */
  timeZone: string;
  history: HistoryEntry[];
  canReply: boolean;
  canConfirm: boolean;
  /** The follow-up survey of this resolution cycle (a case with no customer record): to answer, answered, or none. */
  followUp: PageFollowUp;
  /** The customer may still say "stop contacting me about this case". */
  canStopContact: boolean;
}

export interface PageSettings {
  timeZone: string;
  closeAfterDays: number;
  reopenWindowDays: number;
}

const day = 24 * 3600_000;

function nextStep(row: CaseRow, settings: PageSettings): NextStep {
  switch (row.status) {
    case 'new':
      return { kind: 'first_response', dueAt: row.firstResponseDueAt };
    case 'acknowledged':
    case 'in_progress':
      return row.nextResponseDueAt !== null ? { kind: 'next_response', dueAt: row.nextResponseDueAt } : { kind: 'resolution', dueAt: row.resolutionDueAt };
    case 'waiting':
      return { kind: 'waiting_on_you' };
    case 'resolved':
      return row.customerConfirmed === true
        ? { kind: 'confirmed' }
        : { kind: 'confirm', closesAt: row.resolvedAt === null ? null : row.resolvedAt + settings.closeAfterDays * day };
    case 'closed':
      return row.customerConfirmed === true ? { kind: 'confirmed' } : { kind: 'closed', reopenWindowDays: settings.reopenWindowDays };
    case 'merged':
      return { kind: 'merged' };
  }
}

const text = (value: unknown) => (typeof value === 'string' ? value : null);

function historyEntry(event: typeof complaintEvents.$inferSelect): HistoryEntry | null {
  const after = event.after ?? {};
  switch (event.type) {
    case 'opened':
      return { at: event.at, kind: 'opened' };
    case 'status_changed': {
      const status = text(after.status) as CaseStatus | null;
      return status ? { at: event.at, kind: 'status', status } : null;
    }
    case 'reply_sent':
      return event.body ? { at: event.at, kind: 'reply_from_us', body: event.body } : null;
    case 'customer_replied': {
      const via = text(after.via);
      return event.body ? { at: event.at, kind: 'reply_from_you', body: event.body, via: via === 'email' || via === 'status_page' ? via : null } : null;
    }
    case 'customer_confirmed': {
      const resolved = after.resolved ?? after.customerConfirmed;
      return typeof resolved === 'boolean' ? { at: event.at, kind: 'confirmed', resolved, comment: event.body ?? null } : null;
    }
    case 'reopened':
      return { at: event.at, kind: 'reopened' };
    case 'merged':
      return { at: event.at, kind: 'merged', into: text(after.reference) };
    case 'fields_changed':
      return event.actor === 'customer' && after.contactConsent === false ? { at: event.at, kind: 'contact_stopped' } : null;
    default:
      return null;
  }
}

/** The case as its customer sees it: the public part of its history only. */
export async function publicCase(db: Db, row: CaseRow, settings: PageSettings): Promise<PublicCase> {
  const events = await db
    .select()
    .from(complaintEvents)
    .where(and(eq(complaintEvents.caseId, row.id), eq(complaintEvents.public, true)))
    .orderBy(asc(complaintEvents.id));
  return {
    reference: row.reference,
    status: row.status,
    locale: row.locale,
    description: row.description,
    openedAt: row.createdAt,
    next: nextStep(row, settings),
    timeZone: settings.timeZone,
    history: events.map(historyEntry).filter((entry) => entry !== null),
    canReply: row.status !== 'merged',
    // Asked once the company calls it finished, until the customer says it is resolved: a closed case too (an
    // answer after it closed by itself still counts for the outcome, and "no" within the reopen window reopens
    // it), and again after a reopened case is resolved once more.
    canConfirm: (row.status === 'resolved' || row.status === 'closed') && row.customerConfirmed !== true,
    followUp: await pageFollowUp(db, row),
    canStopContact: row.contactConsent && row.status !== 'merged',
  };
}

const words = {
  en: {
    title: 'Your complaint',
    reference: 'Reference',
    referenceHint: 'Quote this number if you call us.',
    status: 'Status',
    next: 'What happens next',
    history: 'History',
    told: 'What you told us',
    replyLabel: 'Write to us',
    yourMessage: 'Your message',
    replyHint: 'We will answer here and by email if you gave us your address.',
    send: 'Send',
    sending: 'Sending…',
    resolvedQuestion: 'Is it resolved?',
    yes: 'Yes, it is resolved',
    no: 'No, it is not',
    commentLabel: 'Anything to add? (optional)',
    noScript: 'To reply here, please turn on JavaScript, or reply to our email.',
    language: 'Language',
    other: { label: '中文', locale: 'zh-CN' as Locale },
    us: 'Our reply',
    you: 'You wrote',
    byEmail: 'by email',
    opened: 'We received your complaint',
    reopened: 'Opened again',
    mergedInto: (reference: string | null) => (reference ? `Joined with case ${reference}` : 'Joined with another case'),
    confirmedYes: 'You told us it is resolved',
    confirmedNo: 'You told us it is not resolved',
    statusNow: {
      new: 'Received, waiting for our first reply',
      acknowledged: 'We have replied and are looking into it',
      in_progress: 'We are working on it',
      waiting: 'Waiting for your reply',
      resolved: 'We think this is resolved',
      closed: 'Closed',
      merged: 'Joined with another case about the same matter',
    } satisfies Record<CaseStatus, string>,
    statusShort: {
      new: 'Received',
      acknowledged: 'Replied',
      in_progress: 'In progress',
      waiting: 'Waiting for you',
      resolved: 'Resolved',
      closed: 'Closed',
      merged: 'Merged',
    } satisfies Record<CaseStatus, string>,
    statusChanged: (status: string) => `Status: ${status}`,
    firstResponse: (due: string) => `We will reply to you by ${due}.`,
    nextResponse: (due: string) => `We will answer your last message by ${due}.`,
    resolution: (due: string) => `We aim to resolve it by ${due}.`,
    working: 'We are working on it and will write to you.',
    late: 'We are later than we promised. Sorry: we will write to you as soon as we can.',
    waitingOnYou: 'We need something from you. Please read our last message and reply below.',
    confirm: (closes: string | null) =>
      `Please tell us below whether the problem is resolved.${closes ? ` If we hear nothing, the case closes on ${closes}.` : ''}`,
    confirmed: 'Thank you for confirming. If anything else comes up, write to us below.',
    closed: (days: number) => `If the problem comes back within ${days} days, write to us below and we will take it up again.`,
    merged: 'We carry on with it in the other case; you will hear from us there.',
    unknownTitle: 'Link not recognised',
    unknown: 'This link is not complete or no longer valid. Please copy the whole link from our message, or call us with your reference number.',
    failed: 'Your message could not be sent. Check your connection and try again.',
    optional: '(optional)',
    contactStopped: 'You asked us not to contact you about this case',
    stopTitle: 'Stop contacting me',
    stopHint: 'We will not email, call or write to you about this case again. You can still follow it and write to us here.',
    stop: 'Stop contacting me about this case',
  },
  'zh-CN': {
    title: '您的投诉',
    reference: '案件编号',
    referenceHint: '致电我们时请报出此编号。',
    status: '状态',
    next: '接下来',
    history: '处理记录',
    told: '您反映的问题',
    replyLabel: '给我们留言',
    yourMessage: '留言内容',
    replyHint: '我们会在此页面答复；如您留了邮箱，也会发邮件给您。',
    send: '发送',
    sending: '正在发送…',
    resolvedQuestion: '问题解决了吗？',
    yes: '是，已解决',
    no: '否，没有解决',
    commentLabel: '还有什么要补充的吗？（选填）',
    noScript: '如需在此留言，请开启 JavaScript，或直接回复我们的邮件。',
    language: '语言',
    other: { label: 'English', locale: 'en' as Locale },
    us: '我们的回复',
    you: '您的留言',
    byEmail: '邮件',
    opened: '已收到您的投诉',
    reopened: '已重新处理',
    mergedInto: (reference: string | null) => (reference ? `已并入案件 ${reference}` : '已并入另一个案件'),
    confirmedYes: '您确认问题已解决',
    confirmedNo: '您告诉我们问题没有解决',
    statusNow: {
      new: '已收到，等待我们首次回复',
      acknowledged: '我们已回复，正在了解情况',
      in_progress: '正在处理',
      waiting: '等待您的回复',
      resolved: '我们认为问题已解决',
      closed: '已结案',
      merged: '已与同一问题的另一个案件合并',
    } satisfies Record<CaseStatus, string>,
    statusShort: {
      new: '已收到',
      acknowledged: '已回复',
      in_progress: '处理中',
      waiting: '等待您回复',
      resolved: '已解决',
      closed: '已结案',
      merged: '已合并',
    } satisfies Record<CaseStatus, string>,
    statusChanged: (status: string) => `状态：${status}`,
    firstResponse: (due: string) => `我们将在 ${due} 前回复您。`,
    nextResponse: (due: string) => `我们将在 ${due} 前答复您的最新留言。`,
    resolution: (due: string) => `我们争取在 ${due} 前解决。`,
    working: '我们正在处理，会再与您联系。',
    late: '我们已超过承诺的时间，非常抱歉，会尽快与您联系。',
    waitingOnYou: '我们需要您提供一些信息，请阅读我们的最新回复，并在下方留言。',
    confirm: (closes: string | null) => `请在下方告诉我们问题是否已解决。${closes ? `如未收到您的答复，案件将于 ${closes} 结案。` : ''}`,
    confirmed: '感谢您的确认。如还有其他问题，请在下方留言。',
    closed: (days: number) => `如问题在 ${days} 天内再次出现，请在下方留言，我们会重新处理。`,
    merged: '我们将在另一个案件中继续处理，并在那里与您联系。',
    unknownTitle: '无法识别该链接',
    unknown: '该链接不完整或已失效。请从我们的消息中复制完整链接，或致电我们并报出案件编号。',
    failed: '留言未能发送，请检查网络连接后重试。',
    optional: '（选填）',
    contactStopped: '您要求我们不再就此案件与您联系',
    stopTitle: '不再联系我',
    stopHint: '我们将不再就此案件通过邮件、电话或信件与您联系。您仍可在此查看进度并给我们留言。',
    stop: '不再就此案件联系我',
  },
} as const;

export const statusPageWords = words;

function formatTime(at: number, locale: Locale, timeZone: string, withTime = true, withZone = false): string {
  try {
    const shown = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', ...(withTime ? { timeStyle: 'short' as const } : {}) }).format(at);
    if (!withZone) return shown;
    // A promise names its time zone (GMT+8), for a customer reading it elsewhere.
    const zone = new Intl.DateTimeFormat('en', { timeZone, timeZoneName: 'shortOffset' }).formatToParts(at).find((part) => part.type === 'timeZoneName')?.value;
    return zone ? `${shown} (${zone})` : shown;
  } catch {
    return new Date(at).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  }
}

function nextText(next: NextStep, locale: Locale, timeZone: string, now: number): string {
  const t = words[locale];
  const when = (at: number) => formatTime(at, locale, timeZone, true, true);
  switch (next.kind) {
    case 'first_response':
    case 'next_response':
    case 'resolution':
      if (next.dueAt === null) return t.working;
      if (next.dueAt < now) return t.late;
      return next.kind === 'first_response' ? t.firstResponse(when(next.dueAt)) : next.kind === 'next_response' ? t.nextResponse(when(next.dueAt)) : t.resolution(when(next.dueAt));
    case 'waiting_on_you':
      return t.waitingOnYou;
    case 'confirm':
      return t.confirm(next.closesAt === null || next.closesAt < now ? null : formatTime(next.closesAt, locale, timeZone, false));
    case 'confirmed':
      return t.confirmed;
    case 'closed':
      return t.closed(next.reopenWindowDays);
    case 'merged':
      return t.merged;
  }
}

/** Paragraphs of a message as HTML, line breaks kept. */
const paragraphs = (body: string) => `<p class="body">${escapeHtml(body)}</p>`;

function historyHtml(entry: HistoryEntry, locale: Locale, timeZone: string): string {
  const t = words[locale];
  const time = `<time datetime="${new Date(entry.at).toISOString()}">${escapeHtml(formatTime(entry.at, locale, timeZone))}</time>`;
  switch (entry.kind) {
    case 'opened':
      return `<li class="event">${time}<span>${escapeHtml(t.opened)}</span></li>`;
    case 'status':
      return `<li class="event">${time}<span>${escapeHtml(t.statusChanged(t.statusShort[entry.status]))}</span></li>`;
    case 'reopened':
      return `<li class="event">${time}<span>${escapeHtml(t.reopened)}</span></li>`;
    case 'merged':
      return `<li class="event">${time}<span>${escapeHtml(t.mergedInto(entry.into))}</span></li>`;
    case 'reply_from_us':
      return `<li class="message us">${time}<strong>${escapeHtml(t.us)}</strong>${paragraphs(entry.body)}</li>`;
    case 'reply_from_you':
      return `<li class="message you">${time}<strong>${escapeHtml(t.you)}${entry.via === 'email' ? ` (${escapeHtml(t.byEmail)})` : ''}</strong>${paragraphs(entry.body)}</li>`;
    case 'confirmed':
      return `<li class="message you">${time}<strong>${escapeHtml(entry.resolved ? t.confirmedYes : t.confirmedNo)}</strong>${entry.comment ? paragraphs(entry.comment) : ''}</li>`;
    case 'contact_stopped':
      return `<li class="event">${time}<span>${escapeHtml(t.contactStopped)}</span></li>`;
  }
}

/**
 * One question of the follow-up survey: a scale or a choice as a radio group under its legend (the scale's end
 * labels shown beneath it and read with its end points), a text as a labelled box.
 */
function questionHtml(question: Question, locale: Locale): string {
  const t = words[locale];
  const title = escapeHtml(question.title[locale]);
  const required = question.required ? ' required' : '';
  const radio = (value: string, shown: string, spoken = '') =>
    `<label><input type="radio" name="${escapeHtml(question.id)}" value="${escapeHtml(value)}"${required}><span>${escapeHtml(shown)}</span>${spoken ? `<span class="sr">${escapeHtml(spoken)}</span>` : ''}</label>`;
  switch (question.type) {
    case 'csat':
    case 'rating': {
      const { min, max } = scaleOf(question);
      const ends = question.labels;
      const options: string[] = [];
      for (let value = min; value <= max; value++) {
        options.push(radio(String(value), String(value), value === min ? ends?.min[locale] : value === max ? ends?.max[locale] : ''));
      }
      const endsHtml = ends ? `<p class="ends" aria-hidden="true"><span>${escapeHtml(ends.min[locale])}</span><span>${escapeHtml(ends.max[locale])}</span></p>` : '';
      return `<fieldset><legend>${title}</legend><div class="scale">${options.join('')}</div>${endsHtml}</fieldset>`;
    }
    case 'single_choice':
      return `<fieldset><legend>${title}</legend><div class="choices">${question.options.map((option) => radio(option.id, option.label[locale])).join('')}</div></fieldset>`;
    case 'text': {
      const id = `fu-${escapeHtml(question.id)}`;
      return `<label for="${id}">${title}${question.required ? '' : ` ${escapeHtml(t.optional)}`}</label><textarea id="${id}" name="${escapeHtml(question.id)}" maxlength="${question.maxLength ?? 2000}"${required}></textarea>`;
    }
    default:
      return '';
  }
}

/** The follow-up survey's section: the form while it is open, the survey's thanks once answered. */
function followUpHtml(view: PublicCase, survey: SurveyDefinition | null, locale: Locale, api: string): string {
  if (!view.followUp || !survey) return '';
  const t = words[locale];
  const head = `<section aria-labelledby="follow-up-title" id="follow-up"><h2 id="follow-up-title">${escapeHtml(survey.title[locale])}</h2>`;
  if (view.followUp === 'answered') return `${head}<p data-testid="follow-up-thanks">${escapeHtml(survey.thankYou?.[locale] ?? '')}</p></section>`;
  // The response id is made here, once per page: a retried send stores one response.
  return `${head}${survey.intro ? `<p class="hint">${escapeHtml(survey.intro[locale])}</p>` : ''}
<form method="post" data-post="${escapeHtml(`${api}/follow-up`)}" data-answers data-sending="${escapeHtml(t.sending)}" data-failed="${escapeHtml(t.failed)}" data-testid="follow-up-form">
<input type="hidden" name="id" value="${randomUUID()}">${survey.questions.map((question) => questionHtml(question, locale)).join('')}
<button type="submit">${escapeHtml(t.send)}</button><p class="error" role="alert" data-error></p></form></section>`;
}

const style = `*{box-sizing:border-box}body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;line-height:1.55;color:#1f2933;background:#f5f7fa}
main{max-width:36rem;margin:0 auto;padding:1rem}header{display:flex;justify-content:space-between;align-items:baseline;gap:1rem}
h1{font-size:1.4rem;margin:.5rem 0}h2{font-size:1.05rem;margin:0 0 .5rem}section{background:#fff;border:1px solid #d9e2ec;border-radius:8px;padding:1rem;margin:0 0 1rem}
.ref{font:600 1.6rem/1.2 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.06em;margin:.25rem 0;word-break:break-all}.hint{color:#52606d;font-size:.9rem;margin:0 0 .25rem}
.status{font-size:1.15rem;font-weight:600;margin:0 0 .5rem}ol{list-style:none;margin:0;padding:0}li{padding:.6rem 0;border-top:1px solid #e4e7eb}li:first-child{border-top:0}
time{display:block;color:#52606d;font-size:.85rem}.body{white-space:pre-wrap;overflow-wrap:anywhere;margin:.25rem 0 0}.you strong{color:#1d4ed8}
label{display:block;font-weight:600;margin:0 0 .25rem}textarea{display:block;width:100%;min-height:7rem;font:inherit;padding:.5rem;border:1px solid #7b8794;border-radius:6px}
button{font:inherit;min-height:44px;padding:.6rem 1.2rem;border-radius:6px;border:1px solid #1d4ed8;background:#1d4ed8;color:#fff;cursor:pointer;margin:.5rem .5rem 0 0}
button.secondary{background:#fff;color:#1d4ed8}button[disabled]{opacity:.6}.error{color:#b91c1c;font-weight:600}.buttons{display:flex;flex-wrap:wrap}
a{color:#1d4ed8;display:inline-block;min-height:44px;padding:.6rem 0;white-space:nowrap}`;

// The follow-up survey's radio groups, only on a page that shows them.
const surveyStyle = `fieldset{border:0;margin:0 0 1rem;padding:0;min-width:0}legend{font-weight:600;padding:0;margin:0 0 .4rem}.scale{display:flex;gap:.4rem}
.scale label,.choices label{font-weight:400;margin:0;min-height:44px;border:1px solid #7b8794;border-radius:6px;cursor:pointer}
.scale label{flex:1;display:flex;flex-direction:column;align-items:center;padding:.35rem 0}.choices label{display:flex;gap:.6rem;align-items:center;padding:.5rem .75rem;margin:0 0 .4rem}
label:has(:checked){border-color:#1d4ed8;background:#dbeafe}input[type=radio]{width:1.2rem;height:1.2rem;margin:0;accent-color:#1d4ed8}
.ends{display:flex;justify-content:space-between;gap:1rem;color:#52606d;font-size:.85rem;margin:.25rem 0 0}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}`;

// The public form's icon (web/respond.html), inline: the page asks for nothing else but its script.
const icon = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='7' fill='%231d4ed8'/%3E%3Cpath d='M9 16.5l4.5 4.5L23 11.5' fill='none' stroke='%23fff' stroke-width='3.4' stroke-linecap='round' stroke-linejoin='round'/%3E%3C/svg%3E";

function shell(locale: Locale, title: string, heading: string, body: string, switchTo?: string, extraStyle = ''): string {
  const t = words[locale];
  const other = switchTo === undefined ? '' : `<nav aria-label="${escapeHtml(t.language)}"><a href="${escapeHtml(switchTo)}" lang="${t.other.locale}" hreflang="${t.other.locale}">${escapeHtml(t.other.label)}</a></nav>`;
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow"><meta name="referrer" content="no-referrer">
<link rel="icon" href="${icon}"><title>${escapeHtml(title)}</title>
<style>${style}${extraStyle}</style></head><body><main><header><h1>${escapeHtml(heading)}</h1>${other}</header>${body}</main>
<script type="module" src="/c/status.js"></script></body></html>`;
}

/**
 * The page of a case, in `locale`; `token` is the page's own, for the forms' JSON endpoints; `survey` is the
 * follow-up survey's definition, needed when the view has a follow-up to show.
 */
export function statusPageHtml(view: PublicCase, locale: Locale, token: string, now = Date.now(), survey: SurveyDefinition | null = null): string {
  const t = words[locale];
  const api = `/api/public/cases/${encodeURIComponent(token)}`;
  const history = view.history.map((entry) => historyHtml(entry, locale, view.timeZone)).join('');
  const confirm = view.canConfirm
    ? `<section aria-labelledby="confirm-title"><h2 id="confirm-title">${escapeHtml(t.resolvedQuestion)}</h2>
<form method="post" data-post="${escapeHtml(`${api}/confirmation`)}" data-sending="${escapeHtml(t.sending)}" data-failed="${escapeHtml(t.failed)}" data-testid="confirm-form">
<label for="confirm-comment">${escapeHtml(t.commentLabel)}</label><textarea id="confirm-comment" name="comment" maxlength="2000"></textarea>
<div class="buttons"><button type="submit" name="resolved" value="true" data-testid="confirm-yes">${escapeHtml(t.yes)}</button>
<button type="submit" name="resolved" value="false" class="secondary" data-testid="confirm-no">${escapeHtml(t.no)}</button></div>
<p class="error" role="alert" data-error></p></form></section>`
    : '';
  const reply = view.canReply
    ? `<section aria-labelledby="reply-title"><h2 id="reply-title">${escapeHtml(t.replyLabel)}</h2>
<form method="post" data-post="${escapeHtml(`${api}/replies`)}" data-sending="${escapeHtml(t.sending)}" data-failed="${escapeHtml(t.failed)}" data-testid="reply-form">
<label for="reply-body">${escapeHtml(t.yourMessage)}</label><p class="hint" id="reply-hint">${escapeHtml(t.replyHint)}</p>
<textarea id="reply-body" name="body" required maxlength="5000" aria-describedby="reply-hint"></textarea>
<button type="submit" data-testid="reply-send">${escapeHtml(t.send)}</button><p class="error" role="alert" data-error></p></form>
<noscript><p class="hint">${escapeHtml(t.noScript)}</p></noscript></section>`
    : '';
  const stop = view.canStopContact
    ? `<section aria-labelledby="stop-title"><h2 id="stop-title">${escapeHtml(t.stopTitle)}</h2><p class="hint">${escapeHtml(t.stopHint)}</p>
<form method="post" data-post="${escapeHtml(`${api}/contact-consent`)}" data-sending="${escapeHtml(t.sending)}" data-failed="${escapeHtml(t.failed)}" data-testid="stop-form">
<button type="submit" name="consent" value="false" class="secondary">${escapeHtml(t.stop)}</button><p class="error" role="alert" data-error></p></form></section>`
    : '';
  const body = `<section aria-labelledby="ref-title"><h2 id="ref-title">${escapeHtml(t.reference)}</h2>
<p class="ref" data-testid="reference">${escapeHtml(view.reference)}</p><p class="hint">${escapeHtml(t.referenceHint)}</p></section>
<section aria-labelledby="status-title"><h2 id="status-title">${escapeHtml(t.status)}</h2>
<p class="status" data-testid="status">${escapeHtml(t.statusNow[view.status])}</p>
<h2>${escapeHtml(t.next)}</h2><p data-testid="next">${escapeHtml(nextText(view.next, locale, view.timeZone, now))}</p></section>
${confirm}${followUpHtml(view, survey, locale, api)}${reply}
<section aria-labelledby="history-title" id="history"><h2 id="history-title">${escapeHtml(t.history)}</h2><ol data-testid="history">${history}</ol></section>
<section aria-labelledby="told-title"><h2 id="told-title">${escapeHtml(t.told)}</h2>${paragraphs(view.description)}</section>${stop}`;
  const asking = view.followUp === 'open' && survey !== null;
  return shell(locale, `${t.title} ${view.reference}`, t.title, body, `?lang=${t.other.locale}`, asking ? `\n${surveyStyle}` : '');
}

/** The one page for a link that shows nothing: unknown, malformed or revoked alike. */
export function unknownCasePage(locale: Locale): string {
  const t = words[locale];
  return shell(locale, t.unknownTitle, t.unknownTitle, `<section><p>${escapeHtml(t.unknown)}</p></section>`);
}

/**
 * The page's script: sends a form's fields as JSON to its data-post address in the page's language, then
 * reloads the page to show the message in the history; a refusal is shown in the form, in the page's language.
 */
export const statusScript = `const lang = document.documentElement.lang;
for (const form of document.querySelectorAll('form[data-post]')) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = form.querySelector('[data-error]');
    const buttons = [...form.querySelectorAll('button')];
    let body = {};
    for (const [name, value] of new FormData(form)) body[name] = value;
    if (event.submitter && event.submitter.name) body[event.submitter.name] = event.submitter.value === 'true';
    // A survey's answers: a scale's choice is a number, an empty box no answer; the page made the response id.
    if ('answers' in form.dataset) {
      const { id, ...answers } = body;
      for (const name in answers) {
        if (answers[name] === '') delete answers[name];
        else if (form.elements[name] instanceof RadioNodeList && /^[0-9]+$/.test(answers[name])) answers[name] = Number(answers[name]);
      }
      body = { id, locale: lang, answers };
    }
    const label = event.submitter ? event.submitter.textContent : '';
    buttons.forEach((button) => (button.disabled = true));
    if (event.submitter) event.submitter.textContent = form.dataset.sending;
    error.textContent = '';
    try {
      const response = await fetch(form.dataset.post, { method: 'POST', headers: { 'content-type': 'application/json', 'x-locale': lang }, body: JSON.stringify(body) });
      const answer = await response.json().catch(() => ({}));
      // A reply long after the case closed opens a new one: its page is the one to follow.
      if (response.ok) return answer.newCase ? location.assign(answer.newCase.statusPath) : location.reload();
      // A survey's refusal names each answer that needs attention, in the page's language.
      const problems = Object.values(answer.questionErrors || {}).map((text) => text[lang] || text.en);
      error.textContent = [answer.error || form.dataset.failed, ...problems].join(' ');
    } catch {
      error.textContent = form.dataset.failed;
    }
    buttons.forEach((button) => (button.disabled = false));
    if (event.submitter) event.submitter.textContent = label;
  });
}
`;
