import { describe, expect, it } from 'vitest';
import { alertEmail, alertEventKey, alertMessageId, alertRecipients, formatBusinessTime, recipientLocale, type StaffMember } from './notifications.ts';

const staff: StaffMember[] = [
  { id: 'agent', email: 'agent@example.com', role: 'support', active: true },
  { id: 'm1', email: 'm1@example.com', role: 'manager', active: true },
  { id: 'm2', email: 'm2@example.com', role: 'manager', active: true },
  { id: 'gone', email: 'gone@example.com', role: 'manager', active: false },
  { id: 'admin', email: 'admin@example.com', role: 'admin', active: true },
];
const ids = (list: StaffMember[]) => list.map((person) => person.id);

describe('who is told', () => {
  it.each([
    ['assignee and every active manager', 'agent', [], ['agent', 'm1', 'm2']],
    ['only the named managers when the settings name some', 'agent', ['m2', 'admin'], ['agent', 'm2', 'admin']],
    ['no assignee: the managers', null, [], ['m1', 'm2']],
    ['a manager assigned is told once', 'm1', [], ['m1', 'm2']],
    ['a deactivated assignee or manager is not told', 'gone', ['gone', 'm1'], ['m1']],
  ] as const)('%s', (_what, assignee, named, expected) => {
    expect(ids(alertRecipients(staff, assignee, [...named]))).toEqual(expected);
  });
});

describe('the language a deadline mail is written in', () => {
  it.each([
    ['the account language first', 'en', 'zh-CN', 'zh-CN', 'en'],
    ['the account language over the summary and the case', 'zh-CN', 'en', 'en', 'zh-CN'],
    ['no account language: the weekly summary language', null, 'en', 'zh-CN', 'en'],
    ['no account language given at all: the weekly summary language', undefined, 'zh-CN', 'en', 'zh-CN'],
    ['neither: the case language', null, undefined, 'en', 'en'],
    ['neither, Chinese case: Chinese', null, undefined, 'zh-CN', 'zh-CN'],
  ] as const)('%s', (_what, account, summary, caseLocale, expected) => {
    expect(recipientLocale({ locale: account }, summary, caseLocale)).toBe(expected);
  });
});

describe('business time as read', () => {
  it.each([
    [0, 'en', '0 min'],
    [1, 'en', '1 min'],
    [59 * 60_000, 'en', '59 min'],
    [2 * 3_600_000, 'en', '2 h'],
    [2 * 3_600_000 - 1000, 'en', '2 h'],
    [26 * 3_600_000 + 5 * 60_000, 'en', '26 h 5 min'],
    [26 * 3_600_000 + 5 * 60_000, 'zh-CN', '26 小时 5 分钟'],
    [3 * 3_600_000, 'zh-CN', '3 小时'],
    [-90_000, 'zh-CN', '2 分钟'],
  ] as const)('%i ms in %s is %s', (ms, locale, text) => {
    expect(formatBusinessTime(ms, locale)).toBe(text);
  });
});

describe('the deadline mail', () => {
  const facts = {
    caseId: 'case-1',
    reference: 'C-2026-000123',
    severity: 'major' as const,
    category: 'Delivery',
    deadline: 'first_response' as const,
    dueAt: Date.UTC(2026, 2, 2, 9, 0),
    businessMs: 3 * 3_600_000 + 20 * 60_000,
    timeZone: 'Asia/Shanghai',
    escalated: false,
    publicUrl: 'https://cs.example.com/',
  };

  it('says what is at risk, the time left in business hours, when it is due and links to the case, in English', () => {
    const mail = alertEmail({ ...facts, locale: 'en', alert: 'at_risk' });
    expect(mail.subject).toBe('[C-2026-000123] First response deadline at risk: 3 h 20 min left (business hours)');
    expect(mail.text).toContain('Due: 2026-03-02 17:00 (Asia/Shanghai)');
    expect(mail.text).toContain('Severity: major');
    expect(mail.text).toContain('Open the case: https://cs.example.com/app/complaints/cases/case-1');
  });

  it('gives the due time in the calendar’s zone, across a change of summer time', () => {
    const due = (dueAt: number) => alertEmail({ ...facts, locale: 'en', alert: 'at_risk', timeZone: 'Europe/London', dueAt }).text.match(/Due: (.*)/)![1];
    expect(due(Date.UTC(2026, 2, 29, 0, 30))).toBe('2026-03-29 00:30 (Europe/London)');
    expect(due(Date.UTC(2026, 2, 29, 1, 30))).toBe('2026-03-29 02:30 (Europe/London)');
    expect(due(Date.UTC(2026, 9, 25, 0, 59))).toBe('2026-10-25 01:59 (Europe/London)');
    expect(due(Date.UTC(2026, 9, 25, 1, 0))).toBe('2026-10-25 01:00 (Europe/London)');
  });

  it('says what is breached, the time over and the escalation, in Chinese', () => {
    const mail = alertEmail({ ...facts, locale: 'zh-CN', alert: 'breached', category: '配送', escalated: true });
    expect(mail.subject).toBe('[C-2026-000123] 首次响应时限已超出 3 小时 20 分钟（工作时间）');
    expect(mail.text).toContain('严重程度：重大');
    expect(mail.text).toContain('类别：配送');
    expect(mail.text).toContain('该案件因超出时限已升级给经理处理。');
  });
});

describe('ids', () => {
  it('names a mark by case, deadline, alert and due time, and each recipient’s mail of it by both', () => {
    const key = alertEventKey('case-1', 'resolution', 'at_risk', 1_700_000_000_000);
    expect(key).toBe('deadline:case-1:resolution:at_risk:1700000000000');
    expect(alertMessageId(key, 'm1')).toBe(alertMessageId(key, 'm1'));
    expect(alertMessageId(key, 'm1')).not.toBe(alertMessageId(key, 'm2'));
    expect(alertMessageId(key, 'm1')).not.toBe(alertMessageId(alertEventKey('case-1', 'resolution', 'at_risk', 1_700_000_000_001), 'm1'));
    expect(alertMessageId(key, 'm1')).toMatch(/^[A-Za-z0-9._:-]{1,100}$/);
  });
});
