// Bounded waiting for something another process or a background loop will do.
import { setTimeout as delay } from 'node:timers/promises';

/** Calls `check` every `everyMs` until it returns a value other than undefined/false; fails after `withinMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  { withinMs = 10_000, everyMs = 20 }: { withinMs?: number; everyMs?: number } = {},
): Promise<T> {
  const giveUpAt = Date.now() + withinMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > giveUpAt) throw new Error(`Gave up after ${withinMs} ms waiting for ${what}.`);
    await delay(everyMs);
  }
}
