// Key drivers: which attributes move overall satisfaction (importance) against how well each is rated
// (performance), and the importance-performance quadrant that says where to put limited resources.
import { at, solve, squareMatrix, symmetricEigen, type SquareMatrix } from './linalg.ts';
import { covarianceFromMoments, subsetMoments, type Moments } from './moments.ts';
import type { Quadrant } from './quadrants.ts';
import { correlation, isPresent } from './stats.ts';

export type { Quadrant };

export interface DriverInput {
  /** Overall satisfaction per response. */
  overall: readonly (number | null | undefined)[];
  /** Each attribute's performance rating per response, aligned with `overall`. */
  attributes: Readonly<Record<string, readonly (number | null | undefined)[]>>;
  /** The scale the attributes are rated on; performance is rescaled 0-100 from its min and max. */
  scale: { min: number; max: number };
}

export type ImportanceMeasure = 'correlation' | 'relative_weight';

export interface DriverAttribute {
  attribute: string;
  /** Responses that rated the attribute (performance). */
  n: number;
  /** Mean rating rescaled to 0-100; null when nobody rated it. */
  performance: number | null;
  /** Pearson r with overall satisfaction over responses with both; null below 3 or with no spread. */
  correlation: number | null;
  correlationN: number;
  /** Johnson's relative weight: this attribute's share of R², in R² units (they sum to R²). */
  relativeWeight: number | null;
  /** relativeWeight / R², from 0 to 1. */
  relativeWeightShare: number | null;
  /** The measure chosen in the options. */
  importance: number | null;
  /** null when importance or performance is unknown. */
  quadrant: Quadrant | null;
}

export interface DriverReport {
  importanceMeasure: ImportanceMeasure;
  /** The quadrant split: the mean importance and mean performance over attributes that have both. */
  importanceSplit: number | null;
  performanceSplit: number | null;
  /** R² of overall on all attributes, and the complete responses it and the relative weights rest on. */
  rSquared: number | null;
  relativeWeightN: number;
  attributes: DriverAttribute[];
}

/**
 * Importance against performance for every attribute.
 * Correlations use every response that has both values (pairwise); relative weights need one correlation
 * matrix, so they use the responses that answered overall and every attribute (listwise). An attribute
 * exactly on a split counts as high, so the quadrant of a tie is stable.
 */
export function keyDrivers(input: DriverInput, options: { importance?: ImportanceMeasure } = {}): DriverReport {
  checkDriverScale(input.scale);
  const names = Object.keys(input.attributes);
  const relative = relativeWeights(input.overall, names.map((name) => input.attributes[name]!));
  const measured = names.map((attribute) => {
    const ratings = input.attributes[attribute]!;
    const answered = ratings.filter(isPresent);
    const mean = answered.length === 0 ? null : answered.reduce((sum, x) => sum + x, 0) / answered.length;
    const { n: correlationN, r } = correlation(ratings, input.overall);
    return { attribute, n: answered.length, mean, correlation: r, correlationN };
  });
  return driverReport(measured, relative, input.scale, options.importance ?? 'correlation');
}

/**
 * The same report from moments of the overall item and the attributes (pre-aggregated complete
 * responses): identical to keyDrivers on those responses, where pairwise and listwise coincide.
 */
export function keyDriversFromMoments(
  moments: Moments,
  overallItem: string,
  attributeItems: readonly string[],
  scale: { min: number; max: number },
  options: { importance?: ImportanceMeasure } = {},
): DriverReport {
  checkDriverScale(scale);
  const subset = subsetMoments(moments, [overallItem, ...attributeItems]);
  const { n } = subset;
  const k = attributeItems.length + 1;
  // Correlations need 3 responses and relative weights more, so below that only the means are known.
  const covariance = n >= 3 ? squareMatrix(k, covarianceFromMoments(subset).covariance) : null;
  const correlations = covariance ? correlationsOf(covariance) : null;
  const measured = attributeItems.map((attribute, index) => {
    const i = index + 1;
    let r: number | null = null;
    if (covariance) {
      const overallVariance = at(covariance, 0, 0);
      const variance = at(covariance, i, i);
      if (overallVariance > 0 && variance > 0) {
        r = Math.max(-1, Math.min(1, at(covariance, 0, i) / Math.sqrt(overallVariance * variance)));
      }
    }
    return { attribute, n, mean: n === 0 ? null : subset.sums[i]! / n, correlation: r, correlationN: n };
  });
  const relative = correlations ? relativeWeightsFromCorrelations(correlations, n) : null;
  return driverReport(measured, relative, scale, options.importance ?? 'correlation');
}

interface MeasuredAttribute {
  attribute: string;
  n: number;
  mean: number | null;
  correlation: number | null;
  correlationN: number;
}

type RelativeWeights = { n: number; rSquared: number; weights: Float64Array };

/** Importance, performance, the splits and the quadrants, whichever way the figures were measured. */
function driverReport(
  measured: readonly MeasuredAttribute[],
  relative: RelativeWeights | null,
  scale: { min: number; max: number },
  importanceMeasure: ImportanceMeasure,
): DriverReport {
  const { min, max } = scale;
  const attributes: DriverAttribute[] = measured.map((a, index) => {
    const relativeWeight = relative ? relative.weights[index]! : null;
    const relativeWeightShare = relative && relative.rSquared > 0 ? relative.weights[index]! / relative.rSquared : null;
    return {
      attribute: a.attribute,
      n: a.n,
      performance: a.mean === null ? null : (100 * (a.mean - min)) / (max - min),
      correlation: a.correlation,
      correlationN: a.correlationN,
      relativeWeight,
      relativeWeightShare,
      importance: importanceMeasure === 'correlation' ? a.correlation : relativeWeight,
      quadrant: null,
    };
  });

  const placed = attributes.filter((a) => a.importance !== null && a.performance !== null);
  const importanceSplit = placed.length === 0 ? null : placed.reduce((sum, a) => sum + a.importance!, 0) / placed.length;
  const performanceSplit = placed.length === 0 ? null : placed.reduce((sum, a) => sum + a.performance!, 0) / placed.length;
  for (const a of placed) a.quadrant = quadrantOf(a.importance!, a.performance!, importanceSplit!, performanceSplit!);

  return {
    importanceMeasure,
    importanceSplit,
    performanceSplit,
    rSquared: relative?.rSquared ?? null,
    relativeWeightN: relative?.n ?? 0,
    attributes,
  };
}

function checkDriverScale({ min, max }: { min: number; max: number }): void {
  if (!(max > min)) throw new RangeError(`the scale must run from a smaller to a larger number (got ${min} to ${max})`);
}

export function quadrantOf(importance: number, performance: number, importanceSplit: number, performanceSplit: number): Quadrant {
  const important = importance >= importanceSplit;
  const performing = performance >= performanceSplit;
  if (important) return performing ? 'keep_up' : 'concentrate_here';
  return performing ? 'possible_overkill' : 'low_priority';
}

/**
 * Johnson's (2000) relative weights: regress the criterion on the orthogonal counterparts Z = R^½ of the
 * predictors, then share each Z's R² back by the squared loadings of X on Z. The weights sum to R².
 * Null with fewer complete responses than predictors + 2 or a variable that does not vary.
 */
export function relativeWeights(
  criterion: readonly (number | null | undefined)[],
  predictors: readonly (readonly (number | null | undefined)[])[],
): RelativeWeights | null {
  const k = predictors.length;
  if (k === 0) return null;
  const rows: number[] = [];
  for (let i = 0; i < criterion.length; i++) {
    if (isPresent(criterion[i]) && predictors.every((column) => isPresent(column[i]))) rows.push(i);
  }
  const n = rows.length;
  if (n < k + 2) return null;
  const columns = [criterion, ...predictors].map((column) => {
    const values = Float64Array.from(rows, (i) => column[i]!);
    let mean = 0;
    for (const x of values) mean += x;
    mean /= n;
    for (let i = 0; i < n; i++) values[i] = values[i]! - mean;
    return values;
  });
  // Cross-products of the centred columns: the covariance up to the divisor, which correlations ignore.
  const crossProducts = squareMatrix(k + 1);
  for (let a = 0; a <= k; a++) {
    for (let b = a; b <= k; b++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += columns[a]![i]! * columns[b]![i]!;
      crossProducts.values[a * (k + 1) + b] = sum;
      crossProducts.values[b * (k + 1) + a] = sum;
    }
  }
  const correlations = correlationsOf(crossProducts);
  return correlations ? relativeWeightsFromCorrelations(correlations, n) : null;
}

/**
 * Relative weights from the correlation matrix of the criterion (row and column 0) and the predictors
 * over n complete responses. Null with fewer responses than predictors + 2.
 */
export function relativeWeightsFromCorrelations(correlations: SquareMatrix, n: number): RelativeWeights | null {
  const k = correlations.size - 1;
  if (k <= 0 || n < k + 2) return null;
  const rxx = squareMatrix(k);
  const rxy = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    rxy[i] = at(correlations, 0, i + 1);
    for (let j = 0; j < k; j++) rxx.values[i * k + j] = i === j ? 1 : at(correlations, i + 1, j + 1);
  }
  const { values: eigenvalues, vectors } = symmetricEigen(rxx);
  const largest = Math.max(...eigenvalues);
  // R^½ and R^−½ from the eigenvectors; directions with no variance (collinear predictors) drop out.
  const root = new Float64Array(k * k);
  const inverseRoot = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let sumRoot = 0;
      let sumInverse = 0;
      for (let m = 0; m < k; m++) {
        const lambda = eigenvalues[m]!;
        if (lambda <= 1e-12 * largest) continue;
        const product = vectors.values[i * k + m]! * vectors.values[j * k + m]!;
        sumRoot += product * Math.sqrt(lambda);
        sumInverse += product / Math.sqrt(lambda);
      }
      root[i * k + j] = sumRoot;
      inverseRoot[i * k + j] = sumInverse;
    }
  }
  const beta = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let sum = 0;
    for (let j = 0; j < k; j++) sum += inverseRoot[i * k + j]! * rxy[j]!;
    beta[i] = sum;
  }
  const weights = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let sum = 0;
    for (let m = 0; m < k; m++) sum += root[j * k + m]! ** 2 * beta[m]! ** 2;
    weights[j] = sum;
  }
  const coefficients = solve(rxx, rxy);
  const rSquared = coefficients
    ? coefficients.reduce((sum, b, i) => sum + b * rxy[i]!, 0)
    : weights.reduce((sum, w) => sum + w, 0);
  return { n, rSquared, weights };
}

/** Correlations from a covariance (or cross-product) matrix; null when a variable does not vary. */
function correlationsOf(covariance: SquareMatrix): SquareMatrix | null {
  const k = covariance.size;
  const roots = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const variance = at(covariance, i, i);
    if (!(variance > 0)) return null;
    roots[i] = Math.sqrt(variance);
  }
  const correlations = squareMatrix(k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      correlations.values[i * k + j] = i === j ? 1 : at(covariance, i, j) / (roots[i]! * roots[j]!);
    }
  }
  return correlations;
}
