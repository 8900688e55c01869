// Session loading, role checks and CSRF protection for staff routes.
import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { bilingual } from '../../surveys/i18n.ts';
import type { AppEnv } from '../env.ts';
import { DomainError } from '../errors.ts';
import { findSession, sessionLifetimeMs, type Role } from './service.ts';

const cookieName = (secure: boolean) => (secure ? '__Host-sid' : 'sid');

export function setSessionCookie(c: Context<AppEnv>, token: string) {
  const secure = c.var.config.cookieSecure;
  setCookie(c, cookieName(secure), token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure,
    path: '/',
    maxAge: sessionLifetimeMs / 1000,
  });
}

export function clearSessionCookie(c: Context<AppEnv>) {
  const secure = c.var.config.cookieSecure;
  deleteCookie(c, cookieName(secure), { path: '/', secure });
}

export function sessionToken(c: Context<AppEnv>) {
  return getCookie(c, cookieName(c.var.config.cookieSecure));
}

/** Loads the signed-in user, if any, into c.var.user. */
export const loadSession = createMiddleware<AppEnv>(async function loadSession(c, next) {
  const token = sessionToken(c);
  const session = token ? await findSession(c.var.db, token) : null;
  c.set('user', session?.user ?? null);
  c.set('csrfToken', session?.csrfToken ?? null);
  await next();
});

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string) {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Lets the request through only for a signed-in user of one of these roles; checks CSRF on writes. */
export function requireRole(...allowed: Role[]) {
  return createMiddleware<AppEnv>(async function requireRole(c, next) {
    const user = c.var.user;
    if (!user) throw new DomainError('unauthorized', bilingual('Please sign in.', '请先登录。'));
    if (!safeMethods.has(c.req.method)) {
      const sent = c.req.header('x-csrf-token') ?? '';
      if (!c.var.csrfToken || !sameToken(sent, c.var.csrfToken)) {
        throw new DomainError(
          'forbidden',
          bilingual('The security token is missing or stale. Reload the page and try again.', '安全令牌缺失或已失效，请刷新页面后重试。'),
        );
      }
    }
    if (!allowed.includes(user.role)) {
      throw new DomainError(
        'forbidden',
        bilingual('Your role does not allow this. Ask an admin for access.', '您的角色无权执行此操作，请联系管理员。'),
      );
    }
    await next();
  });
}

export const anyStaff = () => requireRole('admin', 'manager', 'support', 'interviewer');
