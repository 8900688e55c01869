import { describe, expect, it } from 'vitest';
import { itemAt } from './pointerDrag.ts';

describe('the item under a dragged pointer', () => {
  const spans = [
    { top: 100, bottom: 150 },
    { top: 158, bottom: 200 },
    { top: 208, bottom: 260 },
  ];
  it('is the item whose span holds the pointer, a gap belonging to the item below it', () => {
    expect(itemAt(spans, 120)).toBe(0);
    expect(itemAt(spans, 150)).toBe(1);
    expect(itemAt(spans, 204)).toBe(2);
    expect(itemAt(spans, 259)).toBe(2);
  });
  it('is the first item above the list and the last below it; none in an empty list', () => {
    expect(itemAt(spans, 10)).toBe(0);
    expect(itemAt(spans, 900)).toBe(2);
    expect(itemAt([], 120)).toBeNull();
  });
});
