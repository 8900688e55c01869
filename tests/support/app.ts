// A real app over a real libSQL database file in a temporary folder, driven with app.request().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../../server/app.ts';
import { createSetupToken, createSession } from '../../server/accounts/service.ts';
import { loadConfig } from '../../server/config.ts';
import { migrateDatabase, openDatabase, type Db } from '../../server/db/client.ts';
import { users } from '../../server/db/schema.ts';
import { hashPassword } from '../../server/accounts/passwords.ts';
import type { Role } from '../../server/accounts/service.ts';

export interface TestApp {
  db: Db;
  app: ReturnType<typeof createApp>;
  dir: string;
  databaseUrl: string;
  close(): void;
}

/** env: more settings, as the environment would give them (e.g. TRUST_PROXY). */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'satisfaction-test-'));
  const databaseUrl = `file:${join(dir, 'app.db')}`;
  const config = loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', ...env });
  const db = await openDatabase(databaseUrl);
  await migrateDatabase(db);
  // A private build (TEST_WEB_ROOT) lets several test runs build the web app without clobbering dist/web.
  const app = createApp({ db, config, ...(process.env.TEST_WEB_ROOT ? { webRoot: process.env.TEST_WEB_ROOT } : {}) });
  return {
    db,
    app,
    dir,
    databaseUrl,
    close() {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A staff member with a live session: requests carry the cookie and, on writes, the CSRF token. */
export class StaffClient {
  constructor(
    private readonly test: TestApp,
    readonly cookie: string,
    readonly csrfToken: string,
  ) {}

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.test.app.request(path, {
      method,
      headers: {
        cookie: this.cookie,
        ...(method === 'GET' ? {} : { 'x-csrf-token': this.csrfToken, 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
}

let userCounter = 0;
export async function signedInAs(test: TestApp, role: Role): Promise<StaffClient> {
  const id = `user-${++userCounter}-${role}`;
  await test.db.insert(users).values({
    id,
    email: `${id}@example.com`,
    name: `${role} ${userCounter}`,
    role,
    passwordHash: await hashPassword('correct horse battery'),
  });
  const session = await createSession(test.db, id);
  return new StaffClient(test, `sid=${session.token}`, session.csrfToken);
}

/** A signed-in client of every role, made in this order: admin, manager, support, interviewer. */
export async function signedInAsEachRole(test: TestApp): Promise<Record<Role, StaffClient>> {
  return {
    admin: await signedInAs(test, 'admin'),
    manager: await signedInAs(test, 'manager'),
    support: await signedInAs(test, 'support'),
    interviewer: await signedInAs(test, 'interviewer'),
  };
}

export function json(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export { createSetupToken };

/** The app served over real TCP on a free loopback port, so requests have a client address. */
export async function listenOnLoopback(test: TestApp): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: test.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((closed) => server.close(() => closed())),
      });
    });
  });
}
