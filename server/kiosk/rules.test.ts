import { describe, expect, it } from 'vitest';
import { settingsResult } from '../campaigns/settings.ts';
import { idleSecondsOf, kioskState, posterUrl, readableUrl, startOfDay } from './rules.ts';

describe('kioskState', () => {
  it('is open only while the campaign runs a published survey', () => {
    expect(kioskState('running', 'published', true)).toBe('open');
    expect(kioskState('running', 'published', false)).toBe('unknown');
    expect(kioskState('draft', 'published', true)).toBe('unknown');
    expect(kioskState('launching', 'published', true)).toBe('unknown');
  });
  it('is closed when the campaign or the survey is', () => {
    expect(kioskState('closed', 'published', true)).toBe('closed');
    expect(kioskState('running', 'closed', true)).toBe('closed');
  });
});

describe('posterUrl', () => {
  it('opens the web version with the location as a hidden field', () => {
    expect(posterUrl('https://survey.example.com', 'store-visit', 'Shanghai Lobby 1')).toBe(
      'https://survey.example.com/s/store-visit?location=Shanghai+Lobby+1',
    );
    expect(posterUrl('https://example.com/survey/', 'a', '前台')).toBe('https://example.com/survey/s/a?location=%E5%89%8D%E5%8F%B0');
  });
  it('leaves the location out when there is none', () => {
    expect(posterUrl('http://127.0.0.1:3000', 'a', '')).toBe('http://127.0.0.1:3000/s/a');
  });
});

describe('readableUrl', () => {
  it('prints letters beyond ASCII as themselves and keeps the address the same', () => {
    const href = posterUrl('https://example.com/survey/', 'a', '前台 & 50% 东门');
    const readable = readableUrl(href);
    expect(readable).toBe('https://example.com/survey/s/a?location=前台+%26+50%25+东门');
    expect(new URL(readable).href).toBe(href);
    expect(new URL(readable).searchParams.get('location')).toBe('前台 & 50% 东门');
  });
  it('leaves an ASCII link and a stray escape alone', () => {
    expect(readableUrl('https://survey.example.com/s/store-visit?location=Shanghai+Lobby+1')).toBe(
      'https://survey.example.com/s/store-visit?location=Shanghai+Lobby+1',
    );
    expect(readableUrl('https://example.com/s/a?x=%E5%89')).toBe('https://example.com/s/a?x=%E5%89');
  });
});

describe('idleSecondsOf', () => {
  it('defaults and clamps', () => {
    expect(idleSecondsOf(undefined)).toBe(60);
    expect(idleSecondsOf({ idleSeconds: 1 })).toBe(3);
    expect(idleSecondsOf({ idleSeconds: 45.4 })).toBe(45);
    expect(idleSecondsOf({ idleSeconds: 99999 })).toBe(3600);
  });
  it('falls back to the idle time a campaign gets when its settings name none', () => {
    const settings = settingsResult('kiosk', { kiosk: { location: 'Store 12' } }, 'en').output as { kiosk: { idleSeconds: number } };
    expect(idleSecondsOf({})).toBe(settings.kiosk.idleSeconds);
    expect(idleSecondsOf({ idleSeconds: Number.NaN })).toBe(settings.kiosk.idleSeconds);
  });
});

describe('startOfDay', () => {
  it('is local midnight', () => {
    const start = new Date(startOfDay(new Date(2026, 4, 3, 15, 30)));
    expect([start.getFullYear(), start.getMonth(), start.getDate(), start.getHours(), start.getMinutes()]).toEqual([2026, 4, 3, 0, 0]);
  });
});
