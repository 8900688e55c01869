// Mail when a sending process dies: two real server processes send one queue of messages to an SMTP server on
// loopback (in this process: it keeps only the Message-IDs it received); once a share has arrived, one process
// is killed with SIGKILL in the middle of sending. The other takes over its jobs when their leases run out.
// Counted at the end: messages received more than once (the same Message-ID again: accepted by the SMTP server
// but not yet recorded as sent when the process died) and messages lost (never received; must be 0).
// `node --import tsx bench/mail-kill.ts [--count N] [--rounds N]` runs it alone.
import { join } from 'node:path';
import { migrateDatabase, openDatabase } from '../server/db/client.ts';
import { queueMessages } from '../server/mail/mailer.ts';
import { onCleanup, runAlone, startedAlone } from './processes.ts';
import { formatCount, formatMs, printTable } from './report.ts';
import { startCountingSmtp, startSendingServers } from './mail.ts';

export const defaultKillMessages = 2_000;
/** Slow enough that the kill lands while both processes are sending, fast enough to end in seconds. */
const mailPerSecond = 200;
/** The kill comes once this share of the messages has arrived. */
const killAtShare = 0.3;
/** The server's lease: the killed process's jobs are taken over once it runs out. */
const runLimitMs = 5 * 60_000;

export interface MailKillRound {
  messages: number;
  receivedBeforeKill: number;
  received: number;
  /** Copies received beyond the first, summed over messages. */
  duplicates: number;
  /** Messages received more than once. */
  duplicatedMessages: number;
  lost: number;
  /** Messages the SMTP server saw begin but not end (the killed process's connections). */
  cutShort: number;
  /** From the kill until every message was marked sent. */
  recoveredMs: number;
  outboxSent: number;
}

async function oneRound(workDir: string, round: number, count: number): Promise<MailKillRound> {
  const smtp = await startCountingSmtp();
  onCleanup(smtp.close);
  const databaseUrl = `file:${join(workDir, `mail-kill-${round}.db`)}`;
  const db = await openDatabase(databaseUrl);
  onCleanup(() => db.$client.close());
  await migrateDatabase(db);
  const ids = await queueMessages(
    db,
    Array.from({ length: count }, (_, n) => ({ to: `customer${n}@example.com`, subject: `Survey invitation ${n}`, text: `Dear customer ${n}` })),
  );

  const children = await startSendingServers({
    count: 2,
    databaseUrl,
    smtpUrl: smtp.url,
    mailPerSecond,
    logPath: (index) => join(workDir, `mail-kill-${round}-server-${index}.log`),
  });

  const deadline = Date.now() + runLimitMs;
  const waitUntil = async (what: string, done: () => Promise<boolean> | boolean) => {
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}:\n${children.map((child) => child.logTail(5)).join('\n')}`);
      await new Promise((next) => setTimeout(next, 20));
    }
  };
  await waitUntil('a share of the messages', () => smtp.received >= count * killAtShare);
  const receivedBeforeKill = smtp.received;
  children[0]!.process.kill('SIGKILL');
  const killedAt = performance.now();
  await children[0]!.exited;

  const sentCount = async () =>
    Number((await db.$client.execute(`SELECT count(*) FROM outgoing_messages WHERE status = 'sent'`)).rows[0]![0]);
  await waitUntil('every message to be marked sent', async () => (await sentCount()) >= count);
  const recoveredMs = performance.now() - killedAt;
  // Every send job is finished now: nothing more can arrive.
  await children[1]!.stop();
  const outboxSent = await sentCount();

  const copies = ids.map((id) => smtp.times.get(`<${id}@example.com>`) ?? 0);
  return {
    messages: count,
    receivedBeforeKill,
    received: smtp.received,
    duplicates: copies.reduce((sum, times) => sum + Math.max(0, times - 1), 0),
    duplicatedMessages: copies.filter((times) => times > 1).length,
    lost: copies.filter((times) => times === 0).length,
    cutShort: smtp.cutShort,
    recoveredMs,
    outboxSent,
  };
}

export async function measureMailKill(input: { workDir: string; count?: number; rounds?: number }): Promise<MailKillRound[]> {
  const rounds: MailKillRound[] = [];
  for (let round = 1; round <= (input.rounds ?? 1); round += 1) rounds.push(await oneRound(input.workDir, round, input.count ?? defaultKillMessages));
  return rounds;
}

/** No message lost, and every one marked sent. */
export const mailKillLosesNothing = (rounds: MailKillRound[]) => rounds.every((round) => round.lost === 0 && round.outboxSent === round.messages);

export function mailKillTable(rounds: MailKillRound[], number = '5c') {
  printTable(
    `${number}. Mail, a sending process killed (SIGKILL) mid-send: 2 server processes, loopback SMTP, MAIL_PER_SECOND ${mailPerSecond} each`,
    rounds.map((round, index) => ({
      kill: index + 1,
      messages: formatCount(round.messages),
      'received before the kill': formatCount(round.receivedBeforeKill),
      received: formatCount(round.received),
      'sent twice (same Message-ID)': formatCount(round.duplicatedMessages),
      'extra copies': formatCount(round.duplicates),
      lost: formatCount(round.lost),
      'cut short by the kill': formatCount(round.cutShort),
      'kill → all sent': formatMs(round.recoveredMs),
    })),
  );
}

if (startedAlone(import.meta.url)) {
  const argument = (name: string) => {
    const at = process.argv.indexOf(name);
    return at > 0 ? Number(process.argv[at + 1]) : undefined;
  };
  runAlone('mail-kill', async (workDir) => {
    const rounds = await measureMailKill({ workDir, count: argument('--count'), rounds: argument('--rounds') });
    mailKillTable(rounds);
    console.log(`  no message lost: ${mailKillLosesNothing(rounds) ? 'yes' : 'NO'}`);
  });
}
