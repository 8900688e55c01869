// The limit the HTTP figure is measured against: the same response rows inserted straight into libSQL
// (a fresh file, migrated, with the demo survey published), with no HTTP, validation or JSON parsing.
import { join } from 'node:path';
import type { InStatement } from '@libsql/client';
import { migrateDatabase, openDatabase } from '../server/db/client.ts';
import { fillDemo } from '../server/cli/demo.ts';
import { newRunTag, responsePool, taggedId } from './responses.ts';

export interface InsertRate {
  mode: string;
  rowsPerTransaction: number;
  rows: number;
  elapsedMs: number;
  rowsPerSecond: number;
}

const columns = 'id, survey_id, version_id, channel, locale, answers, started_at, submitted_at, duration_ms, interviewer_id';
const placeholders = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

export async function measureInsertLimit(input: { workDir: string; timePerModeMs: number }): Promise<InsertRate[]> {
  const db = await openDatabase(`file:${join(input.workDir, 'insert-limit.db')}`);
  try {
    await migrateDatabase(db);
    const { surveyId } = await fillDemo(db, { responses: 0 });
    const survey = await db.query.surveys.findFirst({ where: (t, { eq }) => eq(t.id, surveyId) });
    const versionId = survey!.latestVersionId!;
    const version = await db.query.surveyVersions.findFirst({ where: (t, { eq }) => eq(t.id, versionId) });
    const templates = responsePool(version!.definition, 2000);
    const answersJson = templates.map((template) => JSON.stringify(template.answers));
    const runTag = newRunTag();
    let next = 0;
    const rowArgs = () => {
      const index = next++ % templates.length;
      const submittedAt = Date.now();
      return [taggedId(runTag), surveyId, versionId, 'web', templates[index]!.locale, answersJson[index]!, submittedAt - 95_000, submittedAt, 95_000, null];
    };
    const client = db.$client;

    const measure = async (mode: string, rowsPerTransaction: number, maxRows: number, insertSome: () => Promise<void>) => {
      const started = performance.now();
      const before = next;
      while (next - before < maxRows && performance.now() - started < input.timePerModeMs) await insertSome();
      const elapsedMs = performance.now() - started;
      const rows = next - before;
      return { mode, rowsPerTransaction, rows, elapsedMs, rowsPerSecond: (rows / elapsedMs) * 1000 };
    };

    const single = `INSERT INTO responses (${columns}) VALUES ${placeholders}`;
    const multi500 = `INSERT INTO responses (${columns}) VALUES ${Array(500).fill(placeholders).join(', ')}`;
    const rates: InsertRate[] = [
      await measure('one row per transaction', 1, 50_000, async () => {
        await client.execute({ sql: single, args: rowArgs() });
      }),
      await measure('500 INSERTs per transaction (batch)', 500, 1_000_000, async () => {
        const statements: InStatement[] = Array.from({ length: 500 }, () => ({ sql: single, args: rowArgs() }));
        await client.batch(statements, 'write');
      }),
      await measure('one 500-row INSERT per transaction', 500, 1_000_000, async () => {
        await client.execute({ sql: multi500, args: Array.from({ length: 500 }, rowArgs).flat() });
      }),
    ];
    const stored = await client.execute({ sql: 'SELECT count(*) AS n FROM responses WHERE id LIKE ?', args: [`${runTag}%`] });
    const expected = rates.reduce((sum, rate) => sum + rate.rows, 0);
    if (Number(stored.rows[0]?.n) !== expected) throw new Error(`the insert limit stored ${String(stored.rows[0]?.n)} rows, expected ${expected}`);
    return rates;
  } finally {
    db.$client.close();
  }
}
