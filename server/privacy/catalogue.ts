// Where a customer's personal data lives: every table that holds it or points at a customer, how its rows are
// tied to the customer, which columns say who the customer is or what they wrote, and what erasure does to it.
// Export, erasure and retention (through erasure's clearRows) read this list; role masking keeps its own list of
// the fields the staff routes return (masking.ts, maskedFields). server/privacy/catalogue.test.ts fails when a
// table with a customer id, an email, a phone or an address is not in it.

/** What a column holds about the person. */
export type PersonalKind =
  /** A name, a contact person's name. */
  | 'name'
  /** An email address, a phone number, a postal address. */
  | 'contact'
  /** The customer's id in the company's own systems, or another system's id for something of theirs. */
  | 'identifier'
  /** Words the customer wrote or said (a complaint, a reply, free-text answers), or staff wrote about them. */
  | 'free_text'
  /** Survey answers: scores the figures need, free text among them. */
  | 'answers'
  /** Everything else a person could be recognised by: cells of an imported row, values a link carried. */
  | 'other';

/**
 * What erasing a customer does to a row of the table:
 * - anonymise: the personal columns are cleared, the row stays for the figures (scores, dates, channel, segment);
 * - delete: the row goes (it has nothing the figures need);
 * - keep: the row names the customer only by the internal id, which says nothing once the identity is gone.
 */
export type ErasureAction = 'anonymise' | 'delete' | 'keep';

export interface CatalogueEntry {
  /** The table's name in the database. */
  table: string;
  /**
   * How a row belongs to a customer: the column holding the customer's id, or the column pointing at a row of
   * another catalogued table (`through`) that does. Null when rows cannot be tied to a customer (rejected rows
   * of an import, which never became one).
   */
  link: { column: string } | { column: string; through: string; throughColumn: string } | null;
  /** Columns with personal data, and what they hold. */
  personal: Record<string, PersonalKind>;
  /** Columns with personal data only in the rows a condition picks (plain SQL over the table's own columns). */
  personalWhere?: { condition: string; columns: Record<string, PersonalKind> };
  erasure: ErasureAction;
  /** Shown in the export and the README: what the data is for. */
  purpose: string;
  /** A table made by a migration of its own rather than server/db/schema.ts (a full-text index). */
  outsideSchema?: true;
}

export const catalogue: readonly CatalogueEntry[] = [
  {
    table: 'customers',
    link: { column: 'id' },
    personal: {
      external_id: 'identifier',
      name: 'name',
      contact_name: 'name',
      email: 'contact',
      phone: 'contact',
      postal_address: 'contact',
    },
    erasure: 'anonymise',
    purpose: 'The customer record: who to invite and contact, and the segment, region and tier the figures are cut by.',
  },
  {
    table: 'consent_changes',
    link: { column: 'customer_id' },
    personal: { note: 'free_text' },
    erasure: 'anonymise',
    purpose: 'The history of consents and objections, proof of what the customer agreed to and when.',
  },
  {
    table: 'customer_import_consent_kept',
    link: { column: 'customer_id' },
    personal: {},
    erasure: 'keep',
    purpose: 'Rows of an import that asked to give back a consent the customer had withdrawn.',
  },
  {
    table: 'customer_import_rejections',
    link: null,
    personal: { cells: 'other' },
    erasure: 'keep',
    purpose: 'Rows an import did not take, kept as they were so they can be corrected.',
  },
  {
    table: 'purchase_import_rejections',
    link: null,
    personal: { cells: 'other' },
    erasure: 'keep',
    purpose: 'Rows a purchase import did not take, kept as they were so they can be corrected.',
  },
  {
    table: 'responses',
    link: { column: 'customer_id' },
    personal: { answers: 'answers', hidden_fields: 'other' },
    erasure: 'anonymise',
    purpose: 'Survey answers: the indices and figures, and what the customer told us.',
  },
  {
    table: 'response_search',
    link: { column: 'rowid', through: 'responses', throughColumn: 'rowid' },
    personal: { body: 'free_text' },
    erasure: 'delete',
    purpose: 'The words of free-text answers, indexed for the responses explorer’s search.',
    outsideSchema: true,
  },
  {
    table: 'response_quality',
    link: { column: 'customer_id' },
    personal: {},
    erasure: 'keep',
    purpose: 'Data-quality flags of each answer (speeders, straight-liners, duplicates).',
  },
  {
    table: 'loop_catches',
    link: { column: 'customer_id' },
    personal: {},
    erasure: 'keep',
    purpose: 'Answers a loop-closing rule caught, counted in the complaint figures.',
  },
  {
    table: 'campaign_invitations',
    link: { column: 'customer_id' },
    personal: {},
    erasure: 'keep',
    purpose: 'Invitations to surveys and how far each got (the funnel).',
  },
  {
    table: 'call_attempts',
    link: { column: 'invitation_id', through: 'campaign_invitations', throughColumn: 'id' },
    personal: { note: 'free_text' },
    erasure: 'anonymise',
    purpose: 'Every phone call made for an invitation.',
  },
  {
    table: 'postal_keyings',
    link: { column: 'invitation_id', through: 'campaign_invitations', throughColumn: 'id' },
    personal: { answers: 'answers' },
    erasure: 'delete',
    purpose: 'Returned postal forms as staff keyed them in, before the response was stored.',
  },
  {
    table: 'outgoing_messages',
    link: { column: 'customer_id' },
    personal: { to_address: 'contact', subject: 'free_text', text: 'free_text', html: 'free_text', headers: 'other' },
    erasure: 'anonymise',
    purpose: 'Mail sent to the customer (invitations, reminders, case replies), with what it said.',
  },
  {
    table: 'integration_events',
    link: { column: 'customer_id' },
    personal: { external_id: 'identifier' },
    erasure: 'keep',
    purpose: 'Events another system reported (a purchase, a visit) and the invitation each led to.',
  },
  {
    table: 'complaint_cases',
    link: { column: 'customer_id' },
    personal: {
      description: 'free_text',
      desired_outcome: 'free_text',
      contact_name: 'name',
      contact_email: 'contact',
      contact_phone: 'contact',
      external_id: 'identifier',
    },
    erasure: 'anonymise',
    purpose: 'Complaints, worked to resolution under deadlines; the complaint figures.',
  },
  {
    table: 'complaint_events',
    link: { column: 'case_id', through: 'complaint_cases', throughColumn: 'id' },
    personal: { body: 'free_text' },
    // A change of the case's fields may have changed its description or contact details; a status change holds none.
    personalWhere: { condition: "type = 'fields_changed'", columns: { before: 'other', after: 'other' } },
    erasure: 'anonymise',
    purpose: 'A case’s history: notes, replies both ways, status changes.',
  },
  {
    table: 'purchases',
    link: { column: 'customer_id' },
    personal: { order_id: 'identifier', refund_of: 'identifier' },
    erasure: 'keep',
    purpose: 'Purchases and refunds: loyalty (RFM, value, tier).',
  },
  {
    table: 'customer_loyalty',
    link: { column: 'customer_id' },
    personal: {},
    erasure: 'keep',
    purpose: 'Where the customer stands now: stage, RFM, loyalty score and its parts.',
  },
  {
    table: 'loyalty_changes',
    link: { column: 'customer_id' },
    personal: {},
    erasure: 'keep',
    purpose: 'Each move of the customer’s stage, tier, at-risk flag or churn.',
  },
  {
    table: 'loyalty_stale',
    link: { column: 'customer_id' },
    personal: {},
    erasure: 'keep',
    purpose: 'Customers whose loyalty is waiting to be brought up to date.',
  },
  {
    table: 'follow_ups',
    link: { column: 'customer_id' },
    personal: { note: 'free_text' },
    erasure: 'anonymise',
    purpose: 'Thank-yous, VIP follow-ups and at-risk tasks planned for the customer.',
  },
  {
    table: 'erasure_runs',
    link: null,
    personal: {},
    erasure: 'keep',
    purpose: 'Erasures of many customers at once and how far each has got, customers named by internal id only.',
  },
  {
    table: 'privacy_requests',
    link: { column: 'customer_id' },
    personal: {},
    erasure: 'keep',
    purpose: 'Exports and erasures of the customer’s data: who asked, when, in which form.',
  },
  {
    table: 'staff_reads',
    link: { column: 'customer_id' },
    personal: {},
    erasure: 'keep',
    purpose: 'Which staff member read the customer’s personal data, when and where: the record admins audit.',
  },
];

/**
 * Tables with an email or a phone that are not a customer's: staff accounts, their invites and sign-in
 * throttling. The catalogue test accepts these, and only these, without an entry.
 */
export const staffTables: Readonly<Record<string, string>> = {
  users: 'Staff accounts.',
  invitations: 'Invites to a staff account (campaign invitations are campaign_invitations).',
  login_failures: 'Failed sign-ins by email and address, kept for throttling.',
};

/** Column names that hold a way to reach a person, wherever they appear. */
export const contactColumnPattern = /(^|_)(email|phone|address)(_|$)/;

export const catalogueEntry = (table: string) => catalogue.find((entry) => entry.table === table);

/** The columns of a table that erasure clears (anonymise) — none for a table whose rows are kept or deleted whole. */
export const erasedColumns = (table: string): string[] => {
  const entry = catalogueEntry(table);
  return entry?.erasure === 'anonymise' ? [...Object.keys(entry.personal), ...Object.keys(entry.personalWhere?.columns ?? {})] : [];
};
