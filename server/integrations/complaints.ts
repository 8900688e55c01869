// Complaints other systems report (POST /api/v1/complaints): each opens a case, once per caller's id. The
// same id again from the same key answers the case opened the first time and changes nothing.
import { and, eq } from 'drizzle-orm';
import { bilingual } from '../../surveys/i18n.ts';
import { openCases } from '../complaints/opening.ts';
import { readComplaintSettings } from '../complaints/settings.ts';
import type { Db } from '../db/client.ts';
import { complaintCases, customers } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import type { ComplaintInput } from './rules.ts';

type CaseRow = typeof complaintCases.$inferSelect;

/** A case as the caller who reported it sees it: enough to file beside its own record and to show the customer. */
export function toReportedComplaint(row: CaseRow, publicUrl: string) {
  return {
    id: row.id,
    reference: row.reference,
    externalId: row.externalId,
    status: row.status,
    category: row.category,
    severity: row.severity,
    channel: row.channel,
    customerId: row.customerId,
    /** The customer's status page: share it with the customer, nobody else. */
    statusUrl: `${publicUrl}/c/${row.statusToken}`,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
export type ReportedComplaint = ReturnType<typeof toReportedComplaint>;

async function findReported(db: Db, apiKeyId: string, externalId: string): Promise<CaseRow | undefined> {
  const [row] = await db
    .select()
    .from(complaintCases)
    .where(and(eq(complaintCases.apiKeyId, apiKeyId), eq(complaintCases.externalId, externalId)));
  return row;
}

/** The known customer a complaint names, or a 404 that says how to send the customer first. */
async function customerFor(db: Db, reference: NonNullable<ComplaintInput['customer']>) {
  const [row] = await db
    .select({ id: customers.id, locale: customers.locale })
    .from(customers)
    .where(reference.externalId !== undefined ? eq(customers.externalId, reference.externalId) : eq(customers.email, reference.email!));
  if (row) return row;
  const text =
    reference.externalId !== undefined
      ? bilingual(
          `No customer has the external id "${reference.externalId}". Send it first with PUT /api/v1/customers/${reference.externalId}, or give "contact" details instead.`,
          `没有外部编号为 “${reference.externalId}” 的客户。请先通过 PUT /api/v1/customers/${reference.externalId} 提交该客户，或改为提供 "contact" 联系方式。`,
        )
      : bilingual(
          `No customer has the email address ${reference.email}. Give "contact" details instead, or send the customer first.`,
          `没有电子邮件地址为 ${reference.email} 的客户。请改为提供 "contact" 联系方式，或先提交该客户。`,
        );
  throw new DomainError('not_found', text, { customer: text });
}

/**
 * Opens a case for a reported complaint, or answers the one this key already opened for the same externalId
 * (created: false). The category must be one of the complaint settings' current categories.
 */
export async function reportComplaint(
  db: Db,
  input: { apiKey: { id: string; name: string }; complaint: ComplaintInput; locale: 'zh-CN' | 'en'; publicUrl: string },
): Promise<{ complaint: ReportedComplaint; created: boolean }> {
  const { complaint, apiKey } = input;
  const existing = await findReported(db, apiKey.id, complaint.externalId);
  if (existing) return { complaint: toReportedComplaint(existing, input.publicUrl), created: false };

  const settings = await readComplaintSettings(db);
  const categories = settings.categories.filter((category) => !category.retired).map((category) => category.key);
  if (!categories.includes(complaint.category)) {
    const text = bilingual(
      `"category" must be one of: ${categories.join(', ')} (got "${complaint.category}").`,
      `"category" 只能是以下之一：${categories.join('、')}（当前为 “${complaint.category}”）。`,
    );
    throw new DomainError('bad_request', text, { category: text });
  }
  const customer = complaint.customer ? await customerFor(db, complaint.customer) : null;
  const contact = complaint.contact ?? {};
  const contactChannel = complaint.contactConsent ? (contact.email ? 'email' : contact.phone ? 'phone' : null) : null;

  let created = true;
  try {
    await db.transaction(async (tx) => {
      await openCases(
        tx,
        [
          {
            source: 'integration',
            channel: complaint.channel,
            category: complaint.category,
            ...(complaint.severity ? { severity: complaint.severity } : {}),
            description: complaint.description,
            desiredOutcome: complaint.desiredOutcome ?? null,
            locale: complaint.locale ?? customer?.locale ?? input.locale,
            customerId: customer?.id ?? null,
            contactName: contact.name ?? null,
            contactEmail: contact.email ?? null,
            contactPhone: contact.phone ?? null,
            contactConsent: complaint.contactConsent,
            contactChannel,
            apiKeyId: apiKey.id,
            externalId: complaint.externalId,
            orderValue: complaint.orderValue ?? null,
            actor: { type: 'integration', id: apiKey.id, name: apiKey.name },
          },
        ],
        settings,
      );
    });
  } catch (error) {
    // The same complaint reported twice at the same moment: the unique (key, externalId) let one through.
    if (!(await findReported(db, apiKey.id, complaint.externalId))) throw error;
    created = false;
  }
  const stored = await findReported(db, apiKey.id, complaint.externalId);
  return { complaint: toReportedComplaint(stored!, input.publicUrl), created };
}
