import { describe, expect, it } from 'vitest';
import { recoveryOutcome, tarpCell, tarpTable, type RecoveryFacts } from './recovery.ts';

const quick: RecoveryFacts = {
  status: 'closed',
  severity: 'minor',
  deadlinesMissed: [],
  handlingScore: 5,
  reopenCount: 0,
  reopenedWithin14Days: false,
  customerConfirmed: true,
  closedWithoutConfirmation: false,
  customerLeft: false,
  resolvedAnswer: 'yes',
};

describe('recoveryOutcome', () => {
  const cases: [string, Partial<RecoveryFacts>, string | null][] = [
    ['within its deadlines, handling 5, not reopened', {}, 'resolved_quickly'],
    ['handling exactly 4', { handlingScore: 4 }, 'resolved_quickly'],
    ['resolved and not yet closed', { status: 'resolved' }, 'resolved_quickly'],
    ['reopened once, but not within 14 days', { reopenCount: 1 }, 'resolved_quickly'],
    ['no confirmation given on the status page', { customerConfirmed: null }, 'resolved_quickly'],
    ['a deadline missed', { deadlinesMissed: ['first_response'] }, 'resolved'],
    ['handling 3', { handlingScore: 3 }, 'resolved'],
    ['no follow-up answer yet', { handlingScore: null, resolvedAnswer: null }, 'resolved'],
    ['reopened within 14 days', { reopenCount: 1, reopenedWithin14Days: true }, 'resolved'],
    ['answered "partly resolved"', { resolvedAnswer: 'partly' }, 'resolved'],
    ['handling 2', { handlingScore: 2 }, 'unresolved'],
    ['handling 1 and everything else fine', { handlingScore: 1 }, 'unresolved'],
    ['reopened twice', { reopenCount: 2, reopenedWithin14Days: true }, 'unresolved'],
    ['reopened twice, even with handling 5', { reopenCount: 2 }, 'unresolved'],
    ['closed without confirmation', { closedWithoutConfirmation: true }, 'unresolved'],
    ['the customer said it is not resolved', { customerConfirmed: false }, 'unresolved'],
    ['the follow-up answer says not resolved', { resolvedAnswer: 'no' }, 'unresolved'],
    ['the customer left, on a closed case', { customerLeft: true }, 'unresolved'],
    ['the customer left while the case is open', { status: 'in_progress', customerLeft: true, handlingScore: null }, 'unresolved'],
    ['still open', { status: 'in_progress' }, null],
    ['new', { status: 'new', handlingScore: null }, null],
    ['waiting on the customer', { status: 'waiting', handlingScore: 1 }, null],
    ['merged into another case', { status: 'merged', customerLeft: true }, null],
  ];
  it.each(cases)('%s → %s', (_, change, outcome) => {
    expect(recoveryOutcome({ ...quick, ...change })).toBe(outcome);
  });
});

describe('the TARP table', () => {
  it('holds the published shares who buy again (DOMAIN.md)', () => {
    expect(tarpTable).toEqual({
      minor: { notComplained: 0.37, notSatisfied: 0.46, satisfied: 0.7, satisfiedQuickly: 0.95 },
      major: { notComplained: 0.09, notSatisfied: 0.19, satisfied: 0.54, satisfiedQuickly: 0.82 },
    });
  });

  const cells: ['minor' | 'major', 'unresolved' | 'resolved' | 'resolved_quickly', number][] = [
    ['minor', 'unresolved', 0.46],
    ['minor', 'resolved', 0.7],
    ['minor', 'resolved_quickly', 0.95],
    ['major', 'unresolved', 0.19],
    ['major', 'resolved', 0.54],
    ['major', 'resolved_quickly', 0.82],
  ];
  it.each(cells)('a %s problem %s: %s buy again', (severity, outcome, share) => {
    expect(tarpCell(severity, outcome)).toBe(share);
  });
});
