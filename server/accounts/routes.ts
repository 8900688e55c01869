// /api/session, /api/setup, /api/staff-invites and /api/users.
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { message } from '../../surveys/i18n.ts';
import type { AppEnv } from '../env.ts';
import { clientAddress, readJson } from '../http.ts';
import { queueMessage } from '../mail/mailer.ts';
import { clearSessionCookie, requireRole, sessionToken, setSessionCookie, anyStaff } from './guard.ts';
import * as accounts from './service.ts';

const roles = ['admin', 'manager', 'support', 'interviewer'] as const;

const Email = v.pipe(
  v.string(message('Enter an email address.', '请输入电子邮件地址。')),
  v.trim(),
  v.toLowerCase(),
  v.email(message('Enter a valid email address, like name@example.com.', '请输入有效的电子邮件地址，例如 name@example.com。')),
  v.maxLength(254, message('The email address is too long.', '电子邮件地址过长。')),
);
const NewPassword = v.pipe(
  v.string(message('Enter a password.', '请输入密码。')),
  v.minLength(10, message('Use at least 10 characters for the password.', '密码至少需要 10 个字符。')),
  v.maxLength(200, message('Use at most 200 characters for the password.', '密码最多 200 个字符。')),
);
const Name = v.pipe(
  v.string(message('Enter a name.', '请输入姓名。')),
  v.trim(),
  v.nonEmpty(message('Enter a name.', '请输入姓名。')),
  v.maxLength(100, message('Use at most 100 characters for the name.', '姓名最多 100 个字符。')),
);
const Token = v.pipe(v.string(), v.nonEmpty(message('The link is missing its token.', '链接缺少令牌。')));
const RoleSchema = v.picklist(roles, message('Choose a role: admin, manager, support or interviewer.', '请选择角色：管理员、经理、客服或访问员。'));

const SignIn = v.object({
  email: Email,
  password: v.pipe(v.string(message('Enter your password.', '请输入密码。')), v.nonEmpty(message('Enter your password.', '请输入密码。'))),
});
const Setup = v.object({ token: Token, email: Email, name: Name, password: NewPassword });
const Accept = v.object({ token: Token, name: Name, password: NewPassword });
const chooseRole = message('Choose a role: admin, manager, support or interviewer.', '请选择角色：管理员、经理、客服或访问员。');
// No default role: an invite nobody chose a role for is refused, rather than made with one.
const chooseLocale = message('Choose a language: zh-CN (简体中文) or en (English).', '请选择语言：zh-CN（简体中文）或 en（English）。');
const LocaleSchema = v.picklist(['zh-CN', 'en'] as const, chooseLocale);
// No locale: the new account starts in the inviting admin's language.
const NewStaffInvite = v.object({
  email: Email,
  role: v.pipe(v.optional(v.string(chooseRole), ''), v.picklist(roles, chooseRole)),
  locale: v.optional(LocaleSchema),
});
// A missing language is told the same as a wrong one.
const ChosenLocale = v.object({ locale: v.pipe(v.optional(v.string(chooseLocale), ''), LocaleSchema) });
const UpdateUser = v.object({ active: v.optional(v.boolean()), role: v.optional(RoleSchema) });

async function startSession(c: Context<AppEnv>, user: accounts.StaffUser) {
  const session = await accounts.createSession(c.var.db, user.id);
  setSessionCookie(c, session.token);
  return c.json({ user, csrfToken: session.csrfToken });
}

async function acceptStaffInvite(c: Context<AppEnv>) {
  const input = await readJson(c, Accept);
  return startSession(c, await accounts.acceptStaffInvite(c.var.db, input));
}

/** Makes the invite; with SMTP_URL set, also queues an email with the link (the Outbox shows and retries it). */
async function createStaffInvite(c: Context<AppEnv>) {
  const input = await readJson(c, NewStaffInvite);
  const inviter = c.var.user!;
  const invite = await accounts.inviteStaff(c.var.db, { ...input, locale: input.locale ?? inviter.locale, invitedBy: inviter.id });
  const invitePath = accounts.staffInvitePath(invite.token);
  const emailed = c.var.config.smtpUrl !== undefined;
  if (emailed) {
    await queueMessage(
      c.var.db,
      accounts.staffInviteEmail({
        id: invite.id,
        to: input.email,
        link: `${c.var.config.publicUrl}${invitePath}`,
        role: input.role,
        invitedBy: inviter.name,
        expiresAt: invite.expiresAt,
      }),
    );
  }
  return c.json({ id: invite.id, invitePath, expiresAt: invite.expiresAt, emailed }, 201);
}

export const accountRoutes = new Hono<AppEnv>()
  .get('/session', anyStaff(), (c) => c.json({ user: c.var.user!, csrfToken: c.var.csrfToken! }))
  // For the staff app as it opens: whether anyone is signed in, answered 200 either way, so a page that has
  // not signed in yet logs no failed request.
  .get('/session/current', (c) => {
    c.header('cache-control', 'no-store');
    const user = c.var.user;
    return c.json({ session: user ? { user, csrfToken: c.var.csrfToken! } : null });
  })
  .post('/session', async (c) => {
    const input = await readJson(c, SignIn);
    const user = await accounts.signIn(c.var.db, { ...input, address: clientAddress(c) ?? 'unknown' });
    return startSession(c, user);
  })
  .delete('/session', anyStaff(), async (c) => {
    const token = sessionToken(c);
    if (token) await accounts.endSession(c.var.db, token);
    clearSessionCookie(c);
    return c.json({ ok: true as const });
  })
  // The language the signed-in person chose; a write like the others, so it carries the CSRF token.
  .put('/session/locale', anyStaff(), async (c) => {
    const input = await readJson(c, ChosenLocale);
    const user = await accounts.saveLocale(c.var.db, c.var.user!.id, input.locale);
    return c.json({ user });
  })
  .get('/setup', async (c) => c.json({ needed: !(await accounts.hasAnyUser(c.var.db)) }))
  .post('/setup', async (c) => {
    const input = await readJson(c, Setup);
    return startSession(c, await accounts.completeSetup(c.var.db, input));
  })
  .post('/staff-invites/accept', acceptStaffInvite)
  // The path staff invites were accepted at before they had their own name; kept for pages still open.
  .post('/invitations/accept', acceptStaffInvite)
  .get('/users', requireRole('admin'), async (c) => c.json({ users: await accounts.listUsers(c.var.db) }))
  .get('/staff-invites', requireRole('admin'), async (c) =>
    c.json({ invites: await accounts.listPendingStaffInvites(c.var.db) }),
  )
  .post('/staff-invites', requireRole('admin'), createStaffInvite)
  // The path staff invites were created at before they had their own name; kept for scripts that call it.
  .post('/users/invitations', requireRole('admin'), createStaffInvite)
  .delete('/staff-invites/:id', requireRole('admin'), async (c) => {
    await accounts.revokeStaffInvite(c.var.db, { id: c.req.param('id'), revokedBy: c.var.user!.id });
    return c.json({ ok: true as const });
  })
  .patch('/users/:id', requireRole('admin'), async (c) => {
    const input = await readJson(c, UpdateUser);
    const user = await accounts.updateUser(c.var.db, { ...input, id: c.req.param('id'), actorId: c.var.user!.id });
    return c.json({ user });
  });
