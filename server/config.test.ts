import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has working defaults', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: 'file:data/app.db',
      publicUrl: 'http://127.0.0.1:3000',
      cookieSecure: false,
      worker: true,
      mailPerSecond: 50,
      trustProxy: [],
      rateLimitPerMinute: 600,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'libsql://db.example.com',
      DATABASE_AUTH_TOKEN: 'secret',
      PUBLIC_URL: 'https://survey.example.com/',
      ADMIN_EMAIL: 'Boss@Example.com',
      ADMIN_PASSWORD: 'long enough password',
      COOKIE_SECURE: 'true',
      WORKER: 'off',
      MAIL_PER_SECOND: '2.5',
      TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,fd00::/8',
      RATE_LIMIT_PER_MINUTE: 'off',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'libsql://db.example.com',
      databaseAuthToken: 'secret',
      publicUrl: 'https://survey.example.com',
      adminEmail: 'boss@example.com',
      cookieSecure: true,
      worker: false,
      mailPerSecond: 2.5,
      trustProxy: ['10.0.0.0/8', '127.0.0.1', 'fd00::/8'],
      rateLimitPerMinute: null,
    });
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '120' }).rateLimitPerMinute).toBe(120);
  });

  it('says when the public address is only the default one', () => {
    expect(loadConfig({}).publicUrlAssumed).toBe(true);
    expect(loadConfig({ HOST: '0.0.0.0' })).toMatchObject({ publicUrl: 'http://localhost:3000', publicUrlAssumed: true });
    expect(loadConfig({ PORT: '4000' })).toMatchObject({ publicUrl: 'http://127.0.0.1:4000', publicUrlAssumed: false });
    expect(loadConfig({ PUBLIC_URL: 'https://survey.example.com' }).publicUrlAssumed).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT="eighty".*port number/],
    [{ PORT: '70000' }, /PORT="70000".*port number/],
    [{ DATABASE_URL: 'postgres://x' }, /DATABASE_URL="postgres:\/\/x".*libSQL URL/],
    [{ SMTP_URL: 'mail.example.com' }, /SMTP_URL="mail.example.com".*SMTP URL/],
    [{ WORKER: 'false' }, /WORKER="false".*"on" or "off"/],
    [{ MAIL_PER_SECOND: '0' }, /MAIL_PER_SECOND="0".*greater than 0/],
    [{ MAIL_PER_SECOND: 'fast' }, /MAIL_PER_SECOND="fast".*messages per second/],
    [{ COOKIE_SECURE: 'yes' }, /COOKIE_SECURE="yes".*"true" or "false"/],
    [{ PUBLIC_URL: 'survey.example.com' }, /PUBLIC_URL=.*absolute URL/],
    [{ TRUST_PROXY: 'my-load-balancer' }, /TRUST_PROXY="my-load-balancer".*proxy addresses or CIDR ranges/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY=.*proxy addresses or CIDR ranges/],
    [{ RATE_LIMIT_PER_MINUTE: 'none' }, /RATE_LIMIT_PER_MINUTE="none".*"off" or a whole number/],
    [{ RATE_LIMIT_PER_MINUTE: '0' }, /RATE_LIMIT_PER_MINUTE="0".*"off" or a whole number/],
    [{ ADMIN_EMAIL: 'a@b.co' }, /ADMIN_EMAIL and ADMIN_PASSWORD must be set together/],
    [{ ADMIN_EMAIL: 'a@b.co', ADMIN_PASSWORD: 'short' }, /ADMIN_PASSWORD=.*at least 10/],
    [{ INBOUND_SMTP_PORT: 'smtp' }, /INBOUND_SMTP_PORT="smtp".*port number/],
    [{ INBOUND_MAX_BYTES: '10' }, /INBOUND_MAX_BYTES="10".*bytes from 1024/],
    [{ REPLY_DOMAIN: 'support@example.com' }, /REPLY_DOMAIN=.*mail domain/],
    [{ DEADLINE_SWEEP_SECONDS: '0' }, /DEADLINE_SWEEP_SECONDS="0".*seconds from 1 to 3600/],
    [{ DEADLINE_SWEEP_SECONDS: 'often' }, /DEADLINE_SWEEP_SECONDS="often".*seconds from 1 to 3600/],
    [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN="short".*16 to 200 letters/],
    [{ METRICS_TOKEN: 'has spaces in the token value' }, /METRICS_TOKEN=.*openssl rand -hex 32/],
    [{ SHUTDOWN_GRACE_SECONDS: '0' }, /SHUTDOWN_GRACE_SECONDS="0".*seconds from 1 to 600/],
    [{ SHUTDOWN_GRACE_SECONDS: '601' }, /SHUTDOWN_GRACE_SECONDS="601".*seconds from 1 to 600/],
    [{ BACKUP_EVERY_HOURS: 'daily' }, /BACKUP_EVERY_HOURS="daily".*hours from 0.001 to 8760, or 0/],
    [{ BACKUP_EVERY_HOURS: '0.0001' }, /BACKUP_EVERY_HOURS="0.0001".*hours from 0.001 to 8760/],
    [{ BACKUP_KEEP: '0' }, /BACKUP_KEEP="0".*backups from 1 to 1000/],
  ])('refuses %o with a message naming the variable', (env, expected) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(expected);
  });

  it('runs no inbound listener unless INBOUND_SMTP_PORT is set, and takes reply addresses from MAIL_FROM by default', () => {
    expect(loadConfig({}).inboundSmtp).toBeNull();
    const config = loadConfig({ INBOUND_SMTP_PORT: '2525', HOST: '0.0.0.0', MAIL_FROM: 'Support <help@shop.example.cn>' });
    expect(config.inboundSmtp).toEqual({ port: 2525, host: '0.0.0.0', maxBytes: 10_000_000 });
    expect(config.replyDomain).toBe('shop.example.cn');
    expect(loadConfig({ REPLY_DOMAIN: 'replies.example.com' }).replyDomain).toBe('replies.example.com');
  });

  it('sweeps complaint deadlines once a minute unless told otherwise', () => {
    expect(loadConfig({}).deadlineSweepMs).toBe(60_000);
    expect(loadConfig({ DEADLINE_SWEEP_SECONDS: '5' }).deadlineSweepMs).toBe(5_000);
  });

  it('serves no metrics without METRICS_TOKEN, and gives a stopping process 20 seconds unless told otherwise', () => {
    expect(loadConfig({}).metricsToken).toBeNull();
    expect(loadConfig({ METRICS_TOKEN: 'abcdef0123456789abcdef' }).metricsToken).toBe('abcdef0123456789abcdef');
    expect(loadConfig({}).shutdownGraceMs).toBe(20_000);
    expect(loadConfig({ SHUTDOWN_GRACE_SECONDS: '45' }).shutdownGraceMs).toBe(45_000);
  });

  it('backs up once a day into data/backups and keeps seven, unless told otherwise', () => {
    expect(loadConfig({}).backups).toEqual({ dir: 'data/backups', everyMs: 86_400_000, keep: 7 });
    expect(loadConfig({ BACKUP_DIR: '/var/backups/survey', BACKUP_EVERY_HOURS: '0.5', BACKUP_KEEP: '30' }).backups).toEqual({ dir: '/var/backups/survey', everyMs: 1_800_000, keep: 30 });
    expect(loadConfig({ BACKUP_EVERY_HOURS: '0' }).backups.everyMs).toBe(0);
  });
});
