import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { parsePlsModel } from './indices/pls-model.ts';
import { ownRecord } from './own-record.ts';

const Names = ownRecord(v.pipe(v.string(), v.regex(/^[a-z]+$/, 'lower-case letters only')), v.string('text only'), {
  shape: 'an object',
  maxEntries: { count: 3, message: 'at most 3' },
});

describe('ownRecord', () => {
  it('checks a "__proto__" key like any other (JSON.parse makes it an own property)', () => {
    const result = v.safeParse(Names, JSON.parse('{"ok":"1","__proto__":{"x":"y"}}'));
    expect(result.success).toBe(false);
    expect(result.issues?.map((issue) => [v.getDotPath(issue), issue.message])).toEqual([
      ['__proto__', 'lower-case letters only'],
      ['__proto__', 'text only'],
    ]);
  });

  it('keeps "constructor" and "prototype" as own properties when the key schema accepts them', () => {
    const result = v.safeParse(Names, JSON.parse('{"constructor":"c","prototype":"p"}'));
    expect(result.success).toBe(true);
    expect(JSON.stringify(result.output)).toBe('{"constructor":"c","prototype":"p"}');
    expect(Object.hasOwn(result.output as object, 'constructor')).toBe(true);
  });

  it('keeps an accepted "__proto__" as data, not as the prototype', () => {
    const Any = ownRecord(v.string(), v.unknown(), { shape: 'an object' });
    const result = v.safeParse(Any, JSON.parse('{"__proto__":{"polluted":true}}'));
    expect(result.success).toBe(true);
    expect(Object.getPrototypeOf(result.output)).toBe(Object.prototype);
    expect(JSON.stringify(result.output)).toBe('{"__proto__":{"polluted":true}}');
  });

  it('refuses too many entries before checking each, and anything but a plain object', () => {
    expect(v.safeParse(Names, { a: '1', b: '2', c: '3', d: '4' }).issues?.map((issue) => issue.message)).toEqual(['at most 3']);
    expect(v.safeParse(Names, ['a']).issues?.[0]?.message).toBe('an object');
  });
});

describe('the PLS model keeps every construct', () => {
  it('takes a construct named "constructor"', () => {
    const result = parsePlsModel(
      JSON.parse('{"constructs":{"constructor":["q1"],"Loyalty":["l1"]},"paths":[["constructor","Loyalty"]],"scale":{"min":1,"max":10}}'),
    );
    expect(result.ok).toBe(true);
    if (result.ok) expect(Object.keys(result.model.constructs)).toEqual(['constructor', 'Loyalty']);
  });
});
