// Response intake with group commit: submissions that arrive together share one write transaction,
// and each caller is answered only after its row is durably stored. The response id is the primary key,
// so a retried or doubled submission stores one row whatever the timing. The cases the batch's responses
// open (complaint forms, loop-closing catches) are written in the same transaction: a response and its case
// are stored together or not at all, and a retry, finding its row stored, opens nothing.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { DbOrTx } from '../jobs/queue.ts';
import { markLoyaltyStale } from '../loyalty/updates.ts';
import { openResponseCases, type CaseIntent } from './cases.ts';

export interface NewResponse {
  id: string;
  surveyId: string;
  versionId: string;
  channel: 'phone' | 'mail' | 'onsite' | 'web';
  locale: 'zh-CN' | 'en';
  answers: unknown;
  startedAt: number | null;
  submittedAt: number;
  durationMs: number | null;
  interviewerId: string | null;
  /** Values the link carried (e.g. store=123); null when none. */
  hiddenFields: Record<string, string> | null;
  /** Who answered, where the channel knows; null for anonymous answers. */
  customerId?: string | null;
  /** The campaign the answer came through (a kiosk, an invitation); null for an open link. */
  campaignId?: string | null;
  /** The case this response opens when it is stored (prepareResponse works it out); not a column. */
  caseIntent?: CaseIntent | null;
}

/** stored: this call wrote it; duplicate: that id was already stored; closed: the survey takes no answers. */
export type IntakeOutcome = 'stored' | 'duplicate' | 'closed';

interface Pending {
  row: NewResponse;
  resolve: (outcome: IntakeOutcome) => void;
  reject: (error: unknown) => void;
}

const columns = [
  'id', 'survey_id', 'version_id', 'channel', 'locale', 'answers',
  'started_at', 'submitted_at', 'duration_ms', 'interviewer_id', 'hidden_fields', 'customer_id', 'campaign_id',
] as const;
const rowsPerStatement = 500;
const gatherMs = 2;

export class ResponseIntake {
  #queue: Pending[] = [];
  #writing = false;

  constructor(private readonly db: Db) {}

  submit(row: NewResponse): Promise<IntakeOutcome> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ row, resolve, reject });
      // An embedded libSQL write blocks the event loop until it is durable, so submissions only pile up
      // between writes: wait a moment after the first one to let the requests already in flight join it.
      if (!this.#writing && this.#queue.length === 1) setTimeout(() => void this.#drain(), gatherMs);
    });
  }

  async #drain() {
    if (this.#writing) return;
    this.#writing = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, rowsPerStatement);
        try {
          const outcomes = await this.#write(batch.map((entry) => entry.row));
          batch.forEach((entry, index) => entry.resolve(outcomes[index]!));
        } catch (error) {
          if (batch.length === 1) {
            batch[0]!.reject(error);
            continue;
          }
          // Nothing of the batch was stored: write each alone, so one response that cannot be stored (its
          // case refused, say) fails only its own caller.
          for (const entry of batch) {
            try {
              entry.resolve((await this.#write([entry.row]))[0]!);
            } catch (single) {
              entry.reject(single);
            }
          }
        }
      }
    } finally {
      this.#writing = false;
    }
  }

  #write(rows: NewResponse[]): Promise<IntakeOutcome[]> {
    return this.db.transaction((tx) => writeResponses(tx, rows));
  }
}

/**
 * Stores the rows whose survey is open, in the caller's transaction, and opens the cases the newly stored ones
 * ask for. Rows already stored (a retry) and rows of closed surveys open nothing.
 */
export async function writeResponses(tx: DbOrTx, rows: NewResponse[]): Promise<IntakeOutcome[]> {
  const values = sql.join(
    rows.map(
      (row) =>
        sql`(${row.id}, ${row.surveyId}, ${row.versionId}, ${row.channel}, ${row.locale}, ${JSON.stringify(row.answers)}, ${row.startedAt}, ${row.submittedAt}, ${row.durationMs}, ${row.interviewerId}, ${row.hiddenFields === null ? null : JSON.stringify(row.hiddenFields)}, ${row.customerId ?? null}, ${row.campaignId ?? null})`,
    ),
    sql`, `,
  );
  // Only rows whose survey is open are taken; the check and the insert are one statement.
  const inserted = await tx.all<{ id: string }>(sql`INSERT INTO responses (${sql.raw(columns.join(', '))})
      SELECT incoming.* FROM (VALUES ${values}) AS incoming
      JOIN surveys ON surveys.id = incoming.column2 AND surveys.status = 'published'
      WHERE true
      ON CONFLICT (id) DO NOTHING
      RETURNING id`);
  const storedIds = new Set(inserted.map((row) => String(row.id)));
  const missing = rows.filter((row) => !storedIds.has(row.id));
  let existingIds = new Set<string>();
  if (missing.length > 0) {
    const existing = await tx.all<{ id: string }>(
      sql`SELECT id FROM responses WHERE id IN (${sql.join(missing.map((row) => sql`${row.id}`), sql`, `)})`,
    );
    existingIds = new Set(existing.map((row) => String(row.id)));
  }
  // The same id twice in one batch: the first is stored, the rest are duplicates.
  const claimed = new Set<string>();
  const opening: { response: NewResponse; intent: CaseIntent }[] = [];
  const outcomes = rows.map((row): IntakeOutcome => {
    if (storedIds.has(row.id) && !claimed.has(row.id)) {
      claimed.add(row.id);
      if (row.caseIntent) opening.push({ response: row, intent: row.caseIntent });
      return 'stored';
    }
    if (storedIds.has(row.id) || existingIds.has(row.id)) return 'duplicate';
    return 'closed';
  });
  await openResponseCases(tx, opening);
  // A known customer's answer may move their attitude: their loyalty is brought up to date.
  const answered = rows.filter((row, index) => outcomes[index] === 'stored' && row.customerId).map((row) => row.customerId!);
  await markLoyaltyStale(tx, answered, 'response');
  return outcomes;
}
