import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mobiModelPath } from './mobi-reference.ts';
import { findCycle, parsePlsModel } from './pls-model.ts';

const mobi = JSON.parse(readFileSync(mobiModelPath, 'utf8'));

const small = {
  constructs: { Quality: ['q1', 'q2'], Satisfaction: ['s1'], Loyalty: ['l1', 'l2'] },
  paths: [['Quality', 'Satisfaction'], ['Satisfaction', 'Loyalty']],
  scale: { min: 1, max: 10 },
};

function issues(input: unknown, columns?: string[]): string[] {
  const result = parsePlsModel(input, columns);
  if (result.ok) throw new Error('expected the model to be rejected');
  return result.issues;
}

describe('parsePlsModel', () => {
  it('accepts the mobi model', () => {
    const result = parsePlsModel(mobi);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.model.paths).toHaveLength(12);
  });

  it('fills in the path scheme and standardised items', () => {
    const result = parsePlsModel(small);
    expect(result).toMatchObject({ ok: true, model: { scheme: 'path', scaled: true } });
  });

  it('names a construct without items', () => {
    expect(issues({ ...small, constructs: { ...small.constructs, Satisfaction: [] } })).toContain(
      'construct "Satisfaction" has no items; list at least one item column',
    );
  });

  it('names an item that is not a column of the data', () => {
    expect(issues(small, ['q1', 'q2', 's1', 'l1'])).toEqual(['item "l2" of construct "Loyalty" is not a column of the data']);
    expect(parsePlsModel(small, ['q1', 'q2', 's1', 'l1', 'l2', 'id']).ok).toBe(true);
  });

  it('names a path to an unknown construct', () => {
    expect(issues({ ...small, paths: [...small.paths, ['Loyalty', 'Value']] })).toEqual([
      'path "Loyalty" -> "Value" names an unknown construct "Value" (constructs: Quality, Satisfaction, Loyalty)',
    ]);
  });

  it('names the constructs of a cycle', () => {
    expect(issues({ ...small, paths: [...small.paths, ['Loyalty', 'Quality']] })).toEqual([
      'the paths form a cycle Quality -> Satisfaction -> Loyalty -> Quality; construct "Quality" cannot explain itself (remove one path)',
    ]);
    expect(issues({ ...small, paths: [...small.paths, ['Loyalty', 'Loyalty']] })).toContain(
      'path "Loyalty" -> "Loyalty" points construct "Loyalty" at itself',
    );
  });

  it('names a construct in no path, an item used twice and a repeated path', () => {
    const found = issues({
      ...small,
      constructs: { ...small.constructs, Value: ['v1'], Image: ['q1'] },
      paths: [...small.paths, ['Quality', 'Satisfaction']],
    });
    expect(found).toEqual([
      'item "q1" is in both "Quality" and "Image"; an item measures one construct',
      'path "Quality" -> "Satisfaction" is listed twice',
      'construct "Value" is in no path; connect it to the model or remove it',
      'construct "Image" is in no path; connect it to the model or remove it',
    ]);
  });

  it('checks the shape: scheme, scale and unknown keys', () => {
    expect(issues({ ...small, scheme: 'mode-b' })).toEqual(['scheme: scheme must be "path", "centroid" or "factorial"']);
    expect(issues({ ...small, scale: { min: 10, max: 1 } })).toEqual(['scale: scale.max must be greater than scale.min']);
    expect(issues({ ...small, sheme: 'path' })[0]).toMatch(/sheme/);
    expect(issues({ ...small, paths: [['Quality']] })[0]).toMatch(/^paths\.0: a path must be a pair/);
  });
});

describe('findCycle', () => {
  it('returns null for a DAG and the loop otherwise', () => {
    expect(findCycle(['A', 'B', 'C'], [['A', 'B'], ['A', 'C'], ['B', 'C']])).toBeNull();
    expect(findCycle(['A', 'B', 'C'], [['A', 'B'], ['B', 'C'], ['C', 'B']])).toEqual(['B', 'C', 'B']);
  });
});
