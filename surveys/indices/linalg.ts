// Small dense linear algebra for correlation matrices (a few dozen rows at most): row-major Float64Array.

/** A k × k matrix stored row by row. */
export interface SquareMatrix {
  size: number;
  values: Float64Array;
}

export function squareMatrix(size: number, values?: ArrayLike<number>): SquareMatrix {
  const matrix = { size, values: new Float64Array(size * size) };
  if (values) matrix.values.set(values);
  return matrix;
}

export function at(matrix: SquareMatrix, row: number, column: number): number {
  return matrix.values[row * matrix.size + column]!;
}

/**
 * Solve A x = b by Gaussian elimination with partial pivoting; null when A is singular, judged relative
 * to the largest entry (a pivot below 1e-12 of it), as collinear predictors make it.
 */
export function solve(matrix: SquareMatrix, rhs: ArrayLike<number>): Float64Array | null {
  const k = matrix.size;
  const a = Float64Array.from(matrix.values);
  const x = Float64Array.from(rhs);
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]!));
  if (scale === 0) return k === 0 ? x : null;
  for (let column = 0; column < k; column++) {
    let pivotRow = column;
    for (let row = column + 1; row < k; row++) {
      if (Math.abs(a[row * k + column]!) > Math.abs(a[pivotRow * k + column]!)) pivotRow = row;
    }
    const pivot = a[pivotRow * k + column]!;
    if (Math.abs(pivot) <= 1e-12 * scale) return null;
    if (pivotRow !== column) {
      for (let j = 0; j < k; j++) {
        const swap = a[column * k + j]!;
        a[column * k + j] = a[pivotRow * k + j]!;
        a[pivotRow * k + j] = swap;
      }
      const swap = x[column]!;
      x[column] = x[pivotRow]!;
      x[pivotRow] = swap;
    }
    for (let row = column + 1; row < k; row++) {
      const factor = a[row * k + column]! / pivot;
      if (factor === 0) continue;
      for (let j = column; j < k; j++) a[row * k + j] = a[row * k + j]! - factor * a[column * k + j]!;
      x[row] = x[row]! - factor * x[column]!;
    }
  }
  for (let row = k - 1; row >= 0; row--) {
    let sum = x[row]!;
    for (let j = row + 1; j < k; j++) sum -= a[row * k + j]! * x[j]!;
    x[row] = sum / a[row * k + row]!;
  }
  return x;
}

/**
 * Eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi rotations (exact to rounding for
 * the small matrices used here). `vectors` holds eigenvector j in column j.
 */
export function symmetricEigen(matrix: SquareMatrix): { values: Float64Array; vectors: SquareMatrix } {
  const k = matrix.size;
  const a = Float64Array.from(matrix.values);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let offDiagonal = 0;
    let diagonal = 0;
    for (let i = 0; i < k; i++) {
      diagonal += a[i * k + i]! ** 2;
      for (let j = i + 1; j < k; j++) offDiagonal += a[i * k + j]! ** 2;
    }
    if (offDiagonal <= 1e-30 * diagonal || offDiagonal === 0) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p * k + q]!;
        if (apq === 0) continue;
        const app = a[p * k + p]!;
        const aqq = a[q * k + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = a[r * k + p]!;
          const arq = a[r * k + q]!;
          a[r * k + p] = c * arp - s * arq;
          a[r * k + q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[p * k + r]!;
          const aqr = a[q * k + r]!;
          a[p * k + r] = c * apr - s * aqr;
          a[q * k + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p]!;
          const vrq = v[r * k + q]!;
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const values = new Float64Array(k);
  for (let i = 0; i < k; i++) values[i] = a[i * k + i]!;
  return { values, vectors: { size: k, values: v } };
}
