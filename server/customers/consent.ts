// The consent rule, pure: which changes to a customer's consent a source may make. A withdrawal the customer
// made (the unsubscribe link, a request staff recorded for them) stays until the customer consents again, and
// only a change that says so (with how the customer gave it) can undo it; an import or an integration that
// merely sends the old value again cannot. Staff may withdraw anything at any time. No I/O.
import {
  consentFacts,
  consentFlags,
  contactChannels,
  contactPurposes,
  type ConsentFact,
  type ConsentFlag,
  type ConsentSource,
  type Consents,
} from './vocabulary.ts';

/** The consent fields of a customer, as the customers table holds them (the source of truth for sending). */
export interface ConsentState {
  consents: Consents;
  doNotContact: boolean;
  doNotCall: boolean;
  /** The customer objects to profiling: withdrawn, like the flags above, when set. */
  objectsToProfiling: boolean;
}

export const isFlag = (fact: ConsentFact): fact is ConsentFlag => (consentFlags as readonly ConsentFact[]).includes(fact);

/** Each consent fact's channel and purpose, split once: an import asks for them on every row. */
const factParts = new Map(
  contactChannels.flatMap((channel) => contactPurposes.map((purpose) => [`${channel}.${purpose}` as ConsentFact, { channel, purpose }] as const)),
);

/** True when the consent is given, or the flag is set. */
export function factValue(state: ConsentState, fact: ConsentFact): boolean {
  if (fact === 'do_not_contact') return state.doNotContact;
  if (fact === 'do_not_call') return state.doNotCall;
  if (fact === 'objects_to_profiling') return state.objectsToProfiling;
  const { channel, purpose } = factParts.get(fact)!;
  return state.consents[channel]?.includes(purpose) ?? false;
}

/** The value a fact has once withdrawn: consent not given, or the flag set. */
export const withdrawnValue = (fact: ConsentFact) => isFlag(fact);

/** A state from the value of every fact; purposes listed in their usual order, empty channels left out. */
export function stateOf(value: (fact: ConsentFact) => boolean): ConsentState {
  const consents: Consents = {};
  for (const channel of contactChannels) {
    const purposes = contactPurposes.filter((purpose) => value(`${channel}.${purpose}`));
    if (purposes.length > 0) consents[channel] = purposes;
  }
  return { consents, doNotContact: value('do_not_contact'), doNotCall: value('do_not_call'), objectsToProfiling: value('objects_to_profiling') };
}

function sameConsent(a: ConsentState, b: ConsentState): boolean {
  if (a.doNotContact !== b.doNotContact || a.doNotCall !== b.doNotCall || a.objectsToProfiling !== b.objectsToProfiling) return false;
  for (const channel of contactChannels) {
    const left = a.consents[channel] ?? [];
    const right = b.consents[channel] ?? [];
    if (left.length !== right.length || left.some((purpose) => !right.includes(purpose))) return false;
  }
  return true;
}

/** The latest recorded change of one fact of a customer. */
export interface LastChange {
  fact: ConsentFact;
  newValue: boolean;
  customerRequest: boolean;
}

/** The facts a customer withdrew themselves, by the latest change of each: these only the customer undoes. */
export function withdrawnByCustomer(latest: readonly LastChange[]): Set<ConsentFact> {
  return new Set(latest.filter((change) => change.customerRequest && change.newValue === withdrawnValue(change.fact)).map((change) => change.fact));
}

/** One fact's change, as the history records it. */
export interface FactChange {
  fact: ConsentFact;
  oldValue: boolean;
  newValue: boolean;
  /** The customer's own doing: their request to withdraw, or their new consent. */
  customerRequest: boolean;
}

export interface ConsentProposal {
  current: ConsentState;
  proposed: ConsentState;
  source: ConsentSource;
  /** Facts the customer withdrew themselves (withdrawnByCustomer). */
  heldByCustomer: ReadonlySet<ConsentFact>;
  /** Facts the customer consented to again, explicitly, with how they gave it (staff and API only). */
  renewed?: ReadonlySet<ConsentFact>;
  /** Staff record that these withdrawals are the customer's own request. */
  customerRequest?: boolean;
}

export interface ConsentDecision {
  /** What the customer's consent fields become. */
  next: ConsentState;
  /** The changes made, one per fact, for the history. */
  changes: FactChange[];
  /** Facts the proposal would have given back, kept withdrawn because the customer withdrew them. */
  kept: ConsentFact[];
}

/** Whether a source may undo a withdrawal the customer made. */
export function mayUndoCustomerWithdrawal(source: ConsentSource, renewed: boolean): boolean {
  if (source === 'form') return true; // the customer ticks consent themselves
  if (source === 'staff' || source === 'api') return renewed;
  return false; // an import, or an unsubscribe (which only withdraws)
}

/** Applies the rule to a proposed change of a customer's consent fields. */
export function decideConsent(proposal: ConsentProposal): ConsentDecision {
  // Most rows of a re-import change nothing about consent.
  if (sameConsent(proposal.current, proposal.proposed)) return { next: proposal.current, changes: [], kept: [] };
  const changes: FactChange[] = [];
  const kept: ConsentFact[] = [];
  const nextValue = new Map<ConsentFact, boolean>();
  for (const fact of consentFacts) {
    const oldValue = factValue(proposal.current, fact);
    const wanted = factValue(proposal.proposed, fact);
    nextValue.set(fact, oldValue);
    if (wanted === oldValue) continue;
    const withdrawing = wanted === withdrawnValue(fact);
    const renewed = proposal.renewed?.has(fact) ?? false;
    if (!withdrawing && proposal.heldByCustomer.has(fact) && !mayUndoCustomerWithdrawal(proposal.source, renewed)) {
      kept.push(fact);
      continue;
    }
    nextValue.set(fact, wanted);
    const customerRequest =
      proposal.source === 'unsubscribe' || proposal.source === 'form' || (withdrawing ? !!proposal.customerRequest && proposal.source !== 'import' : renewed);
    changes.push({ fact, oldValue, newValue: wanted, customerRequest });
  }
  return { next: stateOf((fact) => nextValue.get(fact)!), changes, kept };
}

/** The changes that make a new customer's consent fields: each fact given or set, from nothing. */
export function initialChanges(state: ConsentState, input: { source: ConsentSource; customerRequest?: boolean }): FactChange[] {
  return consentFacts
    .filter((fact) => factValue(state, fact))
    .map((fact) => ({
      fact,
      oldValue: false,
      newValue: true,
      customerRequest: input.source === 'form' || (!!input.customerRequest && input.source !== 'import'),
    }));
}

/** A fact as a person reads it in the history and in warnings. */
export function factLabel(fact: ConsentFact) {
  const channels = { email: ['email', '电子邮件'], phone: ['phone', '电话'], post: ['post', '邮寄'] } as const;
  const purposes = { survey: ['surveys', '调查'], follow_up: ['follow-up', '回访'], marketing: ['marketing', '营销'] } as const;
  if (fact === 'do_not_contact') return { en: 'do not contact', 'zh-CN': '请勿联系' };
  if (fact === 'do_not_call') return { en: 'do not call', 'zh-CN': '请勿致电' };
  if (fact === 'objects_to_profiling') return { en: 'objects to profiling', 'zh-CN': '反对用户画像' };
  const [channel, purpose] = fact.split('.') as [keyof typeof channels, keyof typeof purposes];
  return {
    en: `consent to ${purposes[purpose][0]} by ${channels[channel][0]}`,
    'zh-CN': `同意通过${channels[channel][1]}进行${purposes[purpose][1]}`,
  };
}
