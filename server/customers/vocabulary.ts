// The words of a customer record, shared by the database schema, the API, the CSV import and the staff app.
// Kept free of imports so the schema and the browser bundle can both take it.

/** Individual customers and enterprises, which have a contact person. */
export const customerKinds = ['individual', 'enterprise'] as const;
export type CustomerKind = (typeof customerKinds)[number];

/** Tiers by importance (客户分级): VIP 贵宾型, important 重要型, ordinary 普通型. */
export const customerTiers = ['vip', 'important', 'ordinary'] as const;
export type CustomerTier = (typeof customerTiers)[number];

/** Channels a customer can be contacted on, and what for: consent is given per channel and purpose. */
export const contactChannels = ['email', 'phone', 'post'] as const;
export type ContactChannel = (typeof contactChannels)[number];
export const contactPurposes = ['survey', 'follow_up', 'marketing'] as const;
export type ContactPurpose = (typeof contactPurposes)[number];
export type Consents = Partial<Record<ContactChannel, ContactPurpose[]>>;

/**
 * One thing a customer can agree to or refuse: a purpose on a channel ("email.survey"), or one of the flags
 * do-not-contact, do-not-call and the objection to profiling (no loyalty score, no stage beyond what purchases
 * alone say). The consent history records changes to these one at a time.
 */
export type ConsentFlag = 'do_not_contact' | 'do_not_call' | 'objects_to_profiling';
export type ConsentFact = `${ContactChannel}.${ContactPurpose}` | ConsentFlag;
export const consentFlags: readonly ConsentFlag[] = ['do_not_contact', 'do_not_call', 'objects_to_profiling'];
export const consentFacts: readonly ConsentFact[] = [
  ...contactChannels.flatMap((channel) => contactPurposes.map((purpose) => `${channel}.${purpose}` as const)),
  ...consentFlags,
];

/**
 * Where a change to a customer's consent came from: the public or complaint form the customer ticked, a CSV
 * import, the integration API, a staff member's edit, or the unsubscribe link in an email.
 */
export const consentSources = ['form', 'import', 'api', 'staff', 'unsubscribe'] as const;
export type ConsentSource = (typeof consentSources)[number];
