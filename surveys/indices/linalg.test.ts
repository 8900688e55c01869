import { describe, expect, it } from 'vitest';
import { at, solve, squareMatrix, symmetricEigen } from './linalg.ts';

describe('solve', () => {
  it('solves a system that needs pivoting', () => {
    const x = solve(squareMatrix(3, [0, 2, 1, 1, 1, 1, 2, 1, 3]), [5, 5, 12])!;
    expect([...x].map((value) => Number(value.toFixed(12)))).toEqual([1, 1, 3]);
  });

  it('returns null for a singular matrix', () => {
    expect(solve(squareMatrix(2, [1, 2, 2, 4]), [1, 2])).toBeNull();
    expect(solve(squareMatrix(2, [0, 0, 0, 0]), [1, 2])).toBeNull();
  });
});

describe('symmetricEigen', () => {
  it('decomposes a correlation matrix: A v = λ v, orthonormal vectors', () => {
    const matrix = squareMatrix(3, [1, 0.5, 0.3, 0.5, 1, 0.2, 0.3, 0.2, 1]);
    const { values, vectors } = symmetricEigen(matrix);
    expect(values.reduce((sum, value) => sum + value, 0)).toBeCloseTo(3, 12);
    for (let j = 0; j < 3; j++) {
      for (let i = 0; i < 3; i++) {
        let product = 0;
        for (let m = 0; m < 3; m++) product += at(matrix, i, m) * at(vectors, m, j);
        expect(product).toBeCloseTo(values[j]! * at(vectors, i, j), 12);
      }
      for (let k = 0; k < 3; k++) {
        let dot = 0;
        for (let m = 0; m < 3; m++) dot += at(vectors, m, j) * at(vectors, m, k);
        expect(dot).toBeCloseTo(j === k ? 1 : 0, 12);
      }
    }
  });

  it('gives the known eigenvalues of [[2, 1], [1, 2]]', () => {
    const values = [...symmetricEigen(squareMatrix(2, [2, 1, 1, 2])).values].sort();
    expect(values[0]).toBeCloseTo(1, 14);
    expect(values[1]).toBeCloseTo(3, 14);
  });
});
