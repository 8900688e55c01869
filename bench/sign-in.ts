// Sign-in time for a known email with a wrong password against an unknown email: both should cost one
// password hash, so an attacker cannot tell from the time which emails have accounts.
// Runs alone: node --import tsx bench/sign-in.ts [--samples N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signIn } from '../server/accounts/service.ts';
import { hashPassword } from '../server/accounts/passwords.ts';
import { migrateDatabase, openDatabase } from '../server/db/client.ts';
import { loginFailures, users } from '../server/db/schema.ts';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '15' } } });
const samples = Math.max(1, Number(values.samples) || 15);

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const dir = mkdtempSync(join(tmpdir(), 'bench-sign-in-'));
try {
  const db = await openDatabase(`file:${join(dir, 'app.db')}`);
  await migrateDatabase(db);
  await db.insert(users).values({
    id: 'known',
    email: 'known@example.com',
    name: 'Known',
    role: 'admin',
    passwordHash: await hashPassword('the right password'),
  });
  const time = async (email: string) => {
    // Each attempt from a new address, with the failures cleared, so the throttle never answers instead.
    await db.delete(loginFailures);
    const started = performance.now();
    await signIn(db, { email, password: 'a wrong password', address: `198.51.100.${Math.floor(Math.random() * 250)}` }).catch(() => {});
    return performance.now() - started;
  };
  await time('known@example.com');
  await time('unknown@example.com');
  const known: number[] = [];
  const unknown: number[] = [];
  // Interleaved, so a change in the machine's load falls on both alike.
  for (let sample = 0; sample < samples; sample++) {
    known.push(await time('known@example.com'));
    unknown.push(await time('unknown@example.com'));
  }
  const [k, u] = [median(known), median(unknown)];
  console.log(`sign-in, median of ${samples}: known email ${k.toFixed(1)} ms, unknown email ${u.toFixed(1)} ms (ratio ${(u / k).toFixed(2)})`);
  db.$client.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
