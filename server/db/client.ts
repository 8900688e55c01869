// Opens the database named by DATABASE_URL: an embedded libSQL file or a libSQL server.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import * as schema from './schema.ts';

export type Db = LibSQLDatabase<typeof schema> & { $client: Client };

const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations');

export async function openDatabase(url: string, authToken?: string): Promise<Db> {
  const isFile = url.startsWith('file:');
  if (isFile) {
    const path = url.slice('file:'.length).split('?')[0]!;
    if (path && path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  // Several processes may share one file: wait on a lock instead of failing at once.
  const client = createClient({ url, authToken, timeout: 10_000 });
  if (isFile) await client.execute('PRAGMA journal_mode = WAL');
  return drizzle(client, { schema }) as Db;
}

/** Apply the committed migrations; safe when several processes start at once. */
export async function migrateDatabase(db: Db) {
  // The migrator reads the last applied migration outside its batch, so a process racing another
  // can see a stale list and fail on "already exists"; its batch rolls back and the retry finds nothing to do.
  for (let attempt = 1; ; attempt++) {
    try {
      return await migrate(db, { migrationsFolder });
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((done) => setTimeout(done, 50 * attempt));
    }
  }
}
