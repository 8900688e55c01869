// The words of complaint handling, shared by the database schema, the API, the rules and the staff app.
// Kept free of imports so the schema and the browser bundle can both take it.

/**
 * Where a case stands. new: opened, nobody has answered the customer; acknowledged: the first response went
 * out; in_progress: being worked; waiting: waiting on the customer (deadlines paused); resolved: the agent says
 * it is resolved (the customer may still reply or say it is not); closed: finished, automatically some days
 * after resolved with no reply, or by hand; merged: a duplicate, pointing at the case that carries on.
 */
export const caseStatuses = ['new', 'acknowledged', 'in_progress', 'waiting', 'resolved', 'closed', 'merged'] as const;
export type CaseStatus = (typeof caseStatuses)[number];
/** The statuses a case is still worked in: deadlines run (except while waiting) and the queues show it. */
export const openCaseStatuses = ['new', 'acknowledged', 'in_progress', 'waiting'] as const satisfies readonly CaseStatus[];

/**
 * How the complaint reached the company: the four survey channels a complaint form is answered on (web link,
 * onsite kiosk, mail: a keyed postal form, phone: an interview), and what an agent logs by hand (a phone call
 * taken, an email, in person) or an integration reports.
 */
export const caseChannels = ['web', 'onsite', 'mail', 'phone', 'email', 'in_person', 'integration'] as const;
export type CaseChannel = (typeof caseChannels)[number];

/** What opened the case: a complaint form, a survey answer caught by a loop-closing rule, an agent, an integration. */
export const caseSources = ['form', 'survey_rule', 'agent', 'integration'] as const;
export type CaseSource = (typeof caseSources)[number];

export const caseSeverities = ['minor', 'major'] as const;
export type CaseSeverity = (typeof caseSeverities)[number];

/** The categories a new installation starts with; admins edit the list (settings), keys stay stable. */
export const defaultCaseCategories = ['product', 'service', 'delivery', 'billing', 'staff_attitude', 'other'] as const;

/**
 * How a case ended for the customer, after the TARP table's columns (DOMAIN.md, "Complaints"): resolved
 * quickly, resolved (satisfied), unresolved (complained, not satisfied). Kept current while the case can change.
 */
export const recoveryOutcomes = ['resolved_quickly', 'resolved', 'unresolved'] as const;
export type RecoveryOutcome = (typeof recoveryOutcomes)[number];

/** The deadlines a case runs under, each measured in business hours. */
export const caseDeadlines = ['first_response', 'next_response', 'resolution'] as const;
export type CaseDeadline = (typeof caseDeadlines)[number];

/** at_risk at 80% of a deadline's business time, breached at 100%. */
export const deadlineAlerts = ['at_risk', 'breached'] as const;
export type DeadlineAlert = (typeof deadlineAlerts)[number];

/** Who did something to a case. */
export const caseActors = ['staff', 'customer', 'system', 'integration'] as const;
export type CaseActor = (typeof caseActors)[number];

/**
 * Every kind of entry in a case's history. Nothing about a case is edited in place without one of these
 * appended in the same transaction, with its before and after.
 */
export const caseEventTypes = [
  'opened',
  'status_changed',
  'assigned',
  'fields_changed',
  'note',
  'reply_sent',
  'customer_replied',
  'customer_confirmed',
  'escalated',
  'merged',
  'reopened',
  'deadline_at_risk',
  'deadline_breached',
  'outcome_changed',
  'follow_up_scheduled',
  'follow_up_cancelled',
  'follow_up_answered',
  'customer_left',
  'status_link_revoked',
] as const;
export type CaseEventType = (typeof caseEventTypes)[number];

/** Why a survey answer a loop-closing rule caught opened no case that would contact the customer. */
export const silentDetractorReasons = ['no_customer', 'no_consent'] as const;
export type SilentDetractorReason = (typeof silentDetractorReasons)[number];

/** The queues an agent works from. */
export const caseQueues = ['mine', 'unassigned', 'at_risk', 'breached', 'waiting', 'all'] as const;
export type CaseQueue = (typeof caseQueues)[number];
