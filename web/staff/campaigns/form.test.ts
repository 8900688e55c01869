import { describe, expect, test } from 'vitest';
import { settingsResult } from '../../../server/campaigns/settings.ts';
import type { CampaignDetail } from '../../../server/campaigns/types.ts';
import {
  audienceOf,
  campaignForm,
  createRequest,
  eventTypesOf,
  followsSending,
  formatRate,
  mailHeld,
  newCampaignForm,
  numberOrText,
  sendingPercent,
  updateRequest,
} from './form.ts';

const detail = (overrides: Partial<CampaignDetail>): CampaignDetail => ({
  id: 'c1',
  name: 'Spring',
  surveyId: 's1',
  surveyTitle: { en: 'Survey', 'zh-CN': '问卷' },
  delivery: 'email',
  status: 'draft',
  createdAt: '2026-01-01T00:00:00.000Z',
  launchedAt: null,
  closedAt: null,
  audienceSize: null,
  funnel: { audience: 0, skipped: 0, invited: 0, delivered: 0, opened: 0, started: 0, completed: 0, responseRate: null },
  audience: {},
  settings: {},
  versionId: null,
  version: null,
  surveySlug: 'survey',
  kioskPath: null,
  sending: null,
  ...overrides,
});

describe('the campaign form', () => {
  test('a new email campaign sends its audience without blank filters and its settings at their defaults', () => {
    const form = newCampaignForm();
    form.name = 'Spring';
    form.surveyId = 's1';
    form.audience.segment = 'retail';
    form.audience.q = '  ';
    const body = createRequest(form);
    expect(body.audience).toEqual({ segment: 'retail' });
    expect(body.settings).toEqual({ email: form.email, reminders: { afterDays: 3, max: 2 } });
    expect(body.settings?.email?.body.en).toContain('{{link}}');
  });

  test('the defaults of every channel pass the server’s own settings check', () => {
    for (const delivery of ['email', 'post', 'phone', 'event'] as const) {
      const form = { ...newCampaignForm(), delivery };
      const result = settingsResult(delivery, createRequest(form).settings, 'en');
      expect(result.success, delivery).toBe(true);
    }
    const kiosk = { ...newCampaignForm(), delivery: 'kiosk' as const };
    expect(settingsResult('kiosk', createRequest(kiosk).settings, 'en').success).toBe(false);
    kiosk.kiosk = { location: 'Store 12, entrance', idleSeconds: '90' };
    const result = settingsResult('kiosk', createRequest(kiosk).settings, 'en');
    expect(result.success).toBe(true);
    expect(result.output).toEqual({ kiosk: { location: 'Store 12, entrance', idleSeconds: 90 } });
  });

  test('kiosk and event campaigns carry no audience; only the chosen channel’s settings are sent', () => {
    const form = { ...newCampaignForm(), delivery: 'event' as const };
    form.audience.segment = 'retail';
    form.event = { delayHours: '2', eventTypes: 'purchase, repair，delivery  ' };
    expect(createRequest(form)).toEqual({
      name: '',
      surveyId: '',
      delivery: 'event',
      settings: { event: { delayHours: 2, eventTypes: ['purchase', 'repair', 'delivery'] } },
    });
  });

  test('a number that is not one is sent as typed, so the server names the problem at its field', () => {
    const form = newCampaignForm();
    form.reminders.afterDays = 'three';
    const result = settingsResult('email', createRequest(form).settings, 'en');
    expect(result.success).toBe(false);
    expect(numberOrText(' 12 ')).toBe(12);
    expect(numberOrText('1e3')).toBe('1e3');
  });

  test('a phone script left empty in both languages is not sent', () => {
    const form = { ...newCampaignForm(), delivery: 'phone' as const };
    expect(createRequest(form).settings).toEqual({ phone: { maxAttempts: 5, callingHours: { start: '09:00', end: '20:00' } } });
    form.phone.script = { en: 'Hello', 'zh-CN': '' };
    expect(createRequest(form).settings?.phone?.script).toEqual({ en: 'Hello', 'zh-CN': '' });
  });

  test('a saved campaign fills the form, and saving it unchanged sends what it has', () => {
    const saved = detail({
      delivery: 'phone',
      audience: { tier: 'vip', region: 'East' },
      settings: { phone: { maxAttempts: 3, callingHours: { start: '10:00', end: '18:30' }, script: { en: 'Hi', 'zh-CN': '您好' } } },
    });
    const form = campaignForm(saved);
    expect(form.audience).toEqual({ q: '', segment: '', region: 'East', tier: 'vip', kind: '' });
    expect(updateRequest(form)).toEqual({
      name: 'Spring',
      audience: { tier: 'vip', region: 'East' },
      settings: saved.settings,
    });
  });

  test('event types split on commas (either width) and spaces', () => {
    expect(eventTypesOf('')).toEqual([]);
    expect(eventTypesOf('a,b c，d')).toEqual(['a', 'b', 'c', 'd']);
    expect(audienceOf({ q: ' x ', segment: '', region: '', tier: '', kind: 'enterprise' })).toEqual({ q: 'x', kind: 'enterprise' });
  });
});

describe('numbers shown', () => {
  test('response rates', () => {
    expect(formatRate(null)).toBe('—');
    expect(formatRate(0)).toBe('0%');
    expect(formatRate(0.054)).toBe('5.4%');
    expect(formatRate(0.426)).toBe('43%');
    expect(formatRate(1)).toBe('100%');
  });

  test('sending progress, following and the held notice', () => {
    const sending = { held: 0, sending: 2, sent: 4, failed: 1, skipped: 1, total: 8 };
    expect(sendingPercent(sending)).toBe(75);
    expect(sendingPercent({ held: 0, sending: 0, sent: 0, failed: 0, skipped: 0, total: 0 })).toBe(0);
    expect(followsSending({ status: 'running', sending })).toBe(true);
    expect(followsSending({ status: 'running', sending: { ...sending, sending: 0 } })).toBe(false);
    expect(followsSending({ status: 'launching', sending: null })).toBe(true);
    expect(followsSending({ status: 'running', sending: null })).toBe(false);
    expect(mailHeld({ ...sending, held: 3, sending: 0 })).toBe(true);
    expect(mailHeld({ ...sending, held: 3 })).toBe(false);
    expect(mailHeld(null)).toBe(false);
  });
});
