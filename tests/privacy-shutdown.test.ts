// A server process stopped (SIGTERM) right after a staff member read a customer writes the read to the access
// log before it closes the database: the record kept in memory is not lost with the process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createSession } from '../server/accounts/service.ts';
import { migrateDatabase, openDatabase } from '../server/db/client.ts';
import { customers, staffReads } from '../server/db/schema.ts';
import { insertStaff } from './support/deadline-cases.ts';
import { waitFor } from './support/poll.ts';
import { killerOf, outputOf, startServerProcess, type ServerProcess } from './support/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'privacy-shutdown-'));
const servers: ServerProcess[] = [];
const killAll = killerOf(servers);

afterAll(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

it('writes the reads still waiting when the server stops', async () => {
  const databaseUrl = `file:${join(dir, 'app.db')}`;
  const db = await openDatabase(databaseUrl);
  await migrateDatabase(db);
  await insertStaff(db, { id: 'manager', role: 'manager' });
  await db.insert(customers).values({ id: 'customer-1', name: 'Gao Yan', email: 'gao.yan@example.com' });
  const session = await createSession(db, 'manager');

  const server = await startServerProcess({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' });
  servers.push(server);
  const base = `http://127.0.0.1:${server.port}`;
  await waitFor(
    `the server to answer\n${outputOf(server)}`,
    async () => {
      if (server.child.exitCode !== null) throw new Error(`The server exited early.\n${outputOf(server)}`);
      return (await fetch(`${base}/health`).catch(() => null))?.ok;
    },
    { withinMs: 30_000, everyMs: 100 },
  );
  const read = await fetch(`${base}/api/customers/customer-1`, { headers: { cookie: `sid=${session.token}` } });
  expect(read.status, outputOf(server)).toBe(200);
  server.child.kill('SIGTERM');
  expect(await server.exited, outputOf(server)).toBe(0);

  const rows = await db.select().from(staffReads);
  expect(rows).toEqual([expect.objectContaining({ staffId: 'manager', customerId: 'customer-1', route: 'GET /customers/:id' })]);
  db.$client.close();
});
