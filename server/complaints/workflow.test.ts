import { describe, expect, it } from 'vitest';
import { caseStatuses, type CaseActor, type CaseStatus } from './vocabulary.ts';
import { caseActions, nextState, refusals, type CaseAction, type WorkflowCase, type WorkflowContext } from './workflow.ts';

const day = 24 * 3600_000;
const now = Date.UTC(2026, 11, 7, 10);
const context: WorkflowContext = { now, by: 'staff', reopenWindowDays: 14, closeAfterDays: 7 };

/** A case in each status; resolved and closed ones finished 8 days ago: past auto-close, within the reopen window. */
function caseIn(status: CaseStatus, more: Partial<WorkflowCase> = {}): WorkflowCase {
  const finished = status === 'resolved' || status === 'closed';
  return {
    status,
    escalated: false,
    customerLeft: false,
    resolvedAt: finished ? now - 8 * day : null,
    closedAt: status === 'closed' ? now - 8 * day : null,
    ...more,
  };
}

/** Who takes each action in the table. */
const actorOf: Record<CaseAction, CaseActor> = {
  acknowledge: 'staff', start: 'staff', wait: 'staff', resume: 'staff', resolve: 'staff', close: 'staff', auto_close: 'system',
  reopen: 'staff', escalate: 'staff', merge: 'staff', customer_confirm: 'customer', customer_reject: 'customer',
  record_customer_left: 'staff', assign: 'staff', reply: 'staff', customer_reply: 'customer',
};

// Each cell: "<new status> <effects…>" when allowed, "!<refusal>" when refused (409 with that reason).
type Row = Record<CaseStatus, string>;
const table: Record<CaseAction, Row> = {
  acknowledge: { new: 'acknowledged first_response_met', acknowledged: '!alreadyAcknowledged', in_progress: '!alreadyAcknowledged', waiting: '!alreadyAcknowledged', resolved: '!resolved', closed: '!closed', merged: '!merged' },
  start: { new: 'in_progress', acknowledged: 'in_progress', in_progress: '!alreadyInProgress', waiting: '!waitingResume', resolved: '!resolved', closed: '!closed', merged: '!merged' },
  wait: { new: '!waitBeforeFirstResponse', acknowledged: 'waiting clock_paused', in_progress: 'waiting clock_paused', waiting: '!alreadyWaiting', resolved: '!resolved', closed: '!closed', merged: '!merged' },
  resume: { new: '!notWaiting', acknowledged: '!notWaiting', in_progress: '!notWaiting', waiting: 'in_progress clock_resumed', resolved: '!notWaiting', closed: '!closed', merged: '!merged' },
  resolve: {
    new: 'resolved clocks_stopped resolved_at_set follow_up_scheduled outcome_refreshed',
    acknowledged: 'resolved clocks_stopped resolved_at_set follow_up_scheduled outcome_refreshed',
    in_progress: 'resolved clocks_stopped resolved_at_set follow_up_scheduled outcome_refreshed',
    waiting: 'resolved clocks_stopped resolved_at_set follow_up_scheduled outcome_refreshed',
    resolved: '!alreadyResolved', closed: '!closed', merged: '!merged',
  },
  close: {
    new: 'closed clocks_stopped closed_at_set outcome_refreshed', acknowledged: 'closed clocks_stopped closed_at_set outcome_refreshed',
    in_progress: 'closed clocks_stopped closed_at_set outcome_refreshed', waiting: 'closed clocks_stopped closed_at_set outcome_refreshed',
    resolved: 'closed closed_at_set outcome_refreshed', closed: '!alreadyClosed', merged: '!merged',
  },
  auto_close: { new: '!autoCloseNotResolved', acknowledged: '!autoCloseNotResolved', in_progress: '!autoCloseNotResolved', waiting: '!autoCloseNotResolved', resolved: 'closed closed_at_set outcome_refreshed', closed: '!closed', merged: '!merged' },
  reopen: {
    new: '!stillOpen', acknowledged: '!stillOpen', in_progress: '!stillOpen', waiting: '!stillOpen',
    resolved: 'in_progress reopened follow_up_cancelled outcome_refreshed', closed: 'in_progress reopened follow_up_cancelled outcome_refreshed', merged: '!merged',
  },
  escalate: { new: 'new escalated', acknowledged: 'acknowledged escalated', in_progress: 'in_progress escalated', waiting: 'waiting escalated', resolved: 'resolved escalated', closed: '!closed', merged: '!merged' },
  merge: { new: 'merged clocks_stopped', acknowledged: 'merged clocks_stopped', in_progress: 'merged clocks_stopped', waiting: 'merged clocks_stopped', resolved: 'merged follow_up_cancelled', closed: 'merged follow_up_cancelled', merged: '!merged' },
  customer_confirm: {
    new: '!notResolvedYet', acknowledged: '!notResolvedYet', in_progress: '!notResolvedYet', waiting: '!notResolvedYet',
    resolved: 'closed confirmed_resolved closed_at_set outcome_refreshed', closed: 'closed confirmed_resolved outcome_refreshed', merged: '!merged',
  },
  customer_reject: {
    new: '!notResolvedYet', acknowledged: '!notResolvedYet', in_progress: '!notResolvedYet', waiting: '!notResolvedYet',
    resolved: 'in_progress confirmed_unresolved reopened follow_up_cancelled outcome_refreshed next_response_started',
    closed: 'in_progress confirmed_unresolved reopened follow_up_cancelled outcome_refreshed next_response_started',
    merged: '!merged',
  },
  record_customer_left: {
    new: 'new customer_left outcome_refreshed', acknowledged: 'acknowledged customer_left outcome_refreshed', in_progress: 'in_progress customer_left outcome_refreshed',
    waiting: 'waiting customer_left outcome_refreshed', resolved: 'resolved customer_left outcome_refreshed', closed: 'closed customer_left outcome_refreshed', merged: '!merged',
  },
  assign: { new: 'new', acknowledged: 'acknowledged', in_progress: 'in_progress', waiting: 'waiting', resolved: 'resolved', closed: '!closed', merged: '!merged' },
  reply: { new: 'acknowledged first_response_met', acknowledged: 'acknowledged next_response_met', in_progress: 'in_progress next_response_met', waiting: 'waiting next_response_met', resolved: 'resolved next_response_met', closed: '!closed', merged: '!merged' },
  customer_reply: {
    new: 'new', acknowledged: 'acknowledged next_response_started', in_progress: 'in_progress next_response_started', waiting: 'in_progress clock_resumed next_response_started',
    resolved: 'in_progress reopened follow_up_cancelled outcome_refreshed next_response_started', closed: 'in_progress reopened follow_up_cancelled outcome_refreshed next_response_started',
    merged: '!merged',
  },
};

describe('case workflow', () => {
  it('has a row for every action', () => {
    expect(Object.keys(table).sort()).toEqual([...caseActions].sort());
  });

  for (const action of caseActions) {
    for (const status of caseStatuses) {
      const cell = table[action][status];
      it(`${action} on a ${status} case: ${cell}`, () => {
        const result = nextState(caseIn(status), action, { ...context, by: actorOf[action] });
        if (cell.startsWith('!')) {
          const reason = refusals[cell.slice(1) as keyof typeof refusals];
          expect(result).toEqual({ ok: false, reason: typeof reason === 'function' ? reason(0) : reason });
        } else {
          const [to, ...effects] = cell.split(' ');
          expect(result).toEqual({ ok: true, status: to, effects });
        }
      });
    }
  }

  it('gives every refusal in both languages', () => {
    for (const [key, reason] of Object.entries(refusals)) {
      const text = typeof reason === 'function' ? reason(7) : reason;
      expect(text.en, key).toMatch(/\w/);
      expect(text['zh-CN'], key).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('refuses to resolve a closed case, saying to reopen it first', () => {
    expect(nextState(caseIn('closed'), 'resolve', context)).toEqual({
      ok: false,
      reason: { en: 'This case is closed; reopen it first.', 'zh-CN': '此案件已关闭，请先重新打开。' },
    });
  });

  describe('the reopen window', () => {
    const lateResolved = caseIn('resolved', { resolvedAt: now - 15 * day });
    const lateClosed = caseIn('closed', { resolvedAt: now - 30 * day, closedAt: now - 15 * day });
    const edge = caseIn('closed', { resolvedAt: now - 20 * day, closedAt: now - 14 * day });

    it('reopens on a customer reply up to reopenWindowDays after the case was last resolved or closed', () => {
      expect(nextState(edge, 'customer_reply', { ...context, by: 'customer' })).toMatchObject({ ok: true, status: 'in_progress' });
      expect(nextState(edge, 'reopen', { ...context, by: 'customer' })).toMatchObject({ ok: true, status: 'in_progress' });
    });

    it('opens a new linked case for a reply after the window, leaving this one as it is', () => {
      for (const item of [lateResolved, lateClosed]) {
        expect(nextState(item, 'customer_reply', { ...context, by: 'customer' })).toEqual({ ok: true, status: item.status, effects: ['linked_case_opened'] });
        expect(nextState(item, 'reopen', { ...context, by: 'customer' })).toEqual({ ok: false, reason: refusals.windowPassed(14) });
      }
    });

    it('records a late "not resolved" without reopening', () => {
      expect(nextState(lateClosed, 'customer_reject', { ...context, by: 'customer' })).toEqual({ ok: true, status: 'closed', effects: ['confirmed_unresolved', 'outcome_refreshed'] });
    });

    it('lets staff reopen by hand at any time', () => {
      expect(nextState(lateClosed, 'reopen', context)).toMatchObject({ ok: true, status: 'in_progress' });
    });

    it('counts the window in the settings given', () => {
      expect(nextState(lateResolved, 'customer_reply', { ...context, by: 'customer', reopenWindowDays: 30 })).toMatchObject({ status: 'in_progress' });
    });
  });

  describe('closing by itself', () => {
    it('waits closeAfterDays after resolving', () => {
      const recent = caseIn('resolved', { resolvedAt: now - 6 * day });
      expect(nextState(recent, 'auto_close', { ...context, by: 'system' })).toEqual({ ok: false, reason: refusals.autoCloseEarly(7) });
      expect(nextState(recent, 'auto_close', { ...context, by: 'system', closeAfterDays: 6 })).toMatchObject({ ok: true, status: 'closed' });
    });

    it('is the system\'s alone', () => {
      expect(nextState(caseIn('resolved'), 'auto_close', context)).toEqual({ ok: false, reason: refusals.systemOnly });
    });
  });

  it('escalates once; a missed deadline escalates as the system', () => {
    expect(nextState(caseIn('in_progress', { escalated: true }), 'escalate', context)).toEqual({ ok: false, reason: refusals.alreadyEscalated });
    expect(nextState(caseIn('in_progress'), 'escalate', { ...context, by: 'system' })).toEqual({ ok: true, status: 'in_progress', effects: ['escalated'] });
    expect(nextState(caseIn('in_progress'), 'escalate', { ...context, by: 'customer' })).toEqual({ ok: false, reason: refusals.staffOnly });
  });

  it('records a customer who left once', () => {
    expect(nextState(caseIn('closed', { customerLeft: true }), 'record_customer_left', context)).toEqual({ ok: false, reason: refusals.alreadyLeft });
  });

  it('keeps staff verbs from the customer and the customer\'s from staff', () => {
    expect(nextState(caseIn('in_progress'), 'resolve', { ...context, by: 'customer' })).toEqual({ ok: false, reason: refusals.staffOnly });
    expect(nextState(caseIn('resolved'), 'customer_confirm', context)).toEqual({ ok: false, reason: refusals.customerOnly });
    expect(nextState(caseIn('in_progress'), 'customer_reply', context)).toEqual({ ok: false, reason: refusals.customerOnly });
  });
});
