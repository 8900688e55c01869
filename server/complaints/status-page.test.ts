import { describe, expect, it } from 'vitest';
import type { SurveyDefinition } from '../../surveys/definition.ts';
import { templates } from '../../surveys/templates/index.ts';
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
  followUp: null,
  canStopContact: false,
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

  it('shows the follow-up survey as radio groups under legends, in the page’s language, and its thanks once answered', () => {
    const survey = templates['follow-up'] as SurveyDefinition;
    const resolved = { ...base, status: 'resolved' as const, next: { kind: 'confirm' as const, closesAt: null }, followUp: 'open' as const };
    const zh = statusPageHtml(resolved, 'zh-CN', 't', now, survey);
    expect(zh).toContain('<legend>您对我们处理这次投诉的方式满意吗？</legend>');
    expect(zh).toContain('<legend>您的问题解决了吗？</legend>');
    expect(zh).toContain('<legend>您还会再次购买我们的产品或服务吗？</legend>');
    expect(zh.match(/name="handling_csat"/g)).toHaveLength(5);
    expect(zh.match(/name="buy_again"/g)).toHaveLength(5);
    expect(zh.match(/name="resolved"/g)).toHaveLength(3);
    expect(zh).toContain('您还有什么想告诉我们的吗？ （选填）');
    expect(zh).toMatch(/<input type="hidden" name="id" value="[0-9a-f-]{36}">/);
    // A new page, a new response id; the same page sends the same one however often it is retried.
    expect(/name="id" value="([^"]+)"/.exec(zh)![1]).not.toBe(/name="id" value="([^"]+)"/.exec(statusPageHtml(resolved, 'zh-CN', 't', now, survey))![1]);
    const en = statusPageHtml(resolved, 'en', 't', now, survey);
    expect(en).toContain('<legend>How satisfied are you with how we handled your complaint?</legend>');
    expect(en).toContain('<span class="sr">Very dissatisfied</span>');
    const answered = statusPageHtml({ ...resolved, followUp: 'answered' }, 'en', 't', now, survey);
    expect(answered).not.toContain('data-testid="follow-up-form"');
    expect(answered).toContain('Thank you for helping us improve.');
    expect(statusPageHtml({ ...resolved, followUp: null }, 'en', 't', now, survey)).not.toContain('follow-up');
  });

  it('has one page for every link that shows nothing, per language', () => {
    expect(unknownCasePage('en')).toBe(unknownCasePage('en'));
    expect(unknownCasePage('en')).toContain('Link not recognised');
    expect(unknownCasePage('zh-CN')).toContain('无法识别该链接');
  });
});
