// Distributions and summaries the index figures rest on. Pure and dependency-free, so the web bundle can
// share it with the server.

/** A two-sided interval; both ends null when the sample is too small to have one. */
export interface Interval {
  low: number | null;
  high: number | null;
}

/** A mean with its sample size, standard deviation (n − 1 divisor), standard error and 95% t interval. */
export interface MeanEstimate extends Interval {
  n: number;
  mean: number | null;
  sd: number | null;
  standardError: number | null;
}

/** z for a two-sided 95% interval, Φ⁻¹(0.975). */
export const z95 = 1.959963984540054;

const lanczos = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7; about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const y = x - 1;
  let sum = lanczos[0]!;
  for (let i = 1; i < lanczos.length; i++) sum += lanczos[i]! / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(x, a, b)) / a
    : 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** x with I_x(a, b) = p: a starting guess refined by Halley steps (Numerical Recipes 3, invbetai). */
export function inverseIncompleteBeta(p: number, a: number, b: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  let x: number;
  if (a >= 1 && b >= 1) {
    const pp = p < 0.5 ? p : 1 - p;
    const t = Math.sqrt(-2 * Math.log(pp));
    let z = (2.30753 + t * 0.27061) / (1 + t * (0.99229 + t * 0.04481)) - t;
    if (p < 0.5) z = -z;
    const al = (z * z - 3) / 6;
    const h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1));
    const w = (z * Math.sqrt(al + h)) / h - (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (al + 5 / 6 - 2 / (3 * h));
    x = a / (a + b * Math.exp(2 * w));
  } else {
    const lna = Math.log(a / (a + b));
    const lnb = Math.log(b / (a + b));
    const t = Math.exp(a * lna) / a;
    const u = Math.exp(b * lnb) / b;
    const w = t + u;
    x = p < t / w ? Math.pow(a * w * p, 1 / a) : 1 - Math.pow(b * w * (1 - p), 1 / b);
  }
  const a1 = a - 1;
  const b1 = b - 1;
  const logBetaInverse = logGamma(a + b) - logGamma(a) - logGamma(b);
  for (let j = 0; j < 100; j++) {
    if (x === 0 || x === 1) return x;
    const error = incompleteBeta(x, a, b) - p;
    const density = Math.exp(a1 * Math.log(x) + b1 * Math.log1p(-x) + logBetaInverse);
    const u = error / density;
    const step = u / (1 - 0.5 * Math.min(1, u * (a1 / x - b1 / (1 - x))));
    x -= step;
    if (x <= 0) x = 0.5 * (x + step);
    if (x >= 1) x = 0.5 * (x + step + 1);
    if (Math.abs(step) < 1e-15 * x && j > 0) break;
  }
  return x;
}

/** The regularized lower incomplete gamma function P(a, x) (series or continued fraction). */
function incompleteGammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const logFront = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return sum * Math.exp(logFront);
  }
  return 1 - incompleteGammaQContinued(a, x, logFront);
}

function incompleteGammaQContinued(a: number, x: number, logFront: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(logFront) * h;
}

/** Φ(x), the standard normal distribution function. */
export function normalCdf(x: number): number {
  // Φ(x) = ½ (1 + sign(x) P(½, x²/2)); the tail is taken directly so small values keep their digits.
  const half = 0.5 * incompleteGammaP(0.5, (x * x) / 2);
  if (x >= 0) return 0.5 + half;
  const q = x * x / 2;
  return q < 1.5 ? 0.5 - half : 0.5 * incompleteGammaQContinued(0.5, q, 0.5 * Math.log(q) - q - logGamma(0.5));
}

const acklamA = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
const acklamB = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const acklamC = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const acklamD = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

const poly = (coefficients: readonly number[], x: number) => coefficients.reduce((sum, c) => sum * x + c, 0);

/** Φ⁻¹(p): Acklam's rational approximation (relative error 1.2e-9) polished by one Halley step. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    throw new RangeError(`a probability must be between 0 and 1 (got ${p})`);
  }
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = poly(acklamC, q) / (poly(acklamD, q) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = (poly(acklamA, r) * q) / (poly(acklamB, r) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    x = -poly(acklamC, q) / (poly(acklamD, q) * q + 1);
  }
  // Halley on the tail nearer to x keeps the digits of p close to 0 or 1.
  const error = x <= 0 ? normalCdf(x) - p : 1 - p - normalCdf(-x);
  const u = error * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** The p-quantile of Student's t with `df` degrees of freedom (df > 0; Infinity gives the normal). */
export function tQuantile(p: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be positive (got ${df})`);
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    throw new RangeError(`a probability must be between 0 and 1 (got ${p})`);
  }
  if (p === 0.5) return 0;
  const sign = p < 0.5 ? -1 : 1;
  const tail = 2 * Math.min(p, 1 - p); // P(|T| > t)
  if (df === 1) return sign * Math.tan((Math.PI / 2) * (1 - tail));
  if (df === 2) return sign * Math.sqrt(2 / (tail * (2 - tail)) - 2);
  if (df > 1e7) {
    // The beta functions lose digits this far out; the Cornish-Fisher term is exact to O(1/df²).
    const z = normalQuantile(1 - tail / 2);
    return sign * (z + (z * z * z + z) / (4 * df));
  }
  // P(|T| > t) = I_x(df/2, ½) with x = df/(df + t²); solve for whichever of x, 1 − x is small.
  const x = inverseIncompleteBeta(tail, df / 2, 0.5);
  if (x < 0.5) return sign * Math.sqrt((df * (1 - x)) / x);
  const y = inverseIncompleteBeta(1 - tail, 0.5, df / 2);
  return sign * Math.sqrt((df * y) / (1 - y));
}

/** The t value of a two-sided 95% interval with `df` degrees of freedom. */
export function criticalT95(df: number): number {
  return tQuantile(0.975, df);
}

/** Wilson score interval for `successes` out of `n` (shares from 0 to 1); null ends when n = 0. */
export function wilsonInterval(successes: number, n: number, z: number = z95): Interval {
  if (n <= 0) return { low: null, high: null };
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Mean, sd, standard error and 95% t interval of the values; mean null for none, interval null below 2. */
export function meanEstimate(values: ArrayLike<number>): MeanEstimate {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i]! - mean) ** 2;
  return estimateFromDeviations(n, mean, squares);
}

/**
 * The same estimate from a count, a sum and a sum of squares (pre-aggregated answers), so figures can be
 * built without the raw values. Agrees with meanEstimate to rounding.
 */
export function meanFromSums(n: number, sum: number, sumOfSquares: number): MeanEstimate {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`a count must be a whole number ≥ 0 (got ${n})`);
  const mean = sum / n;
  // Σx² − (Σx)²/n can come out a hair below 0 from rounding when every value is the same.
  return estimateFromDeviations(n, mean, Math.max(0, sumOfSquares - sum * mean));
}

/** The one place the sd, SE and t interval come from: n, the mean and Σ(x − mean)². */
export function estimateFromDeviations(n: number, mean: number, squaredDeviations: number): MeanEstimate {
  if (n === 0) return { n: 0, mean: null, sd: null, standardError: null, low: null, high: null };
  if (n === 1) return { n, mean, sd: null, standardError: null, low: null, high: null };
  const sd = Math.sqrt(Math.max(0, squaredDeviations) / (n - 1));
  const standardError = sd / Math.sqrt(n);
  const half = criticalT95(n - 1) * standardError;
  return { n, mean, sd, standardError, low: mean - half, high: mean + half };
}

/** Pearson correlation of the pairs where both values are present; null below 3 pairs or with no spread. */
export function correlation(
  xs: ArrayLike<number | null | undefined>,
  ys: ArrayLike<number | null | undefined>,
): { n: number; r: number | null } {
  const length = Math.min(xs.length, ys.length);
  let n = 0;
  let meanX = 0;
  let meanY = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < length; i++) {
    const x = xs[i];
    const y = ys[i];
    if (!isPresent(x) || !isPresent(y)) continue;
    // Welford's update: one pass, no cancellation on large sums.
    n++;
    const dx = x - meanX;
    meanX += dx / n;
    const dy = y - meanY;
    meanY += dy / n;
    sxx += dx * (x - meanX);
    syy += dy * (y - meanY);
    sxy += dx * (y - meanY);
  }
  if (n < 3 || sxx <= 0 || syy <= 0) return { n, r: null };
  return { n, r: Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy))) };
}

/** A usable number: not null, undefined or NaN. */
export function isPresent(value: number | null | undefined): value is number {
  return value !== null && value !== undefined && !Number.isNaN(value);
}
