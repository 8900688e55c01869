import { describe, expect, it } from 'vitest';
import { defaultInvitationEmail, settingsResult } from './settings.ts';

const issuesOf = (result: ReturnType<typeof settingsResult>) => (result.success ? [] : result.issues.map((issue) => issue.message));

describe('campaign settings', () => {
  it('fills the defaults of each delivery and drops keys of other deliveries', () => {
    expect(settingsResult('email', undefined, 'en')).toMatchObject({ success: true, output: { email: defaultInvitationEmail, reminders: { afterDays: 3, max: 2 } } });
    expect(settingsResult('phone', { post: { doubleKeying: true } }, 'en')).toMatchObject({
      success: true,
      output: { phone: { maxAttempts: 5, callingHours: { start: '09:00', end: '20:00' } } },
    });
    expect(settingsResult('post', {}, 'en').output).toEqual({ post: { doubleKeying: false } });
    expect(settingsResult('kiosk', { kiosk: { location: ' Store 12 ' } }, 'en').output).toEqual({ kiosk: { location: 'Store 12', idleSeconds: 60 } });
    expect(settingsResult('event', {}, 'en').output).toMatchObject({ event: { delayHours: 24, eventTypes: [] }, email: defaultInvitationEmail });
  });

  it('keeps what was given and refuses what cannot work, in the reader’s language', () => {
    expect(settingsResult('email', { reminders: { max: 0 } }, 'en').output).toMatchObject({ reminders: { afterDays: 3, max: 0 } });
    expect(issuesOf(settingsResult('email', { reminders: { afterDays: 1.5 } }, 'en'))).toEqual(['Days before a reminder must be a whole number from 1 to 60.']);
    expect(issuesOf(settingsResult('email', { reminders: { max: 9 } }, 'zh-CN'))).toEqual(['提醒次数必须是 0 到 5 之间的整数。']);
    const noLink = { subject: { en: 'Hi', 'zh-CN': '您好' }, body: { en: 'Hello {{name}}', 'zh-CN': '{{link}}' } };
    expect(issuesOf(settingsResult('email', { email: noLink }, 'en'))).toEqual(['The email body must contain {{link}}, where the personal survey link goes.']);
    const twoLines = { subject: { en: 'Hi\nthere', 'zh-CN': '您好' }, body: { en: '{{link}}', 'zh-CN': '{{link}}' } };
    expect(issuesOf(settingsResult('email', { email: twoLines }, 'en'))).toEqual(['The email subject must be one line.']);
    expect(issuesOf(settingsResult('phone', { phone: { callingHours: { start: '9am', end: '20:00' } } }, 'en'))).toEqual(['A time of day is written HH:MM, e.g. 09:00.']);
    expect(issuesOf(settingsResult('phone', { phone: { callingHours: { start: '09:00', end: '09:00' } } }, 'en'))).toHaveLength(1);
    expect(issuesOf(settingsResult('kiosk', {}, 'en'))).toEqual(['A kiosk campaign needs its settings: where the kiosk stands.']);
    expect(issuesOf(settingsResult('event', { event: { eventTypes: ['Purchase!'] } }, 'en'))).toHaveLength(1);
  });
});
