import { describe, expect, it } from 'vitest';
import { addCell, addValue, decodeCell, encodeCell, type CellStats } from './cells.ts';

describe('stored cells', () => {
  it('keep counts for whole values and sums for continuous ones, and give back exactly what went in', () => {
    const stats: CellStats = {};
    for (const value of [0, 3, 3, 10]) addValue(stats, 'nps', value, true);
    for (const value of [0.8, 1.25]) addValue(stats, 'c', value, false);
    const text = encodeCell(stats);
    expect(JSON.parse(text)).toEqual({ w: { nps: [1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 1] }, m: { c: [2, 2.05, 0.8 * 0.8 + 1.25 * 1.25] } });
    expect(decodeCell(text)).toEqual(stats);
    expect(decodeCell(text).nps!.slice(0, 3)).toEqual([4, 16, 118]);
  });

  it('add up across cells', () => {
    const a: CellStats = {};
    const b: CellStats = {};
    addValue(a, 'csat', 5, true);
    addValue(b, 'csat', 4, true);
    addValue(b, 'c:service', 0.5, false);
    addCell(a, decodeCell(encodeCell(b)));
    expect(a.csat!.slice(0, 3)).toEqual([2, 9, 41]);
    expect(a['c:service']![0]).toBe(1);
    expect(encodeCell(a)).toBe('{"w":{"csat":[0,0,0,0,1,1]},"m":{"c:service":[1,0.5,0.25]}}');
  });
});
