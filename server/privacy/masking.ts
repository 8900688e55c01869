// Who sees a customer's contact details and the free text they wrote, and how the rest is masked. Pure rules:
// the routes decide who the viewer is and what their work is (server/privacy/access.ts), these decide what
// the record looks like to them.
//
//   admin, manager   every customer, in full
//   support          the customers of the cases they work: a case assigned to them, or an open case nobody
//                    has taken yet (the unassigned queue every agent works), and the follow-ups assigned to
//                    them or waiting in the shared list of follow-up calls; everyone else masked
//   interviewer      the customer of a call they hold (claimed and not yet finished); everyone else masked
//
// A masked record keeps its shape: an email as "z***@example.com", a phone number as "138****5678", a name as
// its first character and "**", a postal address as its first line's first characters, the customer's id in
// the company's own systems as its last characters after "***", free text replaced by a note saying it is
// withheld. The raw value never reaches the JSON.
import type { Role } from '../accounts/service.ts';
import { openCaseStatuses } from '../complaints/vocabulary.ts';

/**
 * The personal fields masked here, by record, as the staff routes return them. Where each personal field lives
 * in the database is listed apart (catalogue.ts), for export, erasure and retention; that list is by table and
 * column and also holds what no staff route returns (imported rows' cells, keyed postal answers, erasure keys),
 * so the two are not the same list. Follow-ups are not masked: every view a role has of them is its own work.
 */
export const maskedFields = {
  customer: ['name', 'contactName', 'email', 'phone', 'postalAddress', 'externalId'],
  complaintCase: ['contactName', 'contactEmail', 'contactPhone', 'description', 'desiredOutcome', 'customer'],
  complaintEvent: ['body', 'before', 'after'],
  response: ['answers (open text, "other" text)', 'customer.name'],
  explorerComment: ['text'],
} as const;

/** What a viewer's relation to a customer lets them see. */
export type Sight = 'full' | 'masked';

export interface Viewer {
  id: string;
  role: Role;
}

/** Whether a role sees every customer in full, whatever their work. */
export const seesEveryone = (role: Role) => role === 'admin' || role === 'manager';

/** Full sight for admins and managers; for the others, only of the customers their work is about. */
export function sightOf(role: Role, works: boolean): Sight {
  return seesEveryone(role) || works ? 'full' : 'masked';
}

/**
 * Whether a complaint case is a support agent's work: assigned to them (in any status), or open and assigned to
 * nobody yet (the unassigned queue every agent picks from). Admins and managers see every case in full.
 */
export function worksOnCase(viewer: Viewer, item: { assigneeId: string | null; status: string }): boolean {
  if (seesEveryone(viewer.role)) return true;
  if (viewer.role !== 'support') return false;
  return item.assigneeId === viewer.id || (item.assigneeId === null && (openCaseStatuses as readonly string[]).includes(item.status));
}

/** The text shown in place of free text a viewer may not read. */
export const withheld = '[withheld: not one of your cases or calls] [已隐藏：不是您负责的案件或通话]';

/** "zhang.wei@example.com" → "z***@example.com"; text without an @ is masked as a name. */
export function maskEmail(email: string | null): string | null {
  if (email === null) return null;
  const at = email.lastIndexOf('@');
  if (at <= 0) return maskName(email);
  return `${Array.from(email)[0]}***${email.slice(at)}`;
}

/** "+86 138-0013-5678" → "138****5678": the first three and last four digits of the number, stars between. */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  let digits = phone.replace(/\D/g, '');
  if (digits.startsWith('86') && digits.length === 13) digits = digits.slice(2);
  if (digits.length === 0) return '****';
  if (digits.length <= 7) return `${'*'.repeat(Math.max(digits.length - 2, 1))}${digits.slice(-2)}`;
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** "张伟" → "张**", "Zhang Wei" → "Z**". */
export function maskName(name: string | null): string | null {
  if (name === null) return null;
  const first = Array.from(name.trim())[0];
  return first === undefined ? '' : `${first}**`;
}

/** A postal address: the first three characters of its first line (a province or a city, not a door). */
export function maskAddress(address: string | null): string | null {
  if (address === null) return null;
  const firstLine = address.trim().split('\n')[0] ?? '';
  return `${Array.from(firstLine).slice(0, 3).join('')}***`;
}

/**
 * The customer's id in the company's own systems (their CRM number): "***" and its last four characters, two
 * when it is short, none when it is very short; enough to confirm with a caller who reads theirs out. Staff
 * can still find the customer by the whole id.
 */
export function maskIdentifier(id: string | null): string | null {
  if (id === null) return null;
  const chars = Array.from(id.trim());
  const kept = chars.length > 8 ? 4 : chars.length > 4 ? 2 : 0;
  return `***${chars.slice(chars.length - kept).join('')}`;
}

/** Free text a customer wrote: kept, or the note that it is withheld (null stays null). */
export function maskText(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  return withheld;
}

/** A customer record's personal fields masked; the rest (tier, region, consents, our own id) kept. */
export function maskCustomer<
  T extends { name: string; contactName?: string | null; email?: string | null; phone?: string | null; postalAddress?: string | null; externalId?: string | null },
>(customer: T): T {
  const masked: T = { ...customer, name: maskName(customer.name) ?? '' };
  if (customer.contactName !== undefined) masked.contactName = maskName(customer.contactName);
  if (customer.email !== undefined) masked.email = maskEmail(customer.email);
  if (customer.phone !== undefined) masked.phone = maskPhone(customer.phone);
  if (customer.postalAddress !== undefined) masked.postalAddress = maskAddress(customer.postalAddress);
  if (customer.externalId !== undefined) masked.externalId = maskIdentifier(customer.externalId);
  return masked;
}

/** How the questions of a survey take their answers: only open text and "Other" text are free text. */
export interface QuestionKind {
  id: string;
  type: string;
}

/** The questions whose answers are words the customer wrote: every text question of a survey. */
export function textQuestionIds(questions: readonly QuestionKind[]): Set<string> {
  return new Set(questions.filter((question) => question.type === 'text').map((question) => question.id));
}

/**
 * The answers without the words the customer wrote: every answer to a text question (`textIds`), and the
 * "Other" text of a choice; choices, ratings and consents are kept. Each is replaced by `replacement`, or left
 * out when there is none (erasure). Null when there were no words to take out. Masking and erasure both use it,
 * so what counts as a customer's words is decided here once.
 */
export function withoutCustomerWords<T extends Record<string, unknown>>(answers: T, textIds: ReadonlySet<string>, replacement?: string): T | null {
  let changed = false;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(answers)) {
    if (textIds.has(key) && value !== null && value !== undefined) {
      changed = true;
      if (replacement !== undefined) kept[key] = replacement;
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as { other?: unknown }).other === 'string') {
      changed = true;
      const { other: _other, ...rest } = value as Record<string, unknown>;
      kept[key] = replacement === undefined ? rest : { ...rest, other: replacement };
    } else kept[key] = value;
  }
  return changed ? (kept as T) : null;
}

/** A response's answers with the free text a customer wrote withheld (withoutCustomerWords). */
export function maskAnswers<T extends Record<string, unknown>>(answers: T, questions: readonly QuestionKind[]): T {
  return withoutCustomerWords(answers, textQuestionIds(questions), withheld) ?? answers;
}

/** Values a survey link carried (an order number, a customer's reference): their names kept, each value withheld. */
export function maskHiddenFields(fields: Record<string, string> | null): Record<string, string> | null {
  return fields === null ? null : Object.fromEntries(Object.keys(fields).map((name) => [name, withheld]));
}

/** A complaint case's personal fields withheld (its category, status, dates and reference kept). */
export function maskCase<T extends { contactName?: string | null; contactEmail?: string | null; contactPhone?: string | null; description?: string | null; desiredOutcome?: string | null }>(
  item: T,
): T {
  const masked: T = { ...item };
  if (item.contactName !== undefined) masked.contactName = maskName(item.contactName);
  if (item.contactEmail !== undefined) masked.contactEmail = maskEmail(item.contactEmail);
  if (item.contactPhone !== undefined) masked.contactPhone = maskPhone(item.contactPhone);
  if (item.description !== undefined) masked.description = maskText(item.description);
  if (item.desiredOutcome !== undefined) masked.desiredOutcome = maskText(item.desiredOutcome);
  return masked;
}
