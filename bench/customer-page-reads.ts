// The customer page (GET /api/customers/:id) read by a manager (shown in full: the read is recorded) and by a
// support agent (their work looked up; customers outside it masked, not recorded), on 10,000 customers and
// 2,000 cases: whether recording reads makes a read a write. Sequential requests through the app, in process.
// Runs alone: node --import tsx bench/customer-page-reads.ts [--requests N]
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../server/app.ts';
import { createSession } from '../server/accounts/service.ts';
import { loadConfig } from '../server/config.ts';
import { migrateDatabase, openDatabase } from '../server/db/client.ts';
import { insertRows } from '../server/db/raw.ts';
import { complaintCases, customers, users } from '../server/db/schema.ts';
import { formatMs, printTable } from './report.ts';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '3000' } } });
const requests = Number(values.requests);
const dir = mkdtempSync(join(tmpdir(), 'bench-customer-page-'));
try {
  const databaseUrl = `file:${join(dir, 'app.db')}`;
  const db = await openDatabase(databaseUrl);
  await migrateDatabase(db);
  const app = createApp({ db, config: loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }) });
  const ids = Array.from({ length: 10_000 }, () => randomUUID());
  await db.transaction((tx) =>
    insertRows(tx, customers, ids.map((id, n) => ({ id, name: `Customer ${n}`, email: `c${n}@example.com`, phone: `139${String(n).padStart(8, '0')}` }))),
  );
  await db.insert(users).values([
    { id: 'manager', email: 'm@example.com', name: 'Manager', role: 'manager', passwordHash: 'x' },
    { id: 'support', email: 's@example.com', name: 'Support', role: 'support', passwordHash: 'x' },
  ]);
  await db.transaction((tx) =>
    insertRows(
      tx,
      complaintCases,
      ids.slice(0, 2000).map((customerId, n) => ({
        id: randomUUID(),
        number: n + 1,
        reference: `C-2026-${String(n + 1).padStart(6, '0')}`,
        status: 'in_progress' as const,
        source: 'agent' as const,
        channel: 'phone' as const,
        category: 'delivery',
        description: 'Late',
        locale: 'en' as const,
        customerId,
        assigneeId: n % 2 === 0 ? 'support' : 'other',
        statusToken: randomBytes(18).toString('base64url'),
        replyToken: randomBytes(18).toString('base64url'),
      })),
    ),
  );
  const cookieOf = async (id: string) => `sid=${(await createSession(db, id)).token}`;
  const rows: Record<string, string>[] = [];
  for (const who of ['manager', 'support']) {
    const cookie = await cookieOf(who);
    const read = async (n: number) => {
      const response = await app.request(`/api/customers/${ids[n % ids.length]}`, { headers: { cookie } });
      if (response.status !== 200) throw new Error(`${who}: ${response.status}`);
      await response.arrayBuffer();
    };
    for (let n = 0; n < 300; n++) await read(n * 7);
    const times: number[] = [];
    for (let n = 0; n < requests; n++) {
      const started = performance.now();
      await read(n * 13);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
    rows.push({ reader: who, requests: String(requests), mean: formatMs(times.reduce((a, b) => a + b, 0) / times.length), p50: formatMs(at(0.5)), p99: formatMs(at(0.99)) });
  }
  printTable('GET /api/customers/:id, sequential, in process', rows);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const reads = Number((await db.$client.execute('SELECT count(*) FROM staff_reads')).rows[0]![0]);
  console.log(`reads recorded: ${reads}`);
  db.$client.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
