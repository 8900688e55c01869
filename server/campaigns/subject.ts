// What the contact rule reads of a customer's current row, as one set of columns for every query that asks it.
import { customers } from '../db/schema.ts';
import type { ContactSubject } from './rules.ts';

/** The customers columns the contact rule needs (`ContactSubject`), to select beside others or alone. */
export const contactSubjectColumns = {
  email: customers.email,
  phone: customers.phone,
  postalAddress: customers.postalAddress,
  consents: customers.consents,
  doNotContact: customers.doNotContact,
  doNotCall: customers.doNotCall,
} satisfies Record<keyof ContactSubject, unknown>;
