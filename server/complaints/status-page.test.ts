import { describe, expect, it } from 'vitest';
import { statusPageHtml, unknownCasePage, type PublicCase } from './status-page.ts';

const now = Date.UTC(2026, 2, 3, 2, 0); // 10:00 in Shanghai
const hour = 3_600_000;
const base: PublicCase = {
  reference: 'C-2026-000123',
  status: 'new',
  locale: 'en',
  description: 'The parcel <b>never</b> came.',
  openedAt: now - hour,
  next: { kind: 'first_response', dueAt: now + 5 * hour },
  timeZone: 'Asia/Shanghai',
  history: [{ at: now - hour, kind: 'opened' }],
  canReply: true,
  canConfirm: false,
};
// Spaces as ICU writes them (some versions put a narrow no-break space before AM/PM) read as plain spaces.
const next = (html: string) => /data-testid="next">([^<]*)</.exec(html)![1]!.replace(/\s/g, ' ');

describe('the status page', () => {
  it('promises the first reply by a time in the business time zone, named', () => {
    expect(next(statusPageHtml(base, 'en', 't', now))).toBe('We will reply to you by Mar 3, 2026, 3:00 PM (GMT+8).');
    expect(next(statusPageHtml(base, 'zh-CN', 't', now))).toBe('我们将在 2026年3月3日 15:00 (GMT+8) 前回复您。');
  });

  it('says so plainly once a promise has passed', () => {
    const late = { ...base, status: 'acknowledged' as const, next: { kind: 'resolution' as const, dueAt: now - hour } };
    expect(next(statusPageHtml(late, 'en', 't', now))).toBe('We are later than we promised. Sorry: we will write to you as soon as we can.');
  });

  it('asks whether it is resolved only when it may, with the day it closes by itself', () => {
    const resolved = { ...base, status: 'resolved' as const, canConfirm: true, next: { kind: 'confirm' as const, closesAt: now + 7 * 24 * hour } };
    const html = statusPageHtml(resolved, 'en', 't', now);
    expect(html).toContain('Is it resolved?');
    expect(next(html)).toBe('Please tell us below whether the problem is resolved. If we hear nothing, the case closes on Mar 10, 2026.');
    expect(statusPageHtml(base, 'en', 't', now)).not.toContain('Is it resolved?');
  });

  it('escapes what people wrote and leaves out the reply box on a merged case', () => {
    const merged = {
      ...base,
      status: 'merged' as const,
      canReply: false,
      next: { kind: 'merged' as const },
      history: [{ at: now, kind: 'reply_from_you' as const, body: '<script>alert(1)</script>', via: 'email' as const }],
    };
    const html = statusPageHtml(merged, 'en', 't', now);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<b>never</b>');
    expect(html).not.toContain('data-testid="reply-form"');
  });

  it('has one page for every link that shows nothing, per language', () => {
    expect(unknownCasePage('en')).toBe(unknownCasePage('en'));
    expect(unknownCasePage('en')).toContain('Link not recognised');
    expect(unknownCasePage('zh-CN')).toContain('无法识别该链接');
  });
});
