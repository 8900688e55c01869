// The life of a complaint case as pure rules: which action a case in a given status takes, the status it
// moves to and what else changes with it (the effects the service carries out in the same transaction), or
// why it is refused, in both languages (a 409 at the API).
import type { LocalizedText } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';
import { openCaseStatuses, type CaseActor, type CaseStatus } from './vocabulary.ts';

/**
 * What can be done to a case. Staff: acknowledge, start, wait, resume, resolve, close, reopen (by hand, at any
 * time), escalate, merge, record_customer_left, assign, reply. The customer: customer_reply (a reply by email
 * or on the status page; reopens a resolved or closed case within the reopen window), customer_confirm,
 * customer_reject (on the status page). The system: auto_close, escalate (a missed deadline).
 */
export const caseActions = [
  'acknowledge',
  'start',
  'wait',
  'resume',
  'resolve',
  'close',
  'auto_close',
  'reopen',
  'escalate',
  'merge',
  'customer_confirm',
  'customer_reject',
  'record_customer_left',
  'assign',
  'reply',
  'customer_reply',
] as const;
export type CaseAction = (typeof caseActions)[number];

/** The actions an agent picks from on the case page (POST …/transitions); the others have routes or callers of their own. */
export const staffTransitions = ['acknowledge', 'start', 'wait', 'resume', 'resolve', 'close', 'reopen', 'escalate', 'record_customer_left'] as const satisfies readonly CaseAction[];
export type StaffTransition = (typeof staffTransitions)[number];

/**
 * What changes besides the status, carried out by the service in the same transaction:
 * - first_response_met: firstRespondedAt = now, the first-response clock stops.
 * - next_response_started / next_response_met: the customer wrote and awaits an answer / an agent answered.
 * - clock_paused / clock_resumed: waiting on the customer pauses every deadline; resuming moves them later by the pause.
 * - clocks_stopped: no deadline runs any more (resolved, closed, merged).
 * - reopened: reopenCount + 1, resolvedAt and closedAt cleared, a new resolution deadline from now.
 * - resolved_at_set / closed_at_set: the time is recorded.
 * - follow_up_scheduled / follow_up_cancelled: the post-resolution survey for this resolution cycle.
 * - escalated: the escalation flag is raised (with an event).
 * - customer_left, confirmed_resolved, confirmed_unresolved: recorded on the case.
 * - linked_case_opened: too late to reopen; a new case is opened pointing at this one (previousCaseId).
 * - outcome_refreshed: the recovery outcome is computed again.
 */
export const workflowEffects = [
  'first_response_met',
  'next_response_started',
  'next_response_met',
  'clock_paused',
  'clock_resumed',
  'clocks_stopped',
  'reopened',
  'resolved_at_set',
  'closed_at_set',
  'follow_up_scheduled',
  'follow_up_cancelled',
  'escalated',
  'customer_left',
  'confirmed_resolved',
  'confirmed_unresolved',
  'linked_case_opened',
  'outcome_refreshed',
] as const;
export type WorkflowEffect = (typeof workflowEffects)[number];

/** The parts of a case the rules look at. */
export interface WorkflowCase {
  status: CaseStatus;
  escalated: boolean;
  customerLeft: boolean;
  resolvedAt: number | null;
  closedAt: number | null;
}

export interface WorkflowContext {
  /** Epoch ms. */
  now: number;
  /** Who acts: staff may reopen at any time; a customer's reply reopens only within the window. */
  by: CaseActor;
  reopenWindowDays: number;
  closeAfterDays: number;
}

export type WorkflowResult = { ok: true; status: CaseStatus; effects: WorkflowEffect[] } | { ok: false; reason: LocalizedText };

const dayMs = 24 * 3600_000;

const isOpen = (status: CaseStatus) => (openCaseStatuses as readonly string[]).includes(status);
const isFinished = (status: CaseStatus) => status === 'resolved' || status === 'closed';

export const refusals = {
  closed: bilingual('This case is closed; reopen it first.', '此案件已关闭，请先重新打开。'),
  resolved: bilingual('This case is resolved; reopen it first.', '此案件已解决，请先重新打开。'),
  merged: bilingual('This case was merged into another case; work on that case instead.', '此案件已合并到另一个案件，请在那个案件上处理。'),
  alreadyAcknowledged: bilingual('The first response has already been sent.', '已经发送过首次回复。'),
  alreadyInProgress: bilingual('This case is already in progress.', '此案件已在处理中。'),
  waitingResume: bilingual('This case is waiting on the customer; resume it instead.', '此案件正在等待客户，请改为“继续处理”。'),
  waitBeforeFirstResponse: bilingual(
    'Send the customer a first response before waiting on them.',
    '请先给客户发送首次回复，再等待客户。',
  ),
  alreadyWaiting: bilingual('This case is already waiting on the customer.', '此案件已在等待客户。'),
  notWaiting: bilingual('This case is not waiting on the customer, so there is nothing to resume.', '此案件没有在等待客户，无需继续。'),
  alreadyResolved: bilingual('This case is already resolved.', '此案件已经解决。'),
  alreadyClosed: bilingual('This case is already closed.', '此案件已经关闭。'),
  autoCloseNotResolved: bilingual('Only a resolved case closes by itself.', '只有已解决的案件才会自动关闭。'),
  stillOpen: bilingual('This case is still open; there is nothing to reopen.', '此案件仍在处理中，无需重新打开。'),
  alreadyEscalated: bilingual('This case is already escalated.', '此案件已经升级。'),
  notResolvedYet: bilingual(
    'This case is not resolved yet, so there is nothing to confirm.',
    '此案件尚未解决，无需确认。',
  ),
  alreadyLeft: bilingual('That the customer left is already recorded.', '已经记录了客户流失。'),
  staffOnly: bilingual('Only staff can do this to a case.', '只有员工才能对案件执行此操作。'),
  customerOnly: bilingual('Only the customer can do this.', '只有客户本人才能执行此操作。'),
  systemOnly: bilingual('Only the system closes cases by itself.', '只有系统会自动关闭案件。'),
  autoCloseEarly: (days: number) =>
    bilingual(
      `A resolved case closes by itself ${days} days after it was resolved, and that time has not passed yet.`,
      `已解决的案件在解决 ${days} 天后才会自动关闭，时间未到。`,
    ),
  windowPassed: (days: number) =>
    bilingual(
      `More than ${days} days have passed since this case was resolved, so it is not reopened; a new case linked to it is opened instead.`,
      `此案件解决已超过 ${days} 天，不再重新打开；将另开一个与之关联的新案件。`,
    ),
};

const allow = (status: CaseStatus, effects: WorkflowEffect[] = []): WorkflowResult => ({ ok: true, status, effects });
const refuse = (reason: LocalizedText): WorkflowResult => ({ ok: false, reason });

/** Refuses work on a closed or merged case, the two states nothing but a reopen (or nothing at all) leaves. */
function finishedRefusal(status: CaseStatus): WorkflowResult | null {
  if (status === 'merged') return refuse(refusals.merged);
  if (status === 'closed') return refuse(refusals.closed);
  return null;
}

/** Whether a customer's reply now still falls in the reopen window, counted from when the case was last finished. */
export function withinReopenWindow(item: Pick<WorkflowCase, 'resolvedAt' | 'closedAt'>, now: number, reopenWindowDays: number): boolean {
  const finishedAt = Math.max(item.resolvedAt ?? 0, item.closedAt ?? 0);
  return now - finishedAt <= reopenWindowDays * dayMs;
}

/** When a resolved case closes by itself. */
export function autoCloseAt(resolvedAt: number, closeAfterDays: number): number {
  return resolvedAt + closeAfterDays * dayMs;
}

const reopenEffects: WorkflowEffect[] = ['reopened', 'follow_up_cancelled', 'outcome_refreshed'];

/** The next state of a case for an action, or why it is refused. */
export function nextState(item: WorkflowCase, action: CaseAction, context: WorkflowContext): WorkflowResult {
  const { status } = item;
  const byStaff = context.by === 'staff';
  const byCustomer = context.by === 'customer';
  switch (action) {
    case 'acknowledge': {
      if (!byStaff) return refuse(refusals.staffOnly);
      if (status === 'new') return allow('acknowledged', ['first_response_met']);
      return finishedRefusal(status) ?? (status === 'resolved' ? refuse(refusals.resolved) : refuse(refusals.alreadyAcknowledged));
    }
    case 'start': {
      if (!byStaff) return refuse(refusals.staffOnly);
      if (status === 'new' || status === 'acknowledged') return allow('in_progress');
      if (status === 'in_progress') return refuse(refusals.alreadyInProgress);
      if (status === 'waiting') return refuse(refusals.waitingResume);
      return finishedRefusal(status) ?? refuse(refusals.resolved);
    }
    case 'wait': {
      if (!byStaff) return refuse(refusals.staffOnly);
      if (status === 'acknowledged' || status === 'in_progress') return allow('waiting', ['clock_paused']);
      if (status === 'new') return refuse(refusals.waitBeforeFirstResponse);
      if (status === 'waiting') return refuse(refusals.alreadyWaiting);
      return finishedRefusal(status) ?? refuse(refusals.resolved);
    }
    case 'resume': {
      if (!byStaff) return refuse(refusals.staffOnly);
      if (status === 'waiting') return allow('in_progress', ['clock_resumed']);
      return finishedRefusal(status) ?? refuse(refusals.notWaiting);
    }
    case 'resolve': {
      if (!byStaff) return refuse(refusals.staffOnly);
      if (isOpen(status)) return allow('resolved', ['clocks_stopped', 'resolved_at_set', 'follow_up_scheduled', 'outcome_refreshed']);
      return finishedRefusal(status) ?? refuse(refusals.alreadyResolved);
    }
    case 'close': {
      if (!byStaff) return refuse(refusals.staffOnly);
      if (status === 'resolved') return allow('closed', ['closed_at_set', 'outcome_refreshed']);
      if (isOpen(status)) return allow('closed', ['clocks_stopped', 'closed_at_set', 'outcome_refreshed']);
      if (status === 'closed') return refuse(refusals.alreadyClosed);
      return refuse(refusals.merged);
    }
    case 'auto_close': {
      if (context.by !== 'system') return refuse(refusals.systemOnly);
      if (status !== 'resolved') return finishedRefusal(status) ?? refuse(refusals.autoCloseNotResolved);
      if (item.resolvedAt === null || context.now < autoCloseAt(item.resolvedAt, context.closeAfterDays)) {
        return refuse(refusals.autoCloseEarly(context.closeAfterDays));
      }
      return allow('closed', ['closed_at_set', 'outcome_refreshed']);
    }
    case 'reopen': {
      if (status === 'merged') return refuse(refusals.merged);
      if (!isFinished(status)) return refuse(refusals.stillOpen);
      if (byStaff) return allow('in_progress', reopenEffects);
      if (!byCustomer) return refuse(refusals.staffOnly);
      if (!withinReopenWindow(item, context.now, context.reopenWindowDays)) return refuse(refusals.windowPassed(context.reopenWindowDays));
      return allow('in_progress', [...reopenEffects, 'next_response_started']);
    }
    case 'escalate': {
      if (byCustomer) return refuse(refusals.staffOnly);
      const finished = finishedRefusal(status);
      if (finished) return finished;
      if (item.escalated) return refuse(refusals.alreadyEscalated);
      return allow(status, ['escalated']);
    }
    case 'merge': {
      if (!byStaff) return refuse(refusals.staffOnly);
      if (status === 'merged') return refuse(refusals.merged);
      return allow('merged', isFinished(status) ? ['follow_up_cancelled'] : ['clocks_stopped']);
    }
    case 'customer_confirm': {
      if (!byCustomer) return refuse(refusals.customerOnly);
      if (status === 'merged') return refuse(refusals.merged);
      if (status === 'resolved') return allow('closed', ['confirmed_resolved', 'closed_at_set', 'outcome_refreshed']);
      if (status === 'closed') return allow('closed', ['confirmed_resolved', 'outcome_refreshed']);
      return refuse(refusals.notResolvedYet);
    }
    case 'customer_reject': {
      if (!byCustomer) return refuse(refusals.customerOnly);
      if (status === 'merged') return refuse(refusals.merged);
      if (!isFinished(status)) return refuse(refusals.notResolvedYet);
      // Too late to reopen: the answer is recorded and counts against the outcome.
      if (!withinReopenWindow(item, context.now, context.reopenWindowDays)) return allow(status, ['confirmed_unresolved', 'outcome_refreshed']);
      return allow('in_progress', ['confirmed_unresolved', ...reopenEffects, 'next_response_started']);
    }
    case 'record_customer_left': {
      if (!byStaff) return refuse(refusals.staffOnly);
      if (status === 'merged') return refuse(refusals.merged);
      if (item.customerLeft) return refuse(refusals.alreadyLeft);
      return allow(status, ['customer_left', 'outcome_refreshed']);
    }
    case 'assign': {
      if (byCustomer) return refuse(refusals.staffOnly);
      return finishedRefusal(status) ?? allow(status);
    }
    case 'reply': {
      if (!byStaff) return refuse(refusals.staffOnly);
      const finished = finishedRefusal(status);
      if (finished) return finished;
      if (status === 'new') return allow('acknowledged', ['first_response_met']);
      return allow(status, ['next_response_met']);
    }
    case 'customer_reply': {
      if (!byCustomer) return refuse(refusals.customerOnly);
      if (status === 'merged') return refuse(refusals.merged);
      // Before the first response, the first-response deadline already covers the customer's wait.
      if (status === 'new') return allow('new');
      if (status === 'waiting') return allow('in_progress', ['clock_resumed', 'next_response_started']);
      if (isOpen(status)) return allow(status, ['next_response_started']);
      if (withinReopenWindow(item, context.now, context.reopenWindowDays)) return allow('in_progress', [...reopenEffects, 'next_response_started']);
      return allow(status, ['linked_case_opened']);
    }
  }
}
