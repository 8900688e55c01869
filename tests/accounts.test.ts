import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../server/accounts/passwords.ts';
import { eq } from 'drizzle-orm';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { loginFailures, outgoingMessages, staffInvites, users } from '../server/db/schema.ts';
import { startWorker } from '../server/jobs/queue.ts';
import { createMailer } from '../server/mail/mailer.ts';
import { openTestCase, resolveTestCase } from './support/complaints.ts';
import { waitFor } from './support/poll.ts';
import { startSmtpServer } from './support/smtp.ts';
import { createSetupToken, json, listenOnLoopback, signedInAs, startTestApp, type TestApp } from './support/app.ts';

let test: TestApp;
beforeEach(async () => {
  test = await startTestApp();
});
afterEach(() => test.close());

function cookieOf(response: Response) {
  const header = response.headers.get('set-cookie') ?? '';
  return header.split(';')[0]!;
}

describe('first admin set-up', () => {
  it('creates the first admin once from the one-time link and signs them in', async () => {
    expect(await (await test.app.request('/api/setup')).json()).toEqual({ needed: true });
    const token = await createSetupToken(test.db);
    const response = await test.app.request(
      '/api/setup',
      json({ token, email: 'Boss@Example.com', name: 'Boss', password: 'long enough password' }),
    );
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.user).toMatchObject({ email: 'boss@example.com', role: 'admin', active: true });
    expect(body.user.passwordHash).toBeUndefined();
    expect(response.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(response.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);

    const again = await test.app.request(
      '/api/setup',
      json({ token, email: 'other@example.com', name: 'Other', password: 'long enough password' }),
    );
    expect(again.status).toBe(410);
    expect(await (await test.app.request('/api/setup')).json()).toEqual({ needed: false });
  });

  it('rejects a bad token and says which fields are wrong, in the reader’s language', async () => {
    const bad = await test.app.request('/api/setup', json({ token: 'nope', email: 'x@example.com', name: 'X', password: 'long enough password' }));
    expect(bad.status).toBe(410);
    const invalid = await test.app.request(
      '/api/setup',
      json({ token: 't', email: 'not-an-email', name: '', password: 'short' }, { 'accept-language': 'zh-CN,zh;q=0.9' }),
    );
    expect(invalid.status).toBe(400);
    const body = await invalid.json();
    expect(Object.keys(body.fields).sort()).toEqual(['email', 'name', 'password']);
    expect(body.fields.password).toBe('密码至少需要 10 个字符。');
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await test.app.request('/api/setup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/JSON/);
  });
});

describe('sign-in, sessions and logout', () => {
  async function makeAdmin() {
    const token = await createSetupToken(test.db);
    await test.app.request('/api/setup', json({ token, email: 'admin@example.com', name: 'Ada', password: 'correct horse battery' }));
  }

  it('signs in, reads the session, and logs out', async () => {
    await makeAdmin();
    const login = await test.app.request('/api/session', json({ email: 'admin@example.com', password: 'correct horse battery' }));
    expect(login.status).toBe(200);
    const { csrfToken } = await login.json();
    const cookie = cookieOf(login);
    const session = await test.app.request('/api/session', { headers: { cookie } });
    expect(session.status).toBe(200);
    expect((await session.json()).user.email).toBe('admin@example.com');
    // The staff app's question as it opens: answered 200 whether or not anyone is signed in.
    const current = await test.app.request('/api/session/current', { headers: { cookie } });
    expect(await current.json()).toEqual({ session: { user: expect.objectContaining({ email: 'admin@example.com' }), csrfToken } });
    const nobody = await test.app.request('/api/session/current');
    expect(nobody.status).toBe(200);
    expect(await nobody.json()).toEqual({ session: null });

    const noToken = await test.app.request('/api/session', { method: 'DELETE', headers: { cookie, 'content-type': 'application/json' } });
    expect(noToken.status).toBe(403);
    const logout = await test.app.request('/api/session', {
      method: 'DELETE',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    });
    expect(logout.status).toBe(200);
    expect((await test.app.request('/api/session', { headers: { cookie } })).status).toBe(401);
    expect(await (await test.app.request('/api/session/current', { headers: { cookie } })).json()).toEqual({ session: null });
  });

  it('refuses a wrong password and throttles after repeated failures', async () => {
    await makeAdmin();
    for (let attempt = 0; attempt < 5; attempt++) {
      const wrong = await test.app.request('/api/session', json({ email: 'admin@example.com', password: 'wrong password' }));
      expect(wrong.status).toBe(401);
    }
    const throttled = await test.app.request('/api/session', json({ email: 'admin@example.com', password: 'correct horse battery' }));
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('900');
  });

  it('gives one answer for an unknown email, a wrong password and a deactivated account', async () => {
    await makeAdmin();
    await test.db.insert(users).values({
      id: 'gone-1',
      email: 'gone@example.com',
      name: 'Gone',
      role: 'support',
      active: false,
      passwordHash: await hashPassword('correct horse battery'),
    });
    for (const locale of ['en', 'zh-CN']) {
      const answers = [];
      for (const attempt of [
        { email: 'nobody@example.com', password: 'correct horse battery' },
        { email: 'admin@example.com', password: 'wrong password' },
        { email: 'gone@example.com', password: 'correct horse battery' },
      ]) {
        const response = await test.app.request('/api/session', json(attempt, { 'accept-language': locale }));
        answers.push({ status: response.status, body: await response.text() });
      }
      expect(answers[0]!.status).toBe(401);
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
    }
  });

  it('hashes the password of an unknown email as it does for a known one', async () => {
    await makeAdmin();
    const real = crypto.scrypt;
    const costs: unknown[] = [];
    // Counts the real key derivations sign-in makes (node's scrypt still does the work).
    crypto.scrypt = function countedScrypt(this: unknown, ...args: unknown[]) {
      costs.push(args[3]);
      return (real as (...a: unknown[]) => void).apply(this, args);
    } as typeof crypto.scrypt;
    syncBuiltinESMExports();
    try {
      await test.app.request('/api/session', json({ email: 'admin@example.com', password: 'wrong password' }));
      const known = costs.splice(0);
      await test.app.request('/api/session', json({ email: 'nobody@example.com', password: 'wrong password' }));
      const unknown = costs.splice(0);
      expect(known).toHaveLength(1);
      expect(unknown).toEqual(known);
    } finally {
      crypto.scrypt = real;
      syncBuiltinESMExports();
    }
  });

  it('rejects a cross-site form post', async () => {
    const response = await test.app.request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: 'email=a@b.c&password=x',
    });
    expect(response.status).toBe(403);
  });
});

describe('the language saved with a staff account', () => {
  it('starts unchosen, is saved with the account and returned with the session on any device, and is validated', async () => {
    const agent = await signedInAs(test, 'support');
    const current = async (client = agent) => (await (await client.request('GET', '/api/session/current')).json()).session.user.locale;
    expect(await current()).toBeNull();

    const saved = await agent.request('PUT', '/api/session/locale', { locale: 'en' });
    expect(saved.status).toBe(200);
    expect((await saved.json()).user).toMatchObject({ locale: 'en' });
    expect(await current()).toBe('en');
    expect((await (await agent.request('GET', '/api/session')).json()).user.locale).toBe('en');

    // Signing in again from another browser: the session answers with the language saved before.
    const [row] = await test.db.select().from(users).where(eq(users.id, (await (await agent.request('GET', '/api/session')).json()).user.id));
    const login = await test.app.request('/api/session', json({ email: row!.email, password: 'correct horse battery' }));
    expect((await login.json()).user.locale).toBe('en');
    expect(row!.locale).toBe('en');

    const wrong = await agent.request('PUT', '/api/session/locale', { locale: 'fr' }, { 'x-locale': 'zh-CN' });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).fields.locale).toBe('请选择语言：zh-CN（简体中文）或 en（English）。');
    const missing = await agent.request('PUT', '/api/session/locale', {}, { 'x-locale': 'en' });
    expect(missing.status).toBe(400);
    expect((await missing.json()).fields.locale).toBe('Choose a language: zh-CN (简体中文) or en (English).');
    expect(await current()).toBe('en');
  });

  it('needs a session and the CSRF token to be saved', async () => {
    const nobody = await test.app.request('/api/session/locale', { ...json({ locale: 'en' }), method: 'PUT' });
    expect(nobody.status).toBe(401);
    const agent = await signedInAs(test, 'support');
    const noToken = await agent.request('PUT', '/api/session/locale', { locale: 'en' }, { 'x-csrf-token': '' });
    expect(noToken.status).toBe(403);
    expect((await (await agent.request('GET', '/api/session/current')).json()).session.user.locale).toBeNull();
  });

  it('offers the weekly summary in the account’s language until one is saved for it', async () => {
    const manager = await signedInAs(test, 'manager');
    const subscription = async () => (await manager.request('GET', '/api/insights/subscription', undefined, { 'x-locale': 'zh-CN' })).json();
    expect(await subscription()).toEqual({ weeklySummary: false, locale: 'zh-CN' });
    await manager.request('PUT', '/api/session/locale', { locale: 'en' });
    expect(await subscription()).toEqual({ weeklySummary: false, locale: 'en' });
    expect((await manager.request('PUT', '/api/insights/subscription', { weeklySummary: true, locale: 'zh-CN' })).status).toBe(200);
    expect(await subscription()).toEqual({ weeklySummary: true, locale: 'zh-CN' });
  });

  it('gives a new account the invite’s language, else the inviting admin’s', async () => {
    const admin = await signedInAs(test, 'admin');
    const accept = async (body: Record<string, unknown>) => {
      const { invitePath } = await (await admin.request('POST', '/api/staff-invites', body)).json();
      const token = new URL(invitePath, 'http://x').searchParams.get('token')!;
      const accepted = await test.app.request('/api/staff-invites/accept', json({ token, name: 'New', password: 'a fine password' }));
      return (await accepted.json()).user.locale;
    };
    expect(await accept({ email: 'first@example.com', role: 'support' })).toBeNull();
    expect(await accept({ email: 'chosen@example.com', role: 'support', locale: 'en' })).toBe('en');
    await admin.request('PUT', '/api/session/locale', { locale: 'zh-CN' });
    expect(await accept({ email: 'inviter@example.com', role: 'support' })).toBe('zh-CN');
    expect(await accept({ email: 'over@example.com', role: 'support', locale: 'en' })).toBe('en');
    const wrong = await admin.request('POST', '/api/staff-invites', { email: 'bad@example.com', role: 'support', locale: 'de' });
    expect(wrong.status).toBe(400);
    expect(Object.keys((await wrong.json()).fields)).toEqual(['locale']);
  });
});

describe('writes from API clients', () => {
  it('takes a write with no body and no Content-Type from a client with the session and CSRF token', async () => {
    const admin = await signedInAs(test, 'admin');
    const noToken = await test.app.request('/api/session', { method: 'DELETE', headers: { cookie: admin.cookie } });
    expect(noToken.status).toBe(403);
    const logout = await test.app.request('/api/session', { method: 'DELETE', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken } });
    expect(logout.status).toBe(200);
  });

  it('still refuses a bodiless write that another site’s page sends', async () => {
    const admin = await signedInAs(test, 'admin');
    const crossSite = await test.app.request('/api/session', {
      method: 'DELETE',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    const fetched = await test.app.request('/api/session', {
      method: 'DELETE',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'sec-fetch-site': 'cross-site' },
    });
    expect(fetched.status).toBe(403);
  });

  it('says to send Content-Type: application/json when a write is refused for its content type', async () => {
    for (const [type, body] of [
      ['text/plain', '{"email":"a@example.com","password":"x"}'],
      ['application/x-www-form-urlencoded', 'email=a@example.com&password=x'],
    ] as const) {
      const response = await test.app.request('/api/session', { method: 'POST', headers: { 'content-type': type }, body });
      expect(response.status).toBe(403);
      expect((await response.json()).error).toContain('Content-Type: application/json');
    }
    const zh = await test.app.request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'accept-language': 'zh-CN' },
      body: '{}',
    });
    expect((await zh.json()).error).toContain('请以 JSON 发送');
    // From our own page a form post passes the origin check, and the JSON reader says what to send.
    const sameSite = await test.app.request('http://localhost/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
      body: 'email=a@example.com&password=x',
    });
    expect(sameSite.status).toBe(400);
    expect((await sameSite.json()).error).toContain('Content-Type: application/json');
  });
});

describe('sign-in throttle by client address', () => {
  const signIn = (url: string, password: string, forwardedFor?: string) =>
    fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
      body: JSON.stringify({ email: 'admin@example.com', password }),
    });

  async function served(env: Record<string, string>) {
    test.close();
    test = await startTestApp(env);
    const token = await createSetupToken(test.db);
    await test.app.request('/api/setup', json({ token, email: 'admin@example.com', name: 'Ada', password: 'correct horse battery' }));
    return listenOnLoopback(test);
  }

  it('lets the owner in from a clean address while another address is throttled', async () => {
    const server = await served({ TRUST_PROXY: '127.0.0.1' });
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        expect((await signIn(server.url, 'wrong password', '203.0.113.5')).status).toBe(401);
      }
      const attacker = await signIn(server.url, 'correct horse battery', '203.0.113.5');
      expect(attacker.status).toBe(429);
      expect(attacker.headers.get('retry-after')).toBe('900');
      expect((await signIn(server.url, 'correct horse battery', '198.51.100.7')).status).toBe(200);
      // A forged address further left does not make a new client: the proxy vouches for the rightmost one.
      expect((await signIn(server.url, 'correct horse battery', '192.0.2.44, 203.0.113.5')).status).toBe(429);
    } finally {
      await server.close();
    }
  });

  it('counts an IPv6 client by its /64, so stepping through the network does not reset the count', async () => {
    const server = await served({ TRUST_PROXY: '127.0.0.1' });
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        expect((await signIn(server.url, 'wrong password', `2001:db8:1:2::${attempt + 1}`)).status).toBe(401);
      }
      expect((await signIn(server.url, 'correct horse battery', '2001:db8:1:2:ffff::9')).status).toBe(429);
      expect((await signIn(server.url, 'correct horse battery', '2001:db8:1:3::9')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('limits failures per email from everywhere, but not for an address that has not failed', async () => {
    const server = await served({ TRUST_PROXY: '127.0.0.1' });
    try {
      const at = Date.now();
      await test.db.insert(loginFailures).values(
        Array.from({ length: 100 }, (_, index) => ({ subject: 'email:admin@example.com', at: at - index })),
      );
      expect((await signIn(server.url, 'wrong password', '203.0.113.9')).status).toBe(401);
      const failedBefore = await signIn(server.url, 'correct horse battery', '203.0.113.9');
      expect(failedBefore.status).toBe(429);
      expect(failedBefore.headers.get('retry-after')).toBe('900');
      expect((await signIn(server.url, 'correct horse battery', '198.51.100.7')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('limits failures per address over every email', async () => {
    const server = await served({ TRUST_PROXY: '127.0.0.1' });
    try {
      const at = Date.now();
      await test.db.insert(loginFailures).values(
        Array.from({ length: 30 }, (_, index) => ({ subject: 'addr:203.0.113.9', at: at - index })),
      );
      expect((await signIn(server.url, 'correct horse battery', '203.0.113.9')).status).toBe(429);
      expect((await signIn(server.url, 'correct horse battery', '203.0.113.10')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('believes X-Forwarded-For only from a proxy named in TRUST_PROXY, read from the right', async () => {
    const untrusted = await served({});
    try {
      for (let attempt = 0; attempt < 5; attempt++) await signIn(untrusted.url, 'wrong password', '203.0.113.5');
      // The header is the client's own claim here: every request comes from the socket's 127.0.0.1.
      expect((await signIn(untrusted.url, 'correct horse battery', '198.51.100.7')).status).toBe(429);
    } finally {
      await untrusted.close();
    }
    const chain = await served({ TRUST_PROXY: '127.0.0.1,10.0.0.0/8' });
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        await signIn(chain.url, 'wrong password', `192.0.2.${attempt}, 203.0.113.5, 10.1.2.3`);
      }
      expect((await signIn(chain.url, 'correct horse battery', '203.0.113.5, 10.9.9.9')).status).toBe(429);
      expect((await signIn(chain.url, 'correct horse battery', '203.0.113.6, 10.1.2.3')).status).toBe(200);
    } finally {
      await chain.close();
    }
  });
});

describe('users', () => {
  it('lets an admin invite, and the invitee accept and sign in with the invited role', async () => {
    const admin = await signedInAs(test, 'admin');
    const invited = await admin.request('POST', '/api/users/invitations', { email: 'mia@example.com', role: 'manager' });
    expect(invited.status).toBe(201);
    const { invitePath } = await invited.json();
    const token = new URL(invitePath, 'http://x').searchParams.get('token')!;
    expect(token.length).toBeGreaterThanOrEqual(43);
    const accepted = await test.app.request('/api/invitations/accept', json({ token, name: 'Mia', password: 'a fine password' }));
    expect(accepted.status).toBe(200);
    expect((await accepted.json()).user).toMatchObject({ email: 'mia@example.com', role: 'manager' });
    const reused = await test.app.request('/api/invitations/accept', json({ token, name: 'Mia', password: 'a fine password' }));
    expect(reused.status).toBe(410);

    const duplicate = await admin.request('POST', '/api/users/invitations', { email: 'mia@example.com', role: 'support' });
    expect(duplicate.status).toBe(409);
  });

  it('lists pending staff invites with who invited whom, and a revoked invite’s link no longer works', async () => {
    const admin = await signedInAs(test, 'admin');
    const created = await admin.request('POST', '/api/staff-invites', { email: 'lin@example.com', role: 'support' });
    expect(created.status).toBe(201);
    const invite = await created.json();
    expect(invite.emailed).toBe(false);
    const other = await (await admin.request('POST', '/api/staff-invites', { email: 'kai@example.com', role: 'interviewer' })).json();

    const pending = await (await admin.request('GET', '/api/staff-invites')).json();
    expect(pending.invites).toEqual([
      expect.objectContaining({ id: invite.id, email: 'lin@example.com', role: 'support', invitedBy: expect.objectContaining({ name: expect.stringMatching(/^admin/) }) }),
      expect.objectContaining({ id: other.id, email: 'kai@example.com', role: 'interviewer' }),
    ]);
    expect(pending.invites[0].expiresAt).toBe(invite.expiresAt);

    // A write without the CSRF token is refused like every other.
    const noCsrf = await test.app.request(`/api/staff-invites/${invite.id}`, { method: 'DELETE', headers: { cookie: admin.cookie } });
    expect(noCsrf.status).toBe(403);
    expect((await admin.request('DELETE', `/api/staff-invites/${invite.id}`)).status).toBe(200);
    expect((await admin.request('DELETE', `/api/staff-invites/${invite.id}`)).status).toBe(404);
    const [row] = await test.db.select().from(staffInvites).where(eq(staffInvites.tokenHash, invite.id));
    expect(row).toMatchObject({ revokedBy: expect.stringMatching(/admin$/), revokedAt: expect.any(Number) });

    const token = new URL(invite.invitePath, 'http://x').searchParams.get('token')!;
    const accepted = await test.app.request('/api/staff-invites/accept', json({ token, name: 'Lin', password: 'a fine password' }));
    expect(accepted.status).toBe(410);
    expect((await (await admin.request('GET', '/api/staff-invites')).json()).invites.map((listed: { email: string }) => listed.email)).toEqual([
      'kai@example.com',
    ]);
    // Accepted invites leave the list too.
    const otherToken = new URL(other.invitePath, 'http://x').searchParams.get('token')!;
    expect((await test.app.request('/api/staff-invites/accept', json({ token: otherToken, name: 'Kai', password: 'a fine password' }))).status).toBe(200);
    expect((await (await admin.request('GET', '/api/staff-invites')).json()).invites).toEqual([]);
  });

  it('makes no staff invite without a chosen role', async () => {
    const admin = await signedInAs(test, 'admin');
    const response = await admin.request('POST', '/api/staff-invites', { email: 'ren@example.com' });
    expect(response.status).toBe(400);
    expect((await response.json()).fields.role).toMatch(/Choose a role/);
    expect((await (await admin.request('GET', '/api/staff-invites')).json()).invites).toEqual([]);
  });

  it('emails the staff invite’s link through the Outbox when SMTP is set', async () => {
    const smtp = await startSmtpServer();
    const config = loadConfig({ DATABASE_URL: test.databaseUrl, LOG_LEVEL: 'silent', SMTP_URL: smtp.url, PUBLIC_URL: 'https://cx.example.com' });
    const withSmtp: TestApp = { ...test, app: createApp({ db: test.db, config }) };
    const mailer = createMailer({ db: test.db, smtpUrl: smtp.url, mailFrom: 'Survey Team <survey@example.com>', perSecond: 1000 });
    const worker = startWorker({ db: test.db, handlers: mailer.handlers, processId: 'staff-invite-mail', pollMs: 20, backoff: { baseMs: 10, maxMs: 40 }, onProblem: () => {} });
    try {
      const admin = await signedInAs(withSmtp, 'admin');
      const created = await admin.request('POST', '/api/staff-invites', { email: 'zhou@example.com', role: 'manager' });
      expect(created.status).toBe(201);
      const invite = await created.json();
      expect(invite.emailed).toBe(true);
      const mail = await waitFor('the staff invite email', () => smtp.received.find((received) => received.to.includes('zhou@example.com')));
      expect(mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=')).toContain(`https://cx.example.com${invite.invitePath}`);
      // In the Outbox under the invite, marked sent once the SMTP server's answer is recorded.
      const queued = await waitFor('the Outbox row marked sent', async () => {
        const [row] = await test.db.select().from(outgoingMessages).where(eq(outgoingMessages.topic, `staff-invite:${invite.id}`));
        return row?.status === 'sent' ? row : undefined;
      });
      expect(queued.toAddress).toBe('zhou@example.com');
      // The link makes its holder a staff member: in the Outbox only admins read it, not managers.
      const asAdmin = await (await admin.request('GET', `/api/outbox/${queued.id}`)).json();
      expect(asAdmin.message.text).toContain(invite.invitePath);
      const manager = await signedInAs(withSmtp, 'manager');
      const asManager = await manager.request('GET', `/api/outbox/${queued.id}`);
      expect(asManager.status).toBe(200);
      const sealed = (await asManager.json()).message;
      expect(sealed).toMatchObject({ status: 'sent', toAddress: 'zhou@example.com', html: null });
      expect(JSON.stringify(sealed)).not.toContain(invite.invitePath.split('token=')[1]);
      expect(sealed.text).toContain('Only admins');
    } finally {
      await worker.stop();
      mailer.close();
      await smtp.close();
    }
  });

  it('deactivates a user, ending their sessions, but never the last admin', async () => {
    const admin = await signedInAs(test, 'admin');
    const manager = await signedInAs(test, 'manager');
    const list = await (await admin.request('GET', '/api/users')).json();
    const managerUser = list.users.find((user: { role: string }) => user.role === 'manager');
    const adminUser = list.users.find((user: { role: string }) => user.role === 'admin');

    const deactivated = await admin.request('PATCH', `/api/users/${managerUser.id}`, { active: false });
    expect(deactivated.status).toBe(200);
    expect((await deactivated.json()).user.active).toBe(false);
    expect((await manager.request('GET', '/api/session')).status).toBe(401);

    const lastAdmin = await admin.request('PATCH', `/api/users/${adminUser.id}`, { role: 'manager' });
    expect(lastAdmin.status).toBe(409);
    const badRole = await admin.request('PATCH', `/api/users/${adminUser.id}`, { role: 'owner' });
    expect(badRole.status).toBe(400);
    expect((await admin.request('PATCH', '/api/users/nobody', { active: false })).status).toBe(404);
  });

  it('counts the complaint cases each user still holds, the ones that keep them from being deactivated', async () => {
    const admin = await signedInAs(test, 'admin');
    const holder = await signedInAs(test, 'support');
    await signedInAs(test, 'support');
    const listed = async () => (await (await admin.request('GET', '/api/users')).json()).users as { id: string; role: string; openCases: number }[];
    const [adminId, holderId, idleId] = (await listed()).map((user) => user.id);
    const cases = [await openTestCase(test.db), await openTestCase(test.db), await openTestCase(test.db), await openTestCase(test.db)];
    for (const item of cases) {
      expect((await admin.request('POST', `/api/complaints/cases/${item.id}/assign`, { assigneeId: holderId, version: 1 })).status).toBe(200);
    }
    // A resolved case is still held (the customer may answer); a closed one is not.
    await resolveTestCase(test.db, cases[0]!.id);
    expect((await holder.request('POST', `/api/complaints/cases/${cases[1]!.id}/transitions`, { action: 'close', version: 2 })).status).toBe(200);
    expect((await admin.request('POST', `/api/complaints/cases/${cases[3]!.id}/assign`, { assigneeId: adminId, version: 2 })).status).toBe(200);

    const counts = Object.fromEntries((await listed()).filter((user) => user.id !== 'agent-complaints').map((user) => [user.id, user.openCases]));
    expect(counts).toEqual({ [adminId!]: 1, [holderId!]: 2, [idleId!]: 0 });
    // The count is the one deactivation is refused for.
    const refused = await admin.request('PATCH', `/api/users/${holderId}`, { active: false });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ openCases: 2 });
  });

  it.each(['manager', 'support', 'interviewer'] as const)('denies user administration to %s', async (role) => {
    const staff = await signedInAs(test, role);
    expect((await staff.request('GET', '/api/users')).status).toBe(403);
    expect((await staff.request('POST', '/api/users/invitations', { email: 'x@example.com', role: 'admin' })).status).toBe(403);
    expect((await staff.request('PATCH', '/api/users/x', { active: false })).status).toBe(403);
    expect((await staff.request('GET', '/api/staff-invites')).status).toBe(403);
    expect((await staff.request('POST', '/api/staff-invites', { email: 'x@example.com', role: 'support' })).status).toBe(403);
    expect((await staff.request('DELETE', '/api/staff-invites/x')).status).toBe(403);
  });

  it('requires a session for user administration', async () => {
    expect((await test.app.request('/api/users')).status).toBe(401);
    expect((await test.app.request('/api/staff-invites')).status).toBe(401);
  });
});

describe('health', () => {
  it('answers 200 once the database is reachable', async () => {
    const response = await test.app.request('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
