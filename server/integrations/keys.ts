// API keys for the integration API. The secret is shown once, when the key is made; only its SHA-256 and
// its first characters are kept, so a copy of the database does not give working keys.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { bilingual } from '../../surveys/i18n.ts';
import type { Db } from '../db/client.ts';
import { apiKeys } from '../db/schema.ts';
import type { AppEnv } from '../env.ts';
import { DomainError } from '../errors.ts';
import { bearerSecret, lastUsedEveryMs, lastUsedIsStale, prefixOf, secretFromBytes } from './rules.ts';

type ApiKeyRow = typeof apiKeys.$inferSelect;

const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());

export function toApiKey(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdBy: row.createdBy,
    createdAt: iso(row.createdAt)!,
    lastUsedAt: iso(row.lastUsedAt),
    revokedAt: iso(row.revokedAt),
  };
}
export type ApiKey = ReturnType<typeof toApiKey>;

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** Makes a key; the secret is in the answer and nowhere else. */
export async function createApiKey(db: Db, input: { name: string; createdBy: string }): Promise<{ key: ApiKey; secret: string }> {
  const secret = secretFromBytes(randomBytes(24));
  const [row] = await db
    .insert(apiKeys)
    .values({ id: randomUUID(), name: input.name, prefix: prefixOf(secret), keyHash: hashSecret(secret), createdBy: input.createdBy })
    .returning();
  return { key: toApiKey(row!), secret };
}

export async function listApiKeys(db: Db): Promise<ApiKey[]> {
  const rows = await db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  return rows.map(toApiKey);
}

/** Revokes a key at once; revoking it again changes nothing. */
export async function revokeApiKey(db: Db, input: { id: string; revokedBy: string }): Promise<ApiKey> {
  await db
    .update(apiKeys)
    .set({ revokedAt: Date.now(), revokedBy: input.revokedBy })
    .where(and(eq(apiKeys.id, input.id), isNull(apiKeys.revokedAt)));
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, input.id));
  if (!row) throw new DomainError('not_found', bilingual('No such API key.', '找不到该 API 密钥。'));
  return toApiKey(row);
}

const missingKey = () =>
  new DomainError(
    'unauthorized',
    bilingual(
      'Send your API key as "Authorization: Bearer <key>". An admin creates keys on the Integrations page.',
      '请以 “Authorization: Bearer <密钥>” 发送 API 密钥。管理员可在“集成”页面创建密钥。',
    ),
  );

const unknownKey = () =>
  new DomainError(
    'unauthorized',
    bilingual(
      'This API key is not valid: it was revoked or never existed. Ask an admin for a new key.',
      '该 API 密钥无效：已被吊销或不存在。请向管理员申请新的密钥。',
    ),
  );

/** The live key a secret belongs to; lastUsedAt is written at most once a minute per key. */
export async function authenticate(db: Db, secret: string, now = Date.now()): Promise<ApiKey | null> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.keyHash, hashSecret(secret)));
  if (!row || row.revokedAt !== null) return null;
  if (lastUsedIsStale(row.lastUsedAt, now)) {
    // The condition repeats the check, so processes answering calls at the same moment write once between them.
    await db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, now - lastUsedEveryMs + 1))));
    row.lastUsedAt = now;
  }
  return toApiKey(row);
}

export type IntegrationEnv = AppEnv & { Variables: { apiKey: ApiKey } };

/** Lets a request through only with a live API key, which it puts in c.var.apiKey. */
export const requireApiKey = createMiddleware<IntegrationEnv>(async function requireApiKey(c, next) {
  const header = c.req.header('authorization');
  const secret = bearerSecret(header);
  if (!secret) throw missingKey();
  const key = await authenticate(c.var.db, secret);
  if (!key) throw unknownKey();
  c.set('apiKey', key);
  await next();
});
