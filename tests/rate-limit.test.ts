// The per-address limit on the routes that take writes without an account, over a real TCP connection.
import { afterEach, describe, expect, it } from 'vitest';
import { listenOnLoopback, startTestApp, type TestApp } from './support/app.ts';

let test: TestApp | undefined;
let server: { url: string; close(): Promise<void> } | undefined;
afterEach(async () => {
  await server?.close();
  test?.close();
  server = undefined;
  test = undefined;
});

async function served(env: Record<string, string>) {
  test = await startTestApp({ TRUST_PROXY: '127.0.0.1', ...env });
  server = await listenOnLoopback(test);
  return server.url;
}

const post = (url: string, path: string, from: string, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from, ...headers },
    body: '{}',
  });

describe('anonymous write limit', () => {
  it('answers 429 with Retry-After once an address has used its writes for the minute, on every anonymous route', async () => {
    const url = await served({ RATE_LIMIT_PER_MINUTE: '3' });
    expect((await post(url, '/api/public/responses', '203.0.113.5')).status).toBe(400);
    expect((await post(url, '/api/public/kiosk/no-such-key/responses', '203.0.113.5')).status).toBe(400);
    expect((await post(url, '/api/public/invitations/no-such-token/responses', '203.0.113.5')).status).toBe(400);
    // Reads are not counted.
    expect((await fetch(`${url}/api/setup`, { headers: { 'x-forwarded-for': '203.0.113.5' } })).status).toBe(200);

    const limited = await post(url, '/api/public/responses', '203.0.113.5', { 'accept-language': 'zh-CN' });
    expect(limited.status).toBe(429);
    const seconds = Number(limited.headers.get('retry-after'));
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
    const body = await limited.json();
    expect(body.code).toBe('too_many');
    expect(body.error).toContain(`${seconds} 秒`);
    expect((await post(url, '/api/session', '203.0.113.5')).status).toBe(429);
    expect((await post(url, '/u/some-token', '203.0.113.5')).status).toBe(429);
    expect((await post(url, '/api/public/cases/no-such-token/replies', '203.0.113.5')).status).toBe(429);

    // Another client behind the same trusted proxy has its own count.
    expect((await post(url, '/api/public/responses', '198.51.100.7')).status).toBe(400);
  });

  it('can be switched off', async () => {
    const url = await served({ RATE_LIMIT_PER_MINUTE: 'off' });
    for (let request = 0; request < 20; request++) {
      expect((await post(url, '/api/public/responses', '203.0.113.5')).status).toBe(400);
    }
  });

  it('lets a busy kiosk sync a backlog by default', async () => {
    const url = await served({});
    for (let request = 0; request < 300; request++) {
      expect((await post(url, '/api/public/kiosk/no-such-key/responses', '203.0.113.5')).status).toBe(400);
    }
  });
});
