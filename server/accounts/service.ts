// Staff accounts: first admin, staff invites, sign-in with throttling, sessions, roles.
import { randomUUID } from 'node:crypto';
import { and, asc, count, eq, gt, inArray, isNull, lt, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { bilingual } from '../../surveys/i18n.ts';
import type { Db } from '../db/client.ts';
import { complaintCases, loginFailures, sessions, staffInvites, users } from '../db/schema.ts';
import { assignedCaseCount, assignedStatuses } from '../complaints/service.ts';
import { ownedCustomerCount, ownedCustomerCounts } from '../loyalty/follow-ups.ts';
import { DomainError } from '../errors.ts';
import { hashPassword, hashToken, newToken, unknownAccountHash, verifyPassword } from './passwords.ts';

export type Role = (typeof users.$inferSelect)['role'];
/** A staff member's language for the staff app and the mail they get. */
export type StaffLocale = NonNullable<(typeof users.$inferSelect)['locale']>;
export type StaffUser = Omit<typeof users.$inferSelect, 'passwordHash' | 'createdAt'> & { createdAt: string };

export const sessionLifetimeMs = 7 * 24 * 3600_000;
const setupLinkLifetimeMs = 24 * 3600_000;
const staffInviteLifetimeMs = 7 * 24 * 3600_000;
/**
 * Sign-in throttle: failures per email and client address together (perPair) and per client address
 * (perAddress) within windowMs; per email from everywhere (perEmail) within emailWindowMs.
 */
export const throttle = { windowMs: 15 * 60_000, perPair: 5, perAddress: 30, emailWindowMs: 60 * 60_000, perEmail: 100 };

function toStaffUser(row: typeof users.$inferSelect): StaffUser {
  const { passwordHash: _hash, createdAt, ...rest } = row;
  return { ...rest, createdAt: new Date(createdAt).toISOString() };
}

const invalidLink = () =>
  new DomainError(
    'gone',
    bilingual(
      'This link is invalid, already used or expired. Ask an admin for a new one.',
      '此链接无效、已使用或已过期，请向管理员索取新链接。',
    ),
  );

export async function hasAnyUser(db: Db): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).limit(1);
  return row !== undefined;
}

/** A one-time link to create the first admin; printed at start-up while no account exists. */
export async function createSetupToken(db: Db): Promise<string> {
  const token = newToken();
  await db.insert(staffInvites).values({
    tokenHash: hashToken(token),
    purpose: 'setup',
    role: 'admin',
    expiresAt: Date.now() + setupLinkLifetimeMs,
  });
  return token;
}

async function insertUser(
  db: Db,
  input: { email: string; name: string; password: string; role: Role; locale?: StaffLocale | null },
): Promise<StaffUser> {
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, input.email));
  if (existing) {
    throw new DomainError('conflict', bilingual('An account with this email already exists.', '该电子邮件已有账号。'), {
      email: bilingual('An account with this email already exists.', '该电子邮件已有账号。'),
    });
  }
  const [row] = await db
    .insert(users)
    .values({
      id: randomUUID(),
      email: input.email,
      name: input.name,
      role: input.role,
      locale: input.locale ?? null,
      passwordHash: await hashPassword(input.password),
    })
    .returning();
  return toStaffUser(row!);
}

/** Creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD when the database has no account yet. */
export async function ensureAdminFromEnvironment(db: Db, email: string, password: string) {
  if (await hasAnyUser(db)) return null;
  return insertUser(db, { email, name: email.split('@')[0]!, password, role: 'admin' });
}

export async function completeSetup(
  db: Db,
  input: { token: string; email: string; name: string; password: string },
): Promise<StaffUser> {
  const link = await useLink(db, input.token, 'setup');
  if (await hasAnyUser(db)) {
    throw new DomainError(
      'conflict',
      bilingual('The first admin already exists. Sign in instead.', '首个管理员已创建，请直接登录。'),
    );
  }
  return insertUser(db, { ...input, role: link.role });
}

/** Marks a one-time link used; only one caller can win it, even across processes. */
async function useLink(db: Db, token: string, purpose: 'setup' | 'invite') {
  const [link] = await db
    .update(staffInvites)
    .set({ usedAt: Date.now() })
    .where(
      and(
        eq(staffInvites.tokenHash, hashToken(token)),
        eq(staffInvites.purpose, purpose),
        isNull(staffInvites.usedAt),
        isNull(staffInvites.revokedAt),
        gt(staffInvites.expiresAt, Date.now()),
      ),
    )
    .returning();
  if (!link) throw invalidLink();
  return link;
}

/** An invite for a new staff account; its language (the inviter's when none is given) becomes the account's. */
export async function inviteStaff(db: Db, input: { email: string; role: Role; invitedBy: string; locale?: StaffLocale | null }) {
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, input.email));
  if (existing) {
    throw new DomainError('conflict', bilingual('An account with this email already exists.', '该电子邮件已有账号。'), {
      email: bilingual('An account with this email already exists.', '该电子邮件已有账号。'),
    });
  }
  const token = newToken();
  const tokenHash = hashToken(token);
  const expiresAt = Date.now() + staffInviteLifetimeMs;
  await db.insert(staffInvites).values({
    tokenHash,
    purpose: 'invite',
    email: input.email,
    role: input.role,
    invitedBy: input.invitedBy,
    locale: input.locale ?? null,
    expiresAt,
  });
  return { id: tokenHash, token, expiresAt: new Date(expiresAt).toISOString() };
}

/** The Outbox topic of a staff invite's email. */
export const staffInviteTopicPrefix = 'staff-invite:';
export const staffInviteTopic = (id: string) => `${staffInviteTopicPrefix}${id}`;

/** The path of the page where a staff invite is accepted; the same path earlier invites were sent with. */
export const staffInvitePath = (token: string) => `/app/invite?token=${token}`;

/** The email that carries a staff invite's link, in both languages since the invitee's language is unknown. */
export function staffInviteEmail(input: { to: string; link: string; role: Role; invitedBy: string; expiresAt: string; id: string }) {
  const roleNames: Record<Role, [string, string]> = {
    admin: ['admin', '管理员'],
    manager: ['manager', '经理'],
    support: ['support', '客服'],
    interviewer: ['interviewer', '访问员'],
  };
  const [roleEn, roleZh] = roleNames[input.role];
  const expires = input.expiresAt.slice(0, 16).replace('T', ' ');
  // A name is one line in the subject, whatever was typed into it.
  const inviter = input.invitedBy.replace(/\s+/g, ' ').trim();
  return {
    to: input.to,
    subject: `${inviter} invited you to the staff app / ${inviter} 邀请您使用员工应用`,
    text: [
      `${inviter} invited you to the staff app as ${roleEn}.`,
      `Open this link to choose your name and password (it works once, until ${expires} UTC):`,
      input.link,
      '',
      `${inviter} 邀请您以${roleZh}身份使用员工应用。`,
      `请打开此链接设置姓名和密码（只能使用一次，有效期至 ${expires} UTC）：`,
      input.link,
    ].join('\n'),
    topic: staffInviteTopic(input.id),
  };
}

export interface PendingStaffInvite {
  id: string;
  email: string;
  role: Role;
  invitedBy: { id: string; name: string } | null;
  createdAt: string;
  expiresAt: string;
}

/** Staff invites not yet accepted, revoked or expired, oldest first. */
export async function listPendingStaffInvites(db: Db): Promise<PendingStaffInvite[]> {
  const inviter = alias(users, 'inviter');
  const rows = await db
    .select({ invite: staffInvites, inviterName: inviter.name })
    .from(staffInvites)
    .leftJoin(inviter, eq(inviter.id, staffInvites.invitedBy))
    .where(
      and(
        eq(staffInvites.purpose, 'invite'),
        isNull(staffInvites.usedAt),
        isNull(staffInvites.revokedAt),
        gt(staffInvites.expiresAt, Date.now()),
      ),
    )
    .orderBy(asc(staffInvites.createdAt));
  return rows.map(({ invite, inviterName }) => ({
    id: invite.tokenHash,
    email: invite.email!,
    role: invite.role,
    invitedBy: invite.invitedBy ? { id: invite.invitedBy, name: inviterName ?? invite.invitedBy } : null,
    createdAt: new Date(invite.createdAt).toISOString(),
    expiresAt: new Date(invite.expiresAt).toISOString(),
  }));
}

/** Withdraws a pending staff invite: its link stops working, and who withdrew it when is kept on the row. */
export async function revokeStaffInvite(db: Db, input: { id: string; revokedBy: string }) {
  const [row] = await db
    .update(staffInvites)
    .set({ revokedAt: Date.now(), revokedBy: input.revokedBy })
    .where(
      and(
        eq(staffInvites.tokenHash, input.id),
        eq(staffInvites.purpose, 'invite'),
        isNull(staffInvites.usedAt),
        isNull(staffInvites.revokedAt),
      ),
    )
    .returning({ id: staffInvites.tokenHash });
  if (!row) {
    throw new DomainError(
      'not_found',
      bilingual(
        'No pending invite with this id: it was accepted or revoked already. Reload the list.',
        '没有这个待接受的邀请：它已被接受或撤销，请刷新列表。',
      ),
    );
  }
}

export async function acceptStaffInvite(db: Db, input: { token: string; name: string; password: string }) {
  const link = await useLink(db, input.token, 'invite');
  return insertUser(db, { email: link.email!, name: input.name, password: input.password, role: link.role, locale: link.locale });
}

/** Saves the language a staff member chose; the staff app opens in it on any device, and their mail is written in it. */
export async function saveLocale(db: Db, userId: string, locale: StaffLocale): Promise<StaffUser> {
  const [row] = await db.update(users).set({ locale }).where(eq(users.id, userId)).returning();
  if (!row) throw new DomainError('not_found', bilingual('No such user.', '找不到该用户。'));
  return toStaffUser(row);
}

/** A staff account as the users list shows it: with the complaint cases it holds that are not closed yet, and the customers it owns. */
export type ListedUser = StaffUser & { openCases: number; ownedCustomers: number };

/**
 * Every staff account, oldest first, each with how many complaint cases it still holds (the ones that keep it
 * from being deactivated), counted for all accounts in one grouped query.
 */
export async function listUsers(db: Db): Promise<ListedUser[]> {
  const held = db
    .select({ assigneeId: complaintCases.assigneeId, n: count().as('n') })
    .from(complaintCases)
    .where(inArray(complaintCases.status, [...assignedStatuses]))
    .groupBy(complaintCases.assigneeId)
    .as('held');
  const rows = await db
    .select({ user: users, openCases: sql<number>`coalesce(${held.n}, 0)` })
    .from(users)
    .leftJoin(held, eq(held.assigneeId, users.id))
    .orderBy(users.createdAt);
  const owned = await ownedCustomerCounts(db);
  return rows.map((row) => ({ ...toStaffUser(row.user), openCases: Number(row.openCases), ownedCustomers: owned.get(row.user.id) ?? 0 }));
}

export async function updateUser(
  db: Db,
  input: { id: string; actorId: string; active?: boolean; role?: Role },
): Promise<StaffUser> {
  const [target] = await db.select().from(users).where(eq(users.id, input.id));
  if (!target) throw new DomainError('not_found', bilingual('No such user.', '找不到该用户。'));
  const losesAdmin = target.role === 'admin' && (input.active === false || (input.role && input.role !== 'admin'));
  if (losesAdmin) {
    const [others] = await db
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.role, 'admin'), eq(users.active, true), ne(users.id, target.id)));
    if ((others?.n ?? 0) === 0) {
      throw new DomainError(
        'conflict',
        bilingual(
          'This is the last active admin. Make another user admin first.',
          '这是最后一个有效的管理员，请先将其他用户设为管理员。',
        ),
      );
    }
  }
  if (input.active === false && target.active) await refuseWhileHolding(db, target);
  const [row] = await db
    .update(users)
    .set({ active: input.active ?? target.active, role: input.role ?? target.role })
    .where(eq(users.id, input.id))
    .returning();
  if (input.active === false) await db.delete(sessions).where(eq(sessions.userId, input.id));
  return toStaffUser(row!);
}

/**
 * A staff member still holding complaint cases (not closed or merged) or owning customers stays active until
 * they are moved to others.
 */
async function refuseWhileHolding(db: Db, target: { id: string; name: string }) {
  const held = await assignedCaseCount(db, target.id);
  const owned = await ownedCustomerCount(db, target.id);
  if (held === 0 && owned === 0) return;
  if (owned === 0) {
    throw new DomainError(
      'conflict',
      bilingual(
        `${target.name} still has ${held} open complaint case${held === 1 ? '' : 's'}. Move ${held === 1 ? 'it' : 'them'} to other agents first (Deactivate on the Users page offers to; or assign them from the complaints queue, or all at once with POST /api/complaints/reassign), then deactivate the account.`,
        `${target.name} 还有 ${held} 个未关闭的投诉案件。请先把这些案件转给其他客服（在“用户”页点“停用”即可转移；也可在投诉队列中选中后分配给他人，或用 POST /api/complaints/reassign 一次全部转移），再停用该账号。`,
      ),
      {},
      { openCases: held, ownedCustomers: 0 },
    );
  }
  const casesEn = held === 0 ? '' : `${held} open complaint case${held === 1 ? '' : 's'}`;
  const customersEn = owned === 0 ? '' : `${owned} customer${owned === 1 ? '' : 's'} as their account owner`;
  const what = [casesEn, customersEn].filter(Boolean).join(' and ');
  const casesZh = held === 0 ? '' : `${held} 个未关闭的投诉案件`;
  const customersZh = owned === 0 ? '' : `${owned} 位由其负责的客户`;
  const whatZh = [casesZh, customersZh].filter(Boolean).join('和');
  const howEn = [
    'Deactivate on the Users page offers to',
    held > 0 ? 'or move the cases from the complaints queue, or all at once with POST /api/complaints/reassign' : '',
    owned > 0 ? `${held > 0 ? 'and the customers' : 'or move the customers'} with POST /api/owners/reassign` : '',
  ]
    .filter(Boolean)
    .join('; ');
  const howZh = [
    '在“用户”页点“停用”即可转移',
    held > 0 ? '也可在投诉队列中选中后分配给他人，或用 POST /api/complaints/reassign 一次全部转移案件' : '',
    owned > 0 ? '客户可用 POST /api/owners/reassign 转移' : '',
  ]
    .filter(Boolean)
    .join('；');
  throw new DomainError(
    'conflict',
    bilingual(
      `${target.name} still has ${what}. Move ${held + owned === 1 ? 'it' : 'them'} to others first (${howEn}), then deactivate the account.`,
      `${target.name} 还有 ${whatZh}。请先把${held > 0 && owned > 0 ? '它们' : held > 0 ? '这些案件' : '这些客户'}转给其他人（${howZh}），再停用该账号。`,
    ),
    {},
    { openCases: held, ownedCustomers: owned },
  );
}

async function recentFailures(db: Db, subject: string, windowMs: number) {
  const [row] = await db
    .select({ n: count() })
    .from(loginFailures)
    .where(and(eq(loginFailures.subject, subject), gt(loginFailures.at, Date.now() - windowMs)));
  return row?.n ?? 0;
}

const tooMany = (seconds: number) => {
  const minutes = Math.round(seconds / 60);
  return new DomainError(
    'too_many',
    bilingual(
      `Too many failed sign-ins. Wait ${minutes} minutes and try again.`,
      `登录失败次数过多，请等待 ${minutes} 分钟后再试。`,
    ),
    {},
    { retryAfterSeconds: seconds },
  );
};

/** One answer for an unknown email, a wrong password and a deactivated account, so none is told apart. */
const signInRefused = () =>
  new DomainError('unauthorized', bilingual('Email or password is incorrect.', '电子邮件或密码不正确。'));

/**
 * Checks email and password. Failures are counted per email and client address together, so guesses from
 * one place do not lock the owner out from another; per client address over all emails (guessing many
 * accounts); and per email over all addresses, a higher limit over a longer window that applies only to
 * addresses that have failed for that email within windowMs, so a right password from a clean address works.
 * Every failure costs one password hash and gets the same answer.
 */
export async function signIn(db: Db, input: { email: string; password: string; address: string }) {
  const pairKey = `pair:${input.email}|${input.address}`;
  const emailKey = `email:${input.email}`;
  const addressKey = `addr:${input.address}`;
  const pairFailures = await recentFailures(db, pairKey, throttle.windowMs);
  if (pairFailures >= throttle.perPair) throw tooMany(throttle.windowMs / 1000);
  if ((await recentFailures(db, addressKey, throttle.windowMs)) >= throttle.perAddress) throw tooMany(throttle.windowMs / 1000);
  // Only while this address has failed for this email itself, so it is clear again windowMs after its last failure.
  if (pairFailures > 0 && (await recentFailures(db, emailKey, throttle.emailWindowMs)) >= throttle.perEmail) {
    throw tooMany(throttle.windowMs / 1000);
  }
  const [user] = await db.select().from(users).where(eq(users.email, input.email));
  const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? (await unknownAccountHash));
  if (!user || !passwordOk || !user.active) {
    const at = Date.now();
    await db.insert(loginFailures).values([
      { subject: pairKey, at },
      { subject: emailKey, at },
      { subject: addressKey, at },
    ]);
    throw signInRefused();
  }
  await db.delete(loginFailures).where(eq(loginFailures.subject, pairKey));
  await db.delete(loginFailures).where(lt(loginFailures.at, Date.now() - Math.max(throttle.windowMs, throttle.emailWindowMs)));
  return toStaffUser(user);
}

export async function createSession(db: Db, userId: string) {
  const token = newToken();
  const csrfToken = newToken();
  await db.insert(sessions).values({
    tokenHash: hashToken(token),
    userId,
    csrfToken,
    expiresAt: Date.now() + sessionLifetimeMs,
  });
  return { token, csrfToken };
}

export async function findSession(db: Db, token: string) {
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hashToken(token)), gt(sessions.expiresAt, Date.now()), eq(users.active, true)));
  return row ? { user: toStaffUser(row.user), csrfToken: row.session.csrfToken } : null;
}

export async function endSession(db: Db, token: string) {
  await db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
}
