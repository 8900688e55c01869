import { describe, expect, it } from 'vitest';
import { countdownSeconds, deliveryOf, idlePhase, retryDelayMs } from './rules.ts';

describe('deliveryOf', () => {
  it('treats stored and duplicate as sent', () => {
    expect(deliveryOf(201)).toBe('sent');
    expect(deliveryOf(200)).toBe('sent');
  });
  it('retries on no network, timeouts, throttling and server errors', () => {
    for (const status of ['network-error', 408, 429, 500, 502, 503] as const) expect(deliveryOf(status)).toBe('retry');
  });
  it('keeps refusals apart: invalid, closed, unknown kiosk', () => {
    for (const status of [400, 404, 409, 410, 413]) expect(deliveryOf(status)).toBe('refused');
  });
  it('does not take a redirect as a confirmation', () => {
    expect(deliveryOf(302)).toBe('retry');
  });
});

describe('retryDelayMs', () => {
  it('doubles from two seconds up to a minute', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(retryDelayMs)).toEqual([2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    expect(retryDelayMs(0)).toBe(2000);
  });
});

describe('idlePhase', () => {
  it('counts down for the last tenth of the idle time, then resets', () => {
    expect(countdownSeconds(90)).toBe(9);
    expect(idlePhase(80_000, 90)).toEqual({ kind: 'active' });
    expect(idlePhase(81_000, 90)).toEqual({ kind: 'warning', secondsLeft: 9 });
    expect(idlePhase(89_100, 90)).toEqual({ kind: 'warning', secondsLeft: 1 });
    expect(idlePhase(90_000, 90)).toEqual({ kind: 'reset' });
  });
  it('keeps the countdown between 2 and 10 seconds and shorter than the idle time', () => {
    expect(countdownSeconds(600)).toBe(10);
    expect(countdownSeconds(5)).toBe(2);
    expect(countdownSeconds(2)).toBe(1);
    expect(idlePhase(3_500, 5)).toEqual({ kind: 'warning', secondsLeft: 2 });
  });
});
