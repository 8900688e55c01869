import { afterEach, describe, expect, it, vi } from 'vitest';
import { sendResponse, type ResponseSubmission } from './send.ts';

const submission: ResponseSubmission = {
  id: '6f1c2a4e-2b7d-4f0e-9a57-3c1e5d2b8a90',
  versionId: 'version-1',
  locale: 'zh-CN',
  answers: { nps: 9 },
  startedAt: 1_700_000_000_000,
  channel: 'web',
};

function answerWith(status: number, body?: unknown) {
  const fetchMock = vi.fn(async () => new Response(body === undefined ? null : JSON.stringify(body), { status }));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('sendResponse', () => {
  it('posts the submission as JSON to the public endpoint', async () => {
    const fetchMock = answerWith(201, { id: submission.id, status: 'stored' });
    await sendResponse(submission);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/public/responses');
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body as string)).toEqual(submission);
  });

  it('treats stored and duplicate alike: the answers are on the server', async () => {
    answerWith(201, { id: submission.id, status: 'stored' });
    expect(await sendResponse(submission)).toEqual({ kind: 'stored' });
    answerWith(200, { id: submission.id, status: 'duplicate' });
    expect(await sendResponse(submission)).toEqual({ kind: 'stored' });
  });

  it('passes on per-question errors from a 400', async () => {
    const questionErrors = { nps: { en: 'This question is required.', 'zh-CN': '此题为必答题。' } };
    answerWith(400, { error: 'Some answers need attention.', questionErrors });
    expect(await sendResponse(submission)).toEqual({
      kind: 'rejected',
      message: 'Some answers need attention.',
      questionErrors,
    });
  });

  it('reads 410 as closed and 404 as unknown', async () => {
    answerWith(410, { error: 'closed' });
    expect(await sendResponse(submission)).toEqual({ kind: 'closed' });
    answerWith(404, { error: 'not found' });
    expect(await sendResponse(submission)).toEqual({ kind: 'unknown' });
  });

  it('asks for a retry on server errors, throttling and network failure', async () => {
    for (const status of [500, 502, 503, 429, 408]) {
      answerWith(status, { error: 'trouble' });
      expect(await sendResponse(submission)).toEqual({ kind: 'failed' });
    }
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    expect(await sendResponse(submission)).toEqual({ kind: 'failed' });
  });
});
