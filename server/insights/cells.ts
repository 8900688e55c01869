// How a cell's stats are kept in answer_cells.stats: pure. In memory a measure's stat is
// [n, sum, sum of squares, count of 0, …, count of 10]. Stored, a whole-number measure keeps only its counts
// (n and the sums follow from them) and a continuous one only [n, sum, sum of squares]:
// {"w": {"q1": [0, 3, 5]}, "m": {"c": [2, 1.9, 1.81]}}, trailing zero counts left off.

/** [n, sum, sum of squares, count of 0, …, count of 10]. */
export type Stat = number[];
export type CellStats = Record<string, Stat>;

interface StoredCell {
  w?: Record<string, number[]>;
  m?: Record<string, number[]>;
}

export const newStat = (): Stat => new Array<number>(14).fill(0);

/** Adds one response's value of a measure; whole values 0-10 are counted too. */
export function addValue(stats: CellStats, measure: string, value: number, whole: boolean) {
  const stat = (stats[measure] ??= newStat());
  stat[0]!++;
  stat[1]! += value;
  stat[2]! += value * value;
  if (whole) stat[3 + value]!++;
}

/** Adds one measure's stat into another. */
export function addStat(into: Stat, from: Readonly<Stat>) {
  for (let i = 0; i < from.length; i++) into[i]! += from[i]!;
}

/** Adds the stats of one cell into another. */
export function addCell(into: CellStats, from: Readonly<CellStats>) {
  for (const [measure, stat] of Object.entries(from)) addStat((into[measure] ??= newStat()), stat);
}

/** How many gave each whole value 0-10. */
export const countsOf = (stat: Readonly<Stat>) => stat.slice(3);

/** Whole-number measures are those whose every value was counted. */
const isWhole = (stat: Stat) => stat.slice(3).reduce((sum, count) => sum + count, 0) === stat[0];

export function encodeCell(stats: Readonly<CellStats>): string {
  const stored: Required<StoredCell> = { w: {}, m: {} };
  for (const [measure, stat] of Object.entries(stats)) {
    if (isWhole(stat)) {
      let end = stat.length;
      while (end > 3 && stat[end - 1] === 0) end--;
      stored.w[measure] = stat.slice(3, end);
    } else {
      stored.m[measure] = stat.slice(0, 3);
    }
  }
  return JSON.stringify(stored);
}

export function decodeCell(text: string): CellStats {
  const stored = JSON.parse(text) as StoredCell;
  const stats: CellStats = {};
  for (const [measure, counts] of Object.entries(stored.w ?? {})) {
    const stat = newStat();
    counts.forEach((count, value) => {
      stat[0]! += count;
      stat[1]! += count * value;
      stat[2]! += count * value * value;
      stat[3 + value] = count;
    });
    stats[measure] = stat;
  }
  for (const [measure, sums] of Object.entries(stored.m ?? {})) stats[measure] = [...sums, ...new Array<number>(11).fill(0)];
  return stats;
}
