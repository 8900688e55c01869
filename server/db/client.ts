// Opens the database named by DATABASE_URL: an embedded libSQL file or a libSQL server.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createClient, type Client, type InStatement, type ResultSet, type Transaction, type TransactionMode } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import * as schema from './schema.ts';
import { migrationsFolder } from '../paths.ts';

export type Db = LibSQLDatabase<typeof schema> & { $client: Client };


export async function openDatabase(url: string, authToken?: string): Promise<Db> {
  const isFile = url.startsWith('file:');
  if (isFile) {
    const path = url.slice('file:'.length).split('?')[0]!;
    if (path && path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  // Several processes may share one file: wait on a lock instead of failing at once.
  const client = createClient({ url, authToken, timeout: 10_000 });
  if (isFile) {
    await client.execute('PRAGMA journal_mode = WAL');
    oneWriterAtATime(client);
  }
  return drizzle(client, { schema }) as Db;
}

/**
 * An embedded database waits for its write lock synchronously, holding up the whole process. So if one
 * task in a process held a transaction open while another task wrote, the writer would block the event
 * loop and the transaction could never finish: a stall until the lock timeout, then an error. Within a
 * process, writes and transactions therefore take turns; reads go straight through (WAL lets them).
 * Inside a transaction, write through the transaction, never through the client.
 */
export function oneWriterAtATime(client: Client) {
  let tail: Promise<void> = Promise.resolve();
  function acquire(): Promise<() => void> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const ready = tail.then(() => release);
    tail = tail.then(() => turn);
    return ready;
  }
  const isRead = (statement: InStatement) => /^\s*select\b/i.test(typeof statement === 'string' ? statement : statement.sql);

  async function inTurn<T>(work: () => Promise<T>): Promise<T> {
    const release = await acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }

  const execute = client.execute.bind(client) as (statement: InStatement) => Promise<ResultSet>;
  client.execute = ((statement: InStatement) =>
    isRead(statement) ? execute(statement) : inTurn(() => execute(statement))) as Client['execute'];

  for (const name of ['batch', 'migrate', 'executeMultiple'] as const) {
    const original = (client[name] as (...args: unknown[]) => Promise<unknown>).bind(client);
    (client as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => inTurn(() => original(...args));
  }

  const transaction = client.transaction.bind(client);
  client.transaction = (async (mode?: TransactionMode) => {
    const release = await acquire();
    let tx: Transaction;
    try {
      tx = await transaction(mode);
    } catch (error) {
      release();
      throw error;
    }
    let settled = false;
    const settle = () => {
      if (!settled) {
        settled = true;
        release();
      }
    };
    const commit = tx.commit.bind(tx);
    const rollback = tx.rollback.bind(tx);
    const close = tx.close.bind(tx);
    tx.commit = async () => {
      try {
        await commit();
      } finally {
        settle();
      }
    };
    tx.rollback = async () => {
      try {
        await rollback();
      } finally {
        settle();
      }
    };
    tx.close = () => {
      try {
        close();
      } finally {
        settle();
      }
    };
    return tx;
  }) as Client['transaction'];
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
