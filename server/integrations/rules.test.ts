import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  bearerSecret,
  EventInput,
  eventRefusal,
  eventSkipBeforeInviting,
  futureSkewMs,
  invitationDeliveryFor,
  inviteAtFor,
  lastUsedIsStale,
  occurredAtOf,
  prefixOf,
  secretFromBytes,
} from './rules.ts';

describe('API key secrets', () => {
  it('are sk_ and 32 url-safe characters from 24 bytes, shown by their first 8', () => {
    const secret = secretFromBytes(new Uint8Array(24).fill(255));
    expect(secret).toMatch(/^sk_[A-Za-z0-9_-]{32}$/);
    expect(secret).toBe('sk_________________________________');
    expect(prefixOf(secret)).toBe('sk______');
    expect(secretFromBytes(new Uint8Array(24))).not.toBe(secret);
    expect(() => secretFromBytes(new Uint8Array(10))).toThrow();
  });

  it('are read from a Bearer header only', () => {
    expect(bearerSecret('Bearer sk_abc-DEF_123')).toBe('sk_abc-DEF_123');
    expect(bearerSecret('bearer   sk_abc ')).toBe('sk_abc');
    expect(bearerSecret(undefined)).toBeNull();
    expect(bearerSecret('Basic dXNlcjpwYXNz')).toBeNull();
    expect(bearerSecret('Bearer')).toBeNull();
    expect(bearerSecret('Bearer two words')).toBeNull();
  });

  it('mark their use at most once a minute', () => {
    expect(lastUsedIsStale(null, 1_000)).toBe(true);
    expect(lastUsedIsStale(1_000, 60_999)).toBe(false);
    expect(lastUsedIsStale(1_000, 61_000)).toBe(true);
  });
});

describe('event invitations', () => {
  const campaign: Parameters<typeof eventRefusal>[0] = {
    delivery: 'event',
    status: 'running',
    settings: { event: { delayHours: 24, eventTypes: ['purchase', 'visit'] } },
  };

  it('are due the campaign delay after the event', () => {
    expect(inviteAtFor(Date.UTC(2026, 0, 1), 24)).toBe(Date.UTC(2026, 0, 2));
    expect(inviteAtFor(1_000, 0)).toBe(1_000);
  });

  it('go out on the preferred channel, and not at all without one', () => {
    expect(invitationDeliveryFor('email')).toBe('email');
    expect(invitationDeliveryFor('phone')).toBe('phone');
    expect(invitationDeliveryFor('post')).toBe('post');
    expect(invitationDeliveryFor(null)).toBeNull();
  });

  it('are taken only by a running event campaign, for its event types (none listed: any type)', () => {
    expect(eventRefusal(campaign, 'purchase')).toBeNull();
    expect(eventRefusal(campaign, 'delivery')).toBe('type_not_allowed');
    expect(eventRefusal({ ...campaign, settings: { event: { delayHours: 1, eventTypes: [] } } }, 'delivery')).toBeNull();
    expect(eventRefusal({ ...campaign, settings: {} }, 'anything')).toBeNull();
    expect(eventRefusal({ ...campaign, status: 'closed' }, 'purchase')).toBe('not_running');
    expect(eventRefusal({ ...campaign, status: 'draft' }, 'purchase')).toBe('not_running');
    expect(eventRefusal({ ...campaign, delivery: 'email' }, 'purchase')).toBe('not_event_campaign');
  });

  it('say why an event was not invited', () => {
    expect(eventSkipBeforeInviting({ campaignStatus: 'running', delivery: 'email' })).toBeNull();
    expect(eventSkipBeforeInviting({ campaignStatus: 'running', delivery: null })).toBe('no_preferred_channel');
    expect(eventSkipBeforeInviting({ campaignStatus: 'closed', delivery: 'phone' })).toBe('campaign_closed');
    expect(eventSkipBeforeInviting({ campaignStatus: 'closed', delivery: null })).toBe('campaign_closed');
  });

  it('take the event time as sent, now when none, and refuse one clearly in the future', () => {
    const now = Date.UTC(2026, 4, 1, 12);
    expect(occurredAtOf(undefined, now)).toBe(now);
    expect(occurredAtOf(now - 5_000, now)).toBe(now - 5_000);
    expect(occurredAtOf(now + 1_000, now)).toBe(now);
    expect(occurredAtOf(now + futureSkewMs + 1, now)).toBe('future');
  });
});

describe('EventInput', () => {
  it('reads a zoned ISO time and a lower-cased type', () => {
    const event = v.parse(EventInput, { id: 'order-1', type: ' Purchase ', customer: 'C-1', campaign: 'c1', occurredAt: '2026-05-01T09:30:00+08:00' });
    expect(event.type).toBe('purchase');
    expect(event.occurredAt).toBe(Date.UTC(2026, 4, 1, 1, 30));
  });

  it('names each field that is wrong, in the reader’s language', () => {
    const issues = (input: unknown, lang: 'en' | 'zh-CN') =>
      Object.fromEntries(v.safeParse(EventInput, input, { lang }).issues!.map((issue) => [v.getDotPath(issue), issue.message]));
    const wrong = { id: '', type: 'a b', customer: 'C-1', campaign: 'c1', occurredAt: '2026-05-01' };
    expect(Object.keys(issues(wrong, 'en')).sort()).toEqual(['id', 'occurredAt', 'type']);
    expect(issues(wrong, 'en').occurredAt).toContain('ISO 8601');
    expect(issues(wrong, 'zh-CN').occurredAt).toContain('时区');
    expect(Object.keys(issues({ id: 'x', type: 'purchase', campaign: 'c' }, 'en'))).toEqual(['customer']);
  });
});
