// Another process takes the database's write lock and makes some changes at once, unseen until it commits them
// a second and a half later. A test starts something meanwhile (a send, an edit, an index batch) and checks what
// it does with a change committed while it was under way: anything reading sees the rows as they were, and any
// write waits for that commit.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** Resolves once the lock is held and the changes made; `committed` resolves when they are committed. */
export async function changeUnderWriteLock(databaseUrl: string, statements: string[], holdMs = 1500): Promise<{ committed: Promise<unknown> }> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const Database = require('libsql');
       const db = new Database(${JSON.stringify(fileURLToPath(databaseUrl))});
       db.exec('BEGIN IMMEDIATE');
       for (const statement of ${JSON.stringify(statements)}) db.exec(statement);
       process.stdout.write('changed\\n');
       setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${holdMs});`,
    ],
    { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const committed = once(child, 'exit');
  await once(child.stdout, 'data');
  return { committed };
}
