import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  forgetOtherVersions,
  isSubmitted,
  loadProgress,
  markSubmitted,
  newResponseId,
  saveProgress,
  submittedCase,
} from './progress.ts';

/** A stand-in for the browser's localStorage. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    key: (index) => [...items.keys()][index] ?? null,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
  };
}

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

beforeEach(() => {
  vi.unstubAllGlobals();
  vi.stubGlobal('localStorage', memoryStorage());
});

describe('respondent progress', () => {
  it('keeps answers, id and start time per survey version', () => {
    saveProgress('demo', 'v1', { id: 'a', startedAt: 5, answers: { nps: 7 } });
    expect(loadProgress('demo', 'v1')).toEqual({ id: 'a', startedAt: 5, answers: { nps: 7 } });
    expect(loadProgress('demo', 'v2')).toBeUndefined();
  });

  it('keeps the hidden fields the link carried, and drops a malformed value', () => {
    saveProgress('demo', 'v1', { id: 'a', startedAt: 5, answers: {}, hidden: { store: '123' } });
    expect(loadProgress('demo', 'v1')?.hidden).toEqual({ store: '123' });
    localStorage.setItem('respond:progress:demo:v1', JSON.stringify({ id: 'a', startedAt: 5, answers: {}, hidden: 'x' }));
    expect(loadProgress('demo', 'v1')).toEqual({ id: 'a', startedAt: 5, answers: {} });
  });

  it('replaces progress with a submitted marker', () => {
    saveProgress('demo', 'v1', { id: 'a', startedAt: 5, answers: { nps: 7 } });
    markSubmitted('demo', 'v1', 'a');
    expect(loadProgress('demo', 'v1')).toBeUndefined();
    expect(isSubmitted('demo', 'v1')).toBe(true);
    expect(isSubmitted('demo', 'v2')).toBe(false);
  });

  it('keeps the case a complaint opened for this tab only', () => {
    vi.stubGlobal('sessionStorage', memoryStorage());
    markSubmitted('complain', 'v1', 'a', { reference: 'C-2026-000123', statusPath: '/c/token' });
    expect(submittedCase('complain', 'v1')).toEqual({ reference: 'C-2026-000123', statusPath: '/c/token' });
    expect(JSON.stringify(localStorage.getItem('respond:submitted:complain:v1'))).not.toContain('/c/token');
    // Another visit (a new tab, the next person at a shared computer) sees the thanks without it.
    vi.stubGlobal('sessionStorage', memoryStorage());
    expect(isSubmitted('complain', 'v1')).toBe(true);
    expect(submittedCase('complain', 'v1')).toBeUndefined();
  });

  it('drops progress kept for other versions of the same survey only', () => {
    saveProgress('demo', 'v1', { id: 'a', startedAt: 1, answers: {} });
    saveProgress('demo', 'v2', { id: 'b', startedAt: 2, answers: {} });
    saveProgress('other', 'v1', { id: 'c', startedAt: 3, answers: {} });
    forgetOtherVersions('demo', 'v2');
    expect(loadProgress('demo', 'v1')).toBeUndefined();
    expect(loadProgress('demo', 'v2')?.id).toBe('b');
    expect(loadProgress('other', 'v1')?.id).toBe('c');
  });

  it('ignores unreadable or broken storage', () => {
    localStorage.setItem('respond:progress:demo:v1', '{not json');
    expect(loadProgress('demo', 'v1')).toBeUndefined();
    vi.stubGlobal('localStorage', undefined);
    expect(() => saveProgress('demo', 'v1', { id: 'a', startedAt: 1, answers: {} })).not.toThrow();
    expect(isSubmitted('demo', 'v1')).toBe(false);
  });

  it('makes v4 UUIDs, also where crypto.randomUUID is missing (plain http)', () => {
    expect(newResponseId()).toMatch(uuidV4);
    const realCrypto = globalThis.crypto;
    vi.stubGlobal('crypto', { getRandomValues: (bytes: Uint8Array<ArrayBuffer>) => realCrypto.getRandomValues(bytes) });
    const fallback = newResponseId();
    vi.unstubAllGlobals();
    expect(fallback).toMatch(uuidV4);
  });
});
