// The environment, parsed once. Nothing else in the project reads process.env.
import { isIP } from 'node:net';
import * as v from 'valibot';

const Port = v.pipe(
  v.optional(v.string(), '3000'),
  v.regex(/^\d{1,5}$/, 'a port number from 1 to 65535'),
  v.transform(Number),
  v.number(),
  v.minValue(1, 'a port number from 1 to 65535'),
  v.maxValue(65535, 'a port number from 1 to 65535'),
);

const DatabaseUrl = v.pipe(
  v.optional(v.string(), 'file:data/app.db'),
  v.regex(/^(file:|libsql:\/\/|https?:\/\/|wss?:\/\/)/, 'a libSQL URL: file:PATH, libsql://HOST, http(s)://HOST or ws(s)://HOST'),
);

const Email = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email('an email address'));

const proxyListText = 'a comma-separated list of proxy addresses or CIDR ranges, such as 10.0.0.0/8,::1';

/** One proxy address or CIDR range: 10.0.0.5, 10.0.0.0/8, ::1, fd00::/8. */
function isProxyEntry(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

const TrustProxy = v.pipe(
  v.optional(v.string(), 'none'),
  v.transform((value) => (value.trim() === 'none' ? [] : value.split(',').map((entry) => entry.trim()))),
  v.check((entries) => entries.every(isProxyEntry), proxyListText),
);

const rateLimitText = '"off" or a whole number of requests per minute from 1 to 1000000';
const RateLimit = v.pipe(
  v.optional(v.string(), '600'),
  v.regex(/^(off|\d{1,7})$/, rateLimitText),
  v.transform((value) => (value === 'off' ? null : Number(value))),
  v.check((value) => value === null || (value >= 1 && value <= 1_000_000), rateLimitText),
);

const backupEveryText = 'a number of hours from 0.001 to 8760, or 0 for no scheduled backups';

const EnvSchema = v.object({
  PORT: Port,
  HOST: v.optional(v.pipe(v.string(), v.nonEmpty('a host name or address')), '127.0.0.1'),
  DATABASE_URL: DatabaseUrl,
  DATABASE_AUTH_TOKEN: v.optional(v.string()),
  /** Public base URL for links shown to people (first-admin link, invitations); defaults to the listen address. */
  PUBLIC_URL: v.optional(v.pipe(v.string(), v.url('an absolute URL such as https://survey.example.com'))),
  ADMIN_EMAIL: v.optional(Email),
  ADMIN_PASSWORD: v.optional(v.pipe(v.string(), v.minLength(10, 'a password of at least 10 characters'))),
  /** Set to "true" behind HTTPS so cookies carry the Secure flag. */
  COOKIE_SECURE: v.optional(
    v.pipe(v.picklist(['true', 'false'], '"true" or "false"'), v.transform((value) => value === 'true')),
    'false',
  ),
  /** Where mail goes: smtp://user:pass@host:587 or smtps://…; without it messages wait in the Outbox. */
  SMTP_URL: v.optional(v.pipe(v.string(), v.regex(/^smtps?:\/\/[^\s]+$/, 'an SMTP URL such as smtp://user:password@mail.example.com:587 or smtps://…'))),
  MAIL_FROM: v.optional(v.pipe(v.string(), v.nonEmpty('a sender such as "Survey Team <survey@example.com>"')), 'Satisfaction Surveys <no-reply@localhost>'),
  /** "off" keeps this process from running background jobs (sending mail); others sharing the database still do. */
  WORKER: v.optional(
    v.pipe(v.picklist(['on', 'off'], '"on" or "off"'), v.transform((value) => value === 'on')),
    'on',
  ),
  /** Most messages one process sends per second. */
  MAIL_PER_SECOND: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+(\.\d+)?$/, 'a number of messages per second greater than 0, at most 10000'),
      v.transform(Number),
      v.number(),
      v.gtValue(0, 'a number of messages per second greater than 0, at most 10000'),
      v.maxValue(10_000, 'a number of messages per second greater than 0, at most 10000'),
    ),
    '50',
  ),
  /** Proxies whose X-Forwarded-For is believed; by default none, and the client is the connection's address. */
  TRUST_PROXY: TrustProxy,
  /** Writes per minute one client address may make to the anonymous routes; "off" for no limit. */
  RATE_LIMIT_PER_MINUTE: RateLimit,
  LOG_LEVEL: v.optional(v.picklist(['silent', 'error', 'info', 'debug'], 'one of silent, error, info, debug'), 'info'),
  /** Where the server takes customers' email replies to complaint cases; without it no listener runs. */
  INBOUND_SMTP_PORT: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,5}$/, 'a port number from 1 to 65535'),
      v.transform(Number),
      v.number(),
      v.minValue(1, 'a port number from 1 to 65535'),
      v.maxValue(65535, 'a port number from 1 to 65535'),
    ),
  ),
  /** The address the inbound listener binds; HOST when unset. */
  INBOUND_SMTP_HOST: v.optional(v.pipe(v.string(), v.nonEmpty('a host name or address'))),
  /** Largest inbound message accepted, in bytes; bigger ones are refused with the reason. */
  INBOUND_MAX_BYTES: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,9}$/, 'a whole number of bytes from 1024 to 100000000'),
      v.transform(Number),
      v.number(),
      v.minValue(1024, 'a whole number of bytes from 1024 to 100000000'),
      v.maxValue(100_000_000, 'a whole number of bytes from 1024 to 100000000'),
    ),
    '10000000',
  ),
  /** How often the complaint deadline sweep looks for cases at risk or breached, in seconds (one run per period across all processes). */
  DEADLINE_SWEEP_SECONDS: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,4}$/, 'a whole number of seconds from 1 to 3600'),
      v.transform(Number),
      v.number(),
      v.minValue(1, 'a whole number of seconds from 1 to 3600'),
      v.maxValue(3600, 'a whole number of seconds from 1 to 3600'),
    ),
    '60',
  ),
  /** The token Prometheus sends (Authorization: Bearer …) to read GET /metrics; without it /metrics answers 404. */
  METRICS_TOKEN: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9._~+/-]{16,200}$/, 'a token of 16 to 200 letters, digits or . _ ~ + / - (such as the output of: openssl rand -hex 32)')),
  ),
  /** How long a stopping process waits for requests in flight and running jobs before it exits anyway, in seconds. */
  SHUTDOWN_GRACE_SECONDS: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, 'a whole number of seconds from 1 to 600'),
      v.transform(Number),
      v.number(),
      v.minValue(1, 'a whole number of seconds from 1 to 600'),
      v.maxValue(600, 'a whole number of seconds from 1 to 600'),
    ),
    '20',
  ),
  /** The domain of case reply addresses (reply+<token>@REPLY_DOMAIN); the domain of MAIL_FROM when unset. */
  REPLY_DOMAIN: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9.-]+$/i, 'a mail domain such as support.example.com'))),
  /** Where `npm run backup` and the scheduled backups write, relative to the working folder unless absolute. */
  BACKUP_DIR: v.optional(v.pipe(v.string(), v.trim(), v.nonEmpty('a folder such as data/backups')), 'data/backups'),
  /** Hours between scheduled backups (one per period across all processes); 0 for none. */
  BACKUP_EVERY_HOURS: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,4}(\.\d{1,6})?$/, backupEveryText),
      v.transform(Number),
      v.number(),
      v.check((hours) => hours === 0 || (hours >= 0.001 && hours <= 8760), backupEveryText),
    ),
    '24',
  ),
  /** Scheduled backups kept; older ones the schedule made are removed. */
  BACKUP_KEEP: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,4}$/, 'a whole number of backups from 1 to 1000'),
      v.transform(Number),
      v.number(),
      v.minValue(1, 'a whole number of backups from 1 to 1000'),
      v.maxValue(1000, 'a whole number of backups from 1 to 1000'),
    ),
    '7',
  ),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string;
  databaseAuthToken: string | undefined;
  publicUrl: string;
  /** True when neither PUBLIC_URL nor PORT was set: publicUrl is the default address, which a process elsewhere may not have. */
  publicUrlAssumed: boolean;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  cookieSecure: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  worker: boolean;
  mailPerSecond: number;
  /** Proxy addresses and CIDR ranges from TRUST_PROXY; empty: trust none. */
  trustProxy: string[];
  /** Anonymous writes per minute per client address; null: no limit. */
  rateLimitPerMinute: number | null;
  logLevel: 'silent' | 'error' | 'info' | 'debug';
  /** The inbound SMTP listener for case replies; null: none runs. */
  inboundSmtp: { port: number; host: string; maxBytes: number } | null;
  /** The domain of case reply addresses. */
  replyDomain: string;
  /** The complaint deadline sweep runs once per this many milliseconds, whatever the number of processes. */
  deadlineSweepMs: number;
  /** The bearer token of GET /metrics; null: the endpoint is off. */
  metricsToken: string | null;
  /** A stopping process exits at the latest this long after the signal. */
  shutdownGraceMs: number;
  /** Scheduled and `npm run backup` backups: the folder, the period (0: none) and how many scheduled ones are kept. */
  backups: { dir: string; everyMs: number; keep: number };
};

export class ConfigError extends Error {}

/** Parse the environment; a bad value throws a ConfigError naming the variable and what it accepts. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const relevant = Object.fromEntries(
    Object.keys(EnvSchema.entries)
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const result = v.safeParse(EnvSchema, relevant);
  if (!result.success) {
    const lines = result.issues.map((issue) => {
      const name = v.getDotPath(issue) ?? 'environment';
      return `${name}=${JSON.stringify(relevant[name] ?? '')} is not valid: expected ${issue.message}`;
    });
    throw new ConfigError(`Configuration error:\n  ${lines.join('\n  ')}`);
  }
  const parsed = result.output;
  if ((parsed.ADMIN_EMAIL === undefined) !== (parsed.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError('Configuration error:\n  ADMIN_EMAIL and ADMIN_PASSWORD must be set together (or neither).');
  }
  const displayHost = parsed.HOST === '0.0.0.0' || parsed.HOST === '::' ? 'localhost' : parsed.HOST;
  return {
    port: parsed.PORT,
    host: parsed.HOST,
    databaseUrl: parsed.DATABASE_URL,
    databaseAuthToken: parsed.DATABASE_AUTH_TOKEN,
    publicUrl: (parsed.PUBLIC_URL ?? `http://${displayHost.includes(':') ? `[${displayHost}]` : displayHost}:${parsed.PORT}`).replace(/\/$/, ''),
    publicUrlAssumed: parsed.PUBLIC_URL === undefined && relevant.PORT === undefined,
    adminEmail: parsed.ADMIN_EMAIL,
    adminPassword: parsed.ADMIN_PASSWORD,
    cookieSecure: parsed.COOKIE_SECURE,
    smtpUrl: parsed.SMTP_URL,
    mailFrom: parsed.MAIL_FROM,
    worker: parsed.WORKER,
    mailPerSecond: parsed.MAIL_PER_SECOND,
    trustProxy: parsed.TRUST_PROXY,
    rateLimitPerMinute: parsed.RATE_LIMIT_PER_MINUTE,
    logLevel: parsed.LOG_LEVEL,
    inboundSmtp:
      parsed.INBOUND_SMTP_PORT === undefined
        ? null
        : { port: parsed.INBOUND_SMTP_PORT, host: parsed.INBOUND_SMTP_HOST ?? parsed.HOST, maxBytes: parsed.INBOUND_MAX_BYTES },
    replyDomain: parsed.REPLY_DOMAIN ?? /@([^\s>]+)>?\s*$/.exec(parsed.MAIL_FROM)?.[1] ?? 'localhost',
    deadlineSweepMs: parsed.DEADLINE_SWEEP_SECONDS * 1000,
    metricsToken: parsed.METRICS_TOKEN ?? null,
    shutdownGraceMs: parsed.SHUTDOWN_GRACE_SECONDS * 1000,
    backups: { dir: parsed.BACKUP_DIR, everyMs: Math.round(parsed.BACKUP_EVERY_HOURS * 3_600_000), keep: parsed.BACKUP_KEEP },
  };
}
