// Sufficient statistics of a set of items: the count, the sums and the cross-products of complete
// responses. Means and covariances (and so PLS and key drivers) follow from them alone, and they add up,
// so per-day cells merge into any period, channel or segment without going back to the answers.
import type { ItemTable } from './pls.ts';

/** Moments of `items` over n listwise-complete responses. */
export interface Moments {
  items: string[];
  n: number;
  /** Σx per item, k long. */
  sums: Float64Array;
  /** Σxy per pair, k(k+1)/2 long: the upper triangle row by row, (0,0), (0,1) … (0,k−1), (1,1) … */
  products: Float64Array;
}

/** Where the product of items i ≤ j sits in `products` for k items. */
export function productIndex(k: number, i: number, j: number): number {
  return i * k - (i * (i - 1)) / 2 + (j - i);
}

const triangle = (k: number) => (k * (k + 1)) / 2;

export function emptyMoments(items: readonly string[]): Moments {
  const unique = new Set(items);
  if (unique.size !== items.length) {
    const repeated = items.find((item, i) => items.indexOf(item) !== i);
    throw new RangeError(`item "${repeated}" is listed twice; list each item once`);
  }
  return { items: [...items], n: 0, sums: new Float64Array(items.length), products: new Float64Array(triangle(items.length)) };
}

/** Add one complete response, its values in item order. */
export function addObservation(moments: Moments, values: ArrayLike<number>): Moments {
  const k = moments.items.length;
  if (values.length !== k) throw new RangeError(`a response needs ${k} values, one per item (got ${values.length})`);
  const { sums, products } = moments;
  let cell = 0;
  for (let i = 0; i < k; i++) {
    const x = values[i]!;
    sums[i] = sums[i]! + x;
    for (let j = i; j < k; j++) products[cell] = products[cell++]! + x * values[j]!;
  }
  moments.n++;
  return moments;
}

/**
 * Adds Σ a_i·a_j over rows [from, to) of the columns to `square[i·k + j]` for every j ≤ i: the lower
 * triangle of a k × k matrix of cross-products. Each column is multiplied with four others at once, so it
 * is read a quarter as often; give it blocks of rows that stay in cache.
 */
export function addCrossProducts(columns: readonly Float64Array[], from: number, to: number, square: Float64Array): void {
  const k = columns.length;
  for (let i = 0; i < k; i++) {
    const a = columns[i]!;
    let j = 0;
    for (; j + 3 <= i; j += 4) {
      const b0 = columns[j]!;
      const b1 = columns[j + 1]!;
      const b2 = columns[j + 2]!;
      const b3 = columns[j + 3]!;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let r = from; r < to; r++) {
        const x = a[r]!;
        s0 += x * b0[r]!;
        s1 += x * b1[r]!;
        s2 += x * b2[r]!;
        s3 += x * b3[r]!;
      }
      const cell = i * k + j;
      square[cell] = square[cell]! + s0;
      square[cell + 1] = square[cell + 1]! + s1;
      square[cell + 2] = square[cell + 2]! + s2;
      square[cell + 3] = square[cell + 3]! + s3;
    }
    for (; j <= i; j++) {
      const b = columns[j]!;
      let sum = 0;
      for (let r = from; r < to; r++) sum += a[r]! * b[r]!;
      square[i * k + j] = square[i * k + j]! + sum;
    }
  }
}

/**
 * Moments built from blocks of complete rows, column by column (as a file is read in blocks): `add` takes
 * the first `rows` rows of one column per item, in item order.
 */
export function momentsBuilder(items: readonly string[]) {
  const moments = emptyMoments(items);
  const k = items.length;
  const square = new Float64Array(k * k);
  return {
    add(columns: readonly Float64Array[], rows: number): void {
      for (let i = 0; i < k; i++) {
        const column = columns[i]!;
        let sum = 0;
        for (let r = 0; r < rows; r++) sum += column[r]!;
        moments.sums[i] = moments.sums[i]! + sum;
      }
      addCrossProducts(columns, 0, rows, square);
      moments.n += rows;
    },
    finish(): Moments {
      for (let i = 0; i < k; i++) for (let j = i; j < k; j++) moments.products[productIndex(k, i, j)] = square[j * k + i]!;
      return moments;
    },
  };
}

/** Add `from` into `into` (same items in the same order); returns `into`. */
export function mergeMoments(into: Moments, from: Moments): Moments {
  if (into.items.length !== from.items.length || into.items.some((item, i) => item !== from.items[i])) {
    throw new RangeError(`moments over different items cannot be merged (${into.items.join(', ')} and ${from.items.join(', ')})`);
  }
  into.n += from.n;
  for (let i = 0; i < into.sums.length; i++) into.sums[i] = into.sums[i]! + from.sums[i]!;
  for (let i = 0; i < into.products.length; i++) into.products[i] = into.products[i]! + from.products[i]!;
  return into;
}

/** Moments of the rows that answered every one of `items` (listwise); the others are skipped. */
export function momentsFromTable(table: ItemTable, items: readonly string[]): Moments {
  const moments = emptyMoments(items);
  const columns = items.map((item) => {
    const column = table.columns[item];
    if (!column) throw new RangeError(`item "${item}" is not a column of the data`);
    if (column.length !== table.rowCount) {
      throw new RangeError(`column "${item}" has ${column.length} rows but the table has ${table.rowCount}`);
    }
    return column;
  });
  const row = new Float64Array(items.length);
  rows: for (let r = 0; r < table.rowCount; r++) {
    for (let i = 0; i < columns.length; i++) {
      const x = columns[i]![r]!;
      if (Number.isNaN(x)) continue rows;
      row[i] = x;
    }
    addObservation(moments, row);
  }
  return moments;
}

/** The stored form: k sums then the k(k+1)/2 products, little-endian float64 (n is kept beside it). */
export function encodeMoments(moments: Moments): Uint8Array {
  const values = [...moments.sums, ...moments.products];
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setFloat64(i * 8, value, true));
  return bytes;
}

export function decodeMoments(items: readonly string[], n: number, bytes: Uint8Array): Moments {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`a response count must be a whole number ≥ 0 (got ${n})`);
  const moments = emptyMoments(items);
  const k = items.length;
  const expected = (k + triangle(k)) * 8;
  if (bytes.byteLength !== expected) {
    throw new RangeError(
      `moments of ${k} items take ${expected} bytes (got ${bytes.byteLength}); the item list does not match the stored cell`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < k; i++) moments.sums[i] = view.getFloat64(i * 8, true);
  for (let i = 0; i < moments.products.length; i++) moments.products[i] = view.getFloat64((k + i) * 8, true);
  moments.n = n;
  return moments;
}

/**
 * The moments of some of the items, in the order asked. They stay those of the responses complete on
 * the original items, which may be fewer than the responses complete on the subset alone.
 */
export function subsetMoments(moments: Moments, items: readonly string[]): Moments {
  const k = moments.items.length;
  const positions = items.map((item) => {
    const position = moments.items.indexOf(item);
    if (position < 0) throw new RangeError(`item "${item}" is not among the moments' items (${moments.items.join(', ')})`);
    return position;
  });
  const subset = emptyMoments(items);
  subset.n = moments.n;
  positions.forEach((a, i) => {
    subset.sums[i] = moments.sums[a]!;
    for (let j = i; j < positions.length; j++) {
      const b = positions[j]!;
      subset.products[productIndex(items.length, i, j)] = moments.products[productIndex(k, Math.min(a, b), Math.max(a, b))]!;
    }
  });
  return subset;
}

/**
 * Means and the k × k covariance matrix (n − 1 divisor, row-major); needs n ≥ 2. A variance within
 * rounding of 0 (below 1e-12 of the item's mean square) is 0: Σx² − (Σx)²/n loses its digits when
 * fractional values hardly vary, and an item that does not vary must be seen not to.
 */
export function covarianceFromMoments(moments: Moments): { means: Float64Array; covariance: Float64Array } {
  const { n, sums, products } = moments;
  const k = moments.items.length;
  if (n < 2) throw new RangeError(`a covariance needs at least 2 complete responses (got ${n})`);
  const means = Float64Array.from(sums, (sum) => sum / n);
  const covariance = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      // Σxy − Σx·Σy/n: exact on whole-number answers, whose sums are exact.
      let value = (products[productIndex(k, i, j)]! - (sums[i]! * sums[j]!) / n) / (n - 1);
      if (i === j && value <= 1e-12 * (products[productIndex(k, i, i)]! / n)) value = 0;
      covariance[i * k + j] = value;
      covariance[j * k + i] = value;
    }
  }
  return { means, covariance };
}
