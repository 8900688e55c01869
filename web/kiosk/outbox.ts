// The kiosk's outbox: every answer is written to IndexedDB on the device before anything is sent, and stays
// there until the server confirms it (stored or duplicate). Answers the server refuses move to a separate
// store, never dropped, so staff can see them.
import { createStore, del, entries, set, values } from 'idb-keyval';
import type { Answers } from '../../surveys/answers.ts';
import type { Locale } from '../../surveys/definition.ts';
import type { CaseReceipt } from '../respond/send.ts';
import { deliveryOf, retryDelayMs, type Delivery } from './rules.ts';

export interface KioskAnswer {
  /** Made on the device; the server stores one row per id, however often it is sent. */
  id: string;
  versionId: string;
  locale: Locale;
  answers: Answers;
  startedAt: number;
}

interface Queued {
  kioskKey: string;
  answer: KioskAnswer;
  queuedAt: number;
}

interface Refused extends Queued {
  refusedAt: number;
  status: number;
  error?: string;
}

export interface OutboxCounts {
  waiting: number;
  refused: number;
}

/** What became of an answer that left the waiting store: sent (the server has it) or refused (kept apart). */
export type Delivered = Exclude<Delivery, 'retry'>;

// One database per store: idb-keyval creates a single object store per database.
const waitingStore = createStore('kiosk-outbox', 'waiting');
const refusedStore = createStore('kiosk-refused', 'refused');

const drainEveryMs = 15_000;
const attemptTimeoutMs = 20_000;

async function post(entry: Queued): Promise<{ status: number | 'network-error'; error?: string; case?: CaseReceipt }> {
  try {
    const response = await fetch(`/api/public/kiosk/${encodeURIComponent(entry.kioskKey)}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(entry.answer),
      signal: AbortSignal.timeout(attemptTimeoutMs),
    });
    if (response.ok) {
      const body = (await response.json().catch(() => null)) as { case?: CaseReceipt } | null;
      return { status: response.status, ...(body?.case ? { case: body.case } : {}) };
    }
    const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
    return { status: response.status, ...(typeof body?.error === 'string' ? { error: body.error } : {}) };
  } catch {
    return { status: 'network-error' };
  }
}

export class KioskOutbox {
  #draining = false;
  #again = false;
  #failures = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #interval: ReturnType<typeof setInterval> | undefined;
  readonly #onlineListener = () => {
    this.#failures = 0;
    void this.drain();
  };

  constructor(
    private readonly onCounts: (counts: OutboxCounts) => void,
    /** With the reference of the case a complaint form opened, once the server has it. */
    private readonly onDelivered: (id: string, delivered: Delivered, opened?: CaseReceipt) => void = () => undefined,
  ) {}

  /** Sends what is waiting now, when the network comes back, and every 15 seconds. */
  start() {
    window.addEventListener('online', this.#onlineListener);
    this.#interval = setInterval(() => void this.drain(), drainEveryMs);
    void this.drain();
  }

  stop() {
    window.removeEventListener('online', this.#onlineListener);
    clearInterval(this.#interval);
    clearTimeout(this.#retryTimer);
  }

  /** Keeps the answer on the device; resolves once it is safely in IndexedDB, then tries to send it. */
  async add(kioskKey: string, answer: KioskAnswer) {
    const entry: Queued = { kioskKey, answer, queuedAt: Date.now() };
    await set(answer.id, entry, waitingStore);
    await this.#report();
    void this.drain();
  }

  async counts(): Promise<OutboxCounts> {
    const [waiting, refused] = await Promise.all([values(waitingStore), values(refusedStore)]);
    return { waiting: waiting.length, refused: refused.length };
  }

  async #report() {
    this.onCounts(await this.counts());
  }

  /** Sends every waiting answer, oldest first; stops at the first that cannot be sent now and retries later. */
  async drain(): Promise<void> {
    if (this.#draining) {
      this.#again = true;
      return;
    }
    this.#draining = true;
    clearTimeout(this.#retryTimer);
    try {
      do {
        this.#again = false;
        const waiting = (await entries<string, Queued>(waitingStore)).sort(([, a], [, b]) => a.queuedAt - b.queuedAt);
        for (const [id, entry] of waiting) {
          const reply = await post(entry);
          const delivery = deliveryOf(reply.status);
          if (delivery === 'retry') {
            this.#failures++;
            this.#retryTimer = setTimeout(() => void this.drain(), retryDelayMs(this.#failures));
            this.#again = false;
            break;
          }
          this.#failures = 0;
          if (delivery === 'refused') {
            const refused: Refused = { ...entry, refusedAt: Date.now(), status: reply.status as number, ...(reply.error ? { error: reply.error } : {}) };
            await set(id, refused, refusedStore);
          }
          await del(id, waitingStore);
          this.onDelivered(id, delivery, reply.case);
          await this.#report();
        }
      } while (this.#again);
    } finally {
      this.#draining = false;
      await this.#report();
    }
  }
}
