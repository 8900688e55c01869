// Opens the database named by DATABASE_URL: an embedded libSQL file or a libSQL server.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createClient, type Client, type InStatement, type ResultSet, type Transaction, type TransactionMode } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import * as schema from './schema.ts';
import { migrationsFolder } from '../paths.ts';
import type { Tracer } from './trace.ts';
import { autocheckpointPragma, startCheckpointer, type CheckpointOptions, type Checkpointer } from './checkpoints.ts';

export type Db = LibSQLDatabase<typeof schema> & { $client: Client };


const checkpointers = new WeakMap<Client, Checkpointer>();

/**
 * Opens the database. With `checkpointInBackground` (a long-running server process on a file), the log is
 * copied back into the file by a thread of its own instead of by the write that fills it (checkpoints.ts).
 */
export async function openDatabase(url: string, authToken?: string, options: { tracer?: Tracer; checkpointInBackground?: boolean | CheckpointOptions } = {}): Promise<Db> {
  const isFile = url.startsWith('file:');
  const path = isFile ? url.slice('file:'.length).split('?')[0]! : '';
  if (path && path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  // Several processes may share one file: wait on a lock instead of failing at once.
  const client = createClient({ url, authToken, timeout: 10_000 });
  if (isFile) {
    await client.execute('PRAGMA journal_mode = WAL');
    const background = options.checkpointInBackground;
    const checkpointer = background && path && path !== ':memory:' ? startCheckpointer(path, background === true ? {} : background) : undefined;
    if (checkpointer) {
      checkpointers.set(client, checkpointer);
      const close = client.close.bind(client);
      client.close = () => {
        void checkpointer.stop();
        close();
      };
    }
    oneWriterAtATime(client, options.tracer, checkpointer);
  }
  return drizzle(client, { schema }) as Db;
}

/** The thread copying the log back for this database, when it was opened with one. */
export function checkpointerOf(db: Db): Checkpointer | undefined {
  return checkpointers.get(db.$client);
}

/**
 * An embedded database waits for its write lock synchronously, holding up the whole process. So if one
 * task in a process held a transaction open while another task wrote, the writer would block the event
 * loop and the transaction could never finish: a stall until the lock timeout, then an error. Within a
 * process, writes and transactions therefore take turns; reads go straight through (WAL lets them).
 * Inside a transaction, write through the transaction, never through the client.
 */
export function oneWriterAtATime(client: Client, tracer?: Tracer, checkpointer?: Checkpointer) {
  let tail: Promise<void> = Promise.resolve();
  /** The turn being held, while tracing: what it does and how long its statements blocked. */
  let current: { what: string; blockedMs: number; statements: number; slowest: string; slowestMs: number } | null = null;
  function acquire(what: string): Promise<() => void> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const asked = tracer ? performance.now() : 0;
    const ready = tail.then(() => {
      if (!tracer) return release;
      const granted = performance.now();
      const held = (current = { what, blockedMs: 0, statements: 0, slowest: '', slowestMs: 0 });
      return () => {
        current = null;
        const holdMs = performance.now() - granted;
        tracer.record({ event: 'write', what: held.what, waitMs: round(granted - asked), holdMs: round(holdMs), blockedMs: round(held.blockedMs), statements: held.statements, slowest: `${round(held.slowestMs)} ms ${held.slowest}` });
        release();
      };
    });
    tail = tail.then(() => turn);
    return ready;
  }
  const round = (ms: number) => Math.round(ms * 10) / 10;
  const sqlOf = (statement: InStatement) => (typeof statement === 'string' ? statement : statement.sql);
  const isRead = (statement: InStatement) => /^\s*select\b/i.test(sqlOf(statement));
  /**
   * A statement in a transaction runs synchronously inside the call, so the time to its promise is the time
   * it blocked the process (a plain execute first awaits a pooled connection: only its turn's hold counts).
   */
  function timed<T>(statement: InStatement | string, run: () => Promise<T>): Promise<T> {
    if (!tracer || !current) return run();
    const started = performance.now();
    const promise = run();
    const ms = performance.now() - started;
    current.blockedMs += ms;
    current.statements += 1;
    if (ms > current.slowestMs) {
      current.slowestMs = ms;
      current.slowest = sqlOf(statement).replace(/\s+/g, ' ').trim().slice(0, 40);
    }
    if (current.what === 'transaction') current.what = `transaction: ${sqlOf(statement).trim().slice(0, 40)}`;
    return promise;
  }

  async function inTurn<T>(what: string, work: () => Promise<T>): Promise<T> {
    const release = await acquire(what);
    try {
      return await work();
    } finally {
      release();
    }
  }

  const execute = client.execute.bind(client) as (statement: InStatement) => Promise<ResultSet>;
  const read = (statement: InStatement) => {
    if (!tracer) return execute(statement);
    const started = performance.now();
    return execute(statement).finally(() => {
      const ms = performance.now() - started;
      if (ms >= 5) tracer.record({ event: 'read', what: sqlOf(statement).replace(/\s+/g, ' ').trim().slice(0, 60), ms: round(ms) });
    });
  };
  const batch = client.batch.bind(client) as (statements: InStatement[], mode?: TransactionMode) => Promise<ResultSet[]>;
  // With a checkpoint thread, a write takes the connection's checkpoint setting with it, on the connection it runs
  // on (the client lends any of its pool's): a data change as a batch of two, which commits like the one statement.
  const isDataChange = (statement: InStatement) => /^\s*(insert|update|delete|replace)\b/i.test(sqlOf(statement));
  const write = (statement: InStatement) =>
    checkpointer && isDataChange(statement) ? batch([autocheckpointPragma(checkpointer), statement], 'write').then((results) => results[1]!) : execute(statement);
  client.execute = ((statement: InStatement) =>
    isRead(statement)
      ? read(statement)
      : inTurn(sqlOf(statement).trim().slice(0, 40), () => timed(statement, () => write(statement)))) as Client['execute'];

  client.batch = ((statements: InStatement[], mode?: TransactionMode) =>
    inTurn('batch', () =>
      timed('batch', () =>
        checkpointer ? batch([autocheckpointPragma(checkpointer), ...statements], mode).then((results) => results.slice(1)) : batch(statements, mode),
      ),
    )) as Client['batch'];
  for (const name of ['migrate', 'executeMultiple'] as const) {
    const original = (client[name] as (...args: unknown[]) => Promise<unknown>).bind(client);
    (client as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => inTurn(name, () => timed(name, () => original(...args)));
  }

  const transaction = client.transaction.bind(client);
  client.transaction = (async (mode?: TransactionMode) => {
    const release = await acquire('transaction');
    let tx: Transaction;
    try {
      tx = await transaction(mode);
    } catch (error) {
      release();
      throw error;
    }
    if (checkpointer) {
      try {
        await tx.execute(autocheckpointPragma(checkpointer));
      } catch (error) {
        tx.close();
        release();
        throw error;
      }
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
    if (tracer) {
      const txExecute = tx.execute.bind(tx) as (statement: InStatement) => Promise<ResultSet>;
      tx.execute = ((statement: InStatement) => timed(statement, () => txExecute(statement))) as Transaction['execute'];
    }
    tx.commit = async () => {
      try {
        await timed('commit', commit);
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
