import { describe, expect, it } from 'vitest';
import { decideConsent, initialChanges, mayUndoCustomerWithdrawal, withdrawnByCustomer, type ConsentState } from './consent.ts';
import type { ConsentFact, ConsentSource } from './vocabulary.ts';

const none: ConsentState = { consents: {}, doNotContact: false, doNotCall: false, objectsToProfiling: false };
const emailSurvey: ConsentState = { consents: { email: ['survey'] }, doNotContact: false, doNotCall: false, objectsToProfiling: false };

describe('who may undo a withdrawal the customer made', () => {
  it.each<[ConsentSource, boolean, boolean]>([
    ['import', false, false],
    ['import', true, false],
    ['api', false, false],
    ['api', true, true],
    ['staff', false, false],
    ['staff', true, true],
    ['form', false, true],
    ['unsubscribe', false, false],
  ])('%s (renewed explicitly: %s) → %s', (source, renewed, allowed) => {
    expect(mayUndoCustomerWithdrawal(source, renewed)).toBe(allowed);
  });
});

describe('which withdrawals are the customer’s', () => {
  it('takes the latest change of each fact: a withdrawal at the customer’s request holds, one by staff alone does not', () => {
    expect(
      withdrawnByCustomer([
        { fact: 'email.survey', newValue: false, customerRequest: true },
        { fact: 'phone.survey', newValue: false, customerRequest: false },
        { fact: 'do_not_contact', newValue: true, customerRequest: true },
        { fact: 'do_not_call', newValue: false, customerRequest: true },
        { fact: 'post.survey', newValue: true, customerRequest: true },
      ]),
    ).toEqual(new Set(['email.survey', 'do_not_contact']));
  });
});

describe('deciding a change of consent', () => {
  const held = (...facts: ConsentFact[]) => new Set<ConsentFact>(facts);
  const cases: {
    name: string;
    current: ConsentState;
    proposed: ConsentState;
    source: ConsentSource;
    heldByCustomer: Set<ConsentFact>;
    renewed?: Set<ConsentFact>;
    customerRequest?: boolean;
    next: ConsentState;
    kept: ConsentFact[];
    changes: { fact: ConsentFact; oldValue: boolean; newValue: boolean; customerRequest: boolean }[];
  }[] = [
    {
      name: 'an import gives back consent the customer withdrew: kept withdrawn',
      current: none,
      proposed: emailSurvey,
      source: 'import',
      heldByCustomer: held('email.survey'),
      next: none,
      kept: ['email.survey'],
      changes: [],
    },
    {
      name: 'an import gives consent staff alone withdrew: given',
      current: none,
      proposed: emailSurvey,
      source: 'import',
      heldByCustomer: held(),
      next: emailSurvey,
      kept: [],
      changes: [{ fact: 'email.survey', oldValue: false, newValue: true, customerRequest: false }],
    },
    {
      name: 'the API without a renewal: kept withdrawn, the rest applies',
      current: { consents: {}, doNotContact: true, doNotCall: false, objectsToProfiling: false },
      proposed: { consents: { email: ['survey'], phone: ['survey'] }, doNotContact: false, doNotCall: false, objectsToProfiling: false },
      source: 'api',
      heldByCustomer: held('email.survey', 'do_not_contact'),
      next: { consents: { phone: ['survey'] }, doNotContact: true, doNotCall: false, objectsToProfiling: false },
      kept: ['email.survey', 'do_not_contact'],
      changes: [{ fact: 'phone.survey', oldValue: false, newValue: true, customerRequest: false }],
    },
    {
      name: 'the API with an explicit renewal: given again, as the customer’s doing',
      current: none,
      proposed: emailSurvey,
      source: 'api',
      heldByCustomer: held('email.survey'),
      renewed: held('email.survey'),
      next: emailSurvey,
      kept: [],
      changes: [{ fact: 'email.survey', oldValue: false, newValue: true, customerRequest: true }],
    },
    {
      name: 'staff with the renewal for another fact only: this one stays withdrawn',
      current: none,
      proposed: { consents: { email: ['survey', 'marketing'] }, doNotContact: false, doNotCall: false, objectsToProfiling: false },
      source: 'staff',
      heldByCustomer: held('email.survey', 'email.marketing'),
      renewed: held('email.marketing'),
      next: { consents: { email: ['marketing'] }, doNotContact: false, doNotCall: false, objectsToProfiling: false },
      kept: ['email.survey'],
      changes: [{ fact: 'email.marketing', oldValue: false, newValue: true, customerRequest: true }],
    },
    {
      name: 'staff withdraw at the customer’s request: recorded as the customer’s',
      current: emailSurvey,
      proposed: { consents: {}, doNotContact: true, doNotCall: false, objectsToProfiling: false },
      source: 'staff',
      heldByCustomer: held(),
      customerRequest: true,
      next: { consents: {}, doNotContact: true, doNotCall: false, objectsToProfiling: false },
      kept: [],
      changes: [
        { fact: 'email.survey', oldValue: true, newValue: false, customerRequest: true },
        { fact: 'do_not_contact', oldValue: false, newValue: true, customerRequest: true },
      ],
    },
    {
      name: 'staff withdraw of their own accord: not the customer’s',
      current: emailSurvey,
      proposed: none,
      source: 'staff',
      heldByCustomer: held(),
      next: none,
      kept: [],
      changes: [{ fact: 'email.survey', oldValue: true, newValue: false, customerRequest: false }],
    },
    {
      name: 'an import withdraws: always applied, never counted as the customer’s own request',
      current: emailSurvey,
      proposed: { consents: {}, doNotContact: false, doNotCall: true, objectsToProfiling: false },
      source: 'import',
      heldByCustomer: held(),
      customerRequest: true,
      next: { consents: {}, doNotContact: false, doNotCall: true, objectsToProfiling: false },
      kept: [],
      changes: [
        { fact: 'email.survey', oldValue: true, newValue: false, customerRequest: false },
        { fact: 'do_not_call', oldValue: false, newValue: true, customerRequest: false },
      ],
    },
    {
      name: 'the customer ticks consent on a form: given again',
      current: none,
      proposed: emailSurvey,
      source: 'form',
      heldByCustomer: held('email.survey'),
      next: emailSurvey,
      kept: [],
      changes: [{ fact: 'email.survey', oldValue: false, newValue: true, customerRequest: true }],
    },
    {
      name: 'the unsubscribe link withdraws, as the customer’s request',
      current: { consents: { email: ['survey', 'follow_up'] }, doNotContact: false, doNotCall: false, objectsToProfiling: false },
      proposed: { consents: { email: ['follow_up'] }, doNotContact: false, doNotCall: false, objectsToProfiling: false },
      source: 'unsubscribe',
      heldByCustomer: held(),
      next: { consents: { email: ['follow_up'] }, doNotContact: false, doNotCall: false, objectsToProfiling: false },
      kept: [],
      changes: [{ fact: 'email.survey', oldValue: true, newValue: false, customerRequest: true }],
    },
    {
      name: 'an objection to profiling the customer made stays against an import and an integration that send "no"',
      current: { ...emailSurvey, objectsToProfiling: true },
      proposed: emailSurvey,
      source: 'import',
      heldByCustomer: held('objects_to_profiling'),
      next: { ...emailSurvey, objectsToProfiling: true },
      kept: ['objects_to_profiling'],
      changes: [],
    },
    {
      name: 'an objection to profiling staff recorded on their own: an integration may lift it',
      current: { ...emailSurvey, objectsToProfiling: true },
      proposed: emailSurvey,
      source: 'api',
      heldByCustomer: held(),
      next: emailSurvey,
      kept: [],
      changes: [{ fact: 'objects_to_profiling', oldValue: true, newValue: false, customerRequest: false }],
    },
    {
      name: 'the customer objects to profiling through staff: recorded as the customer’s',
      current: emailSurvey,
      proposed: { ...emailSurvey, objectsToProfiling: true },
      source: 'staff',
      heldByCustomer: held(),
      customerRequest: true,
      next: { ...emailSurvey, objectsToProfiling: true },
      kept: [],
      changes: [{ fact: 'objects_to_profiling', oldValue: false, newValue: true, customerRequest: true }],
    },
    {
      name: 'nothing changed: nothing recorded, nothing kept',
      current: emailSurvey,
      proposed: emailSurvey,
      source: 'import',
      heldByCustomer: held('phone.survey'),
      next: emailSurvey,
      kept: [],
      changes: [],
    },
  ];
  it.each(cases)('$name', ({ name: _name, next, kept, changes, ...proposal }) => {
    expect(decideConsent(proposal)).toEqual({ next, kept, changes });
  });
});

describe('a new customer’s consent', () => {
  it('records each consent given and each flag set, from nothing', () => {
    expect(initialChanges({ consents: { email: ['survey'], post: ['marketing'] }, doNotContact: false, doNotCall: true, objectsToProfiling: false }, { source: 'import' })).toEqual([
      { fact: 'email.survey', oldValue: false, newValue: true, customerRequest: false },
      { fact: 'post.marketing', oldValue: false, newValue: true, customerRequest: false },
      { fact: 'do_not_call', oldValue: false, newValue: true, customerRequest: false },
    ]);
    expect(initialChanges({ consents: {}, doNotContact: true, doNotCall: false, objectsToProfiling: false }, { source: 'staff', customerRequest: true })).toEqual([
      { fact: 'do_not_contact', oldValue: false, newValue: true, customerRequest: true },
    ]);
  });
});
