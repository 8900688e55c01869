// Sign-in time for a known email with a wrong password against an unknown email: both should cost one
// password hash, so an attacker cannot tell from the time which emails have accounts.
// Runs alone: node --import tsx bench/sign-in.ts [--samples N]; `npm run bench` runs it as step 7.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { signIn } from '../server/accounts/service.ts';
import { hashPassword } from '../server/accounts/passwords.ts';
import { migrateDatabase, openDatabase } from '../server/db/client.ts';
import { loginFailures, users } from '../server/db/schema.ts';
import { formatMs, median, printTable } from './report.ts';

export interface SignInTiming {
  samples: number;
  knownMs: number;
  unknownMs: number;
}

/** Unknown ÷ known may differ by this much either way before the difference is called telling. */
export const signInRatioLimits = [0.8, 1.25] as const;

export const signInIsEven = ({ knownMs, unknownMs }: SignInTiming) =>
  unknownMs / knownMs > signInRatioLimits[0] && unknownMs / knownMs < signInRatioLimits[1];

export async function measureSignIn(samples: number): Promise<SignInTiming> {
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
    db.$client.close();
    return { samples, knownMs: median(known), unknownMs: median(unknown) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function signInTable(timing: SignInTiming, number = '7') {
  printTable(`${number}. Sign-in with a wrong password, median of ${timing.samples} each, interleaved`, [
    {
      'known email': formatMs(timing.knownMs),
      'unknown email': formatMs(timing.unknownMs),
      'unknown ÷ known': (timing.unknownMs / timing.knownMs).toFixed(2),
      target: `${signInRatioLimits[0]}–${signInRatioLimits[1]}`,
    },
  ]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { samples: { type: 'string', default: '15' } } });
  signInTable(await measureSignIn(Math.max(1, Number(values.samples) || 15)));
}
