// ACSI-style PLS path modelling (Lohmöller's algorithm, as in R plspm and seminr) and the 0-100 index.
//
// Every step of the iteration is linear in the items, so it runs on the p × p covariance matrix of the
// prepared items: one pass over the data builds it (or stored moments give it, see estimatePlsFromMoments),
// and the iteration itself never touches a row. That is what keeps 100,000 respondents × 24 items far
// below a second. The numbers are those of the row-by-row algorithm (construct scores standardised with
// the n − 1 divisor, mode A outer weights cov(item, inner estimate), OLS path coefficients on the
// standardised scores).
import { solve, squareMatrix } from './linalg.ts';
import { addCrossProducts, covarianceFromMoments, subsetMoments, type Moments } from './moments.ts';
import { parsePlsModel, type PlsModel, type PlsModelInput, type WeightingScheme } from './pls-model.ts';

/** Item columns, one Float64Array per item, all `rowCount` long; NaN marks a missing answer. */
export interface ItemTable {
  rowCount: number;
  columns: Readonly<Record<string, Float64Array>>;
}

/**
 * How missing answers are handled. `mean` (the default, as seminr's `mean_replacement`): a missing
 * answer takes its item's mean, so every respondent counts. `listwise`: a respondent missing any of the
 * model's items is left out.
 */
export type MissingValues = 'mean' | 'listwise';

export interface PlsOptions {
  /** Overrides the model's scheme. */
  scheme?: WeightingScheme;
  missing?: MissingValues;
  /** Default 300. */
  maxIterations?: number;
  /** Stop when no outer weight moved by this much in an iteration; default 1e-7. */
  tolerance?: number;
}

export interface PlsPath {
  from: string;
  to: string;
  coefficient: number;
}

export interface PlsItem {
  construct: string;
  /** Mean and standard deviation (n − 1) of the item over the respondents used, after imputation. */
  mean: number;
  sd: number;
  /** Outer weight: the construct score is Σ weight × standardised item (or centred item, unscaled). */
  weight: number;
  /** Correlation of the item with its construct's score. */
  loading: number;
}

export interface PlsResult {
  scheme: WeightingScheme;
  scaled: boolean;
  missing: MissingValues;
  converged: boolean;
  iterations: number;
  /** Respondents the estimate rests on, those left out (listwise) and answers filled in (mean). */
  respondents: number;
  droppedRespondents: number;
  imputedAnswers: number;
  /** In the model's path order. */
  paths: PlsPath[];
  /** Of every construct some path points at, in the model's construct order. */
  rSquared: Record<string, number>;
  items: Record<string, PlsItem>;
  /** 0-100 per construct, ACSI convention (see constructIndex). */
  indices: Record<string, number>;
}

/** The data or model cannot be estimated; the message says what to change. */
export class PlsError extends Error {
  override name = 'PlsError';
}

/** Build an ItemTable from arrays where null or undefined marks a missing answer. */
export function itemTable(columns: Readonly<Record<string, ArrayLike<number | null | undefined>>>): ItemTable {
  const entries = Object.entries(columns);
  const rowCount = entries[0]?.[1].length ?? 0;
  const out: Record<string, Float64Array> = {};
  for (const [name, values] of entries) {
    if (values.length !== rowCount) {
      throw new PlsError(`column "${name}" has ${values.length} rows but "${entries[0]![0]}" has ${rowCount}`);
    }
    out[name] = Float64Array.from({ length: rowCount }, (_, i) => values[i] ?? Number.NaN);
  }
  return { rowCount, columns: out };
}

/** Prepared data: items as columns, centred (and standardised when scaled), and their covariance matrix. */
interface Prepared {
  n: number;
  dropped: number;
  imputed: number;
  means: Float64Array;
  sds: Float64Array;
  /** p × p covariance of the prepared items (their correlation matrix when scaled). */
  covariance: Float64Array;
}

/** Estimate the model on the data. Throws PlsError for an invalid model or data it cannot use. */
export function estimatePls(data: ItemTable, modelInput: PlsModelInput | PlsModel, options: PlsOptions = {}): PlsResult {
  const model = parseModel(modelInput, Object.keys(data.columns));
  const missing = options.missing ?? 'mean';
  return fit(model, prepare(data, modelItems(model), model.scaled, missing), missing, options);
}

/**
 * Estimate the model from moments of its items (pre-aggregated responses): the same result as
 * estimatePls with `missing: 'listwise'` on the responses the moments were built from.
 */
export function estimatePlsFromMoments(
  moments: Moments,
  modelInput: PlsModelInput | PlsModel,
  options: Omit<PlsOptions, 'missing'> = {},
): PlsResult {
  const model = parseModel(modelInput, moments.items);
  return fit(model, prepareFromMoments(moments, modelItems(model), model.scaled), 'listwise', options);
}

function parseModel(modelInput: PlsModelInput | PlsModel, columns: readonly string[]): PlsModel {
  const parsed = parsePlsModel(modelInput, columns);
  if (!parsed.ok) throw new PlsError(parsed.issues.join('; '));
  return parsed.model;
}

/** The model's items, construct by construct: the order of the prepared covariance matrix. */
function modelItems(model: PlsModel): string[] {
  return Object.keys(model.constructs).flatMap((name) => model.constructs[name]!);
}

/** Lohmöller's iteration on prepared data, then the paths, R², loadings and indices. */
function fit(model: PlsModel, prepared: Prepared, missing: MissingValues, options: PlsOptions): PlsResult {
  const scheme = options.scheme ?? model.scheme;
  const maxIterations = options.maxIterations ?? 300;
  const tolerance = options.tolerance ?? 1e-7;

  const constructs = Object.keys(model.constructs);
  const K = constructs.length;
  const items = modelItems(model);
  const p = items.length;
  const blockOf = new Int32Array(p);
  const blocks: number[][] = constructs.map(() => []);
  items.forEach((item, i) => {
    const k = constructs.findIndex((name) => model.constructs[name]!.includes(item));
    blockOf[i] = k;
    blocks[k]!.push(i);
  });
  const indexOf = new Map(constructs.map((name, k) => [name, k]));
  const predecessors: number[][] = constructs.map(() => []);
  const successors: number[][] = constructs.map(() => []);
  for (const [from, to] of model.paths) {
    predecessors[indexOf.get(to)!]!.push(indexOf.get(from)!);
    successors[indexOf.get(from)!]!.push(indexOf.get(to)!);
  }

  const S = prepared.covariance;

  // Scores Y_k = Σ w_i z_i over block k, standardised by f_k. A[i, k] = cov(z_i, Σ_{l∈k} w_l z_l).
  const A = new Float64Array(p * K);
  const f = new Float64Array(K);
  const R = new Float64Array(K * K); // construct correlations
  const describe = (w: Float64Array) => {
    A.fill(0);
    for (let i = 0; i < p; i++) {
      for (let l = 0; l < p; l++) {
        const cell = i * K + blockOf[l]!;
        A[cell] = A[cell]! + S[i * p + l]! * w[l]!;
      }
    }
    for (let k = 0; k < K; k++) {
      let variance = 0;
      for (const i of blocks[k]!) variance += w[i]! * A[i * K + k]!;
      if (!(variance > 0)) throw new PlsError(`the score of construct "${constructs[k]}" has no variance; check its items`);
      f[k] = 1 / Math.sqrt(variance);
    }
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < K; j++) {
        let covariance = 0;
        for (const i of blocks[k]!) covariance += w[i]! * A[i * K + j]!;
        R[k * K + j] = covariance * f[k]! * f[j]!;
      }
    }
  };
  const regress = (target: number): Float64Array => {
    const sources = predecessors[target]!;
    const Rpp = squareMatrix(sources.length);
    sources.forEach((a, r) => sources.forEach((b, c) => (Rpp.values[r * sources.length + c] = R[a * K + b]!)));
    const coefficients = solve(Rpp, sources.map((a) => R[a * K + target]!));
    if (!coefficients) {
      const names = sources.map((k) => `"${constructs[k]}"`).join(', ');
      throw new PlsError(`the constructs explaining "${constructs[target]}" (${names}) have collinear scores; merge or drop one`);
    }
    return coefficients;
  };

  // E[i, j]: weight of construct i in the inner estimate of construct j.
  const E = new Float64Array(K * K);
  const innerWeights = () => {
    E.fill(0);
    for (let j = 0; j < K; j++) {
      const adjacent = [...predecessors[j]!, ...successors[j]!];
      if (scheme === 'path') {
        for (const i of successors[j]!) E[i * K + j] = R[i * K + j]!;
        if (predecessors[j]!.length > 0) {
          const coefficients = regress(j);
          predecessors[j]!.forEach((i, m) => (E[i * K + j] = coefficients[m]!));
        }
      } else {
        for (const i of adjacent) E[i * K + j] = scheme === 'centroid' ? Math.sign(R[i * K + j]!) : R[i * K + j]!;
      }
    }
  };

  let w = new Float64Array(p).fill(1);
  let iterations = 0;
  let converged = false;
  const next = new Float64Array(p);
  const g = new Float64Array(K);
  while (iterations < maxIterations) {
    describe(w);
    innerWeights();
    for (let j = 0; j < K; j++) {
      let variance = 0;
      for (let a = 0; a < K; a++) {
        for (let b = 0; b < K; b++) variance += E[a * K + j]! * E[b * K + j]! * R[a * K + b]!;
      }
      if (!(variance > 0)) throw new PlsError(`the inner estimate of construct "${constructs[j]}" is zero; check its paths`);
      g[j] = 1 / Math.sqrt(variance);
    }
    // Mode A: each item's new weight is its covariance with its construct's standardised inner estimate.
    for (let i = 0; i < p; i++) {
      const j = blockOf[i]!;
      let covariance = 0;
      for (let l = 0; l < K; l++) covariance += E[l * K + j]! * A[i * K + l]! * f[l]!;
      next[i] = covariance * g[j]!;
    }
    for (let k = 0; k < K; k++) {
      let variance = 0;
      for (const i of blocks[k]!) for (const l of blocks[k]!) variance += next[i]! * next[l]! * S[i * p + l]!;
      const scale = 1 / Math.sqrt(variance);
      for (const i of blocks[k]!) next[i] = next[i]! * scale;
    }
    let change = 0;
    for (let i = 0; i < p; i++) change = Math.max(change, Math.abs(next[i]! - w[i]!));
    w = Float64Array.from(next);
    iterations++;
    if (change < tolerance) {
      converged = true;
      break;
    }
  }

  describe(w);
  const coefficientsOf = new Map<number, Float64Array>();
  const rSquared: Record<string, number> = {};
  for (let j = 0; j < K; j++) {
    if (predecessors[j]!.length === 0) continue;
    const coefficients = regress(j);
    coefficientsOf.set(j, coefficients);
    rSquared[constructs[j]!] = predecessors[j]!.reduce((sum, i, m) => sum + coefficients[m]! * R[i * K + j]!, 0);
  }
  const paths = model.paths.map(([from, to]) => {
    const target = indexOf.get(to)!;
    const m = predecessors[target]!.indexOf(indexOf.get(from)!);
    return { from, to, coefficient: coefficientsOf.get(target)![m]! };
  });

  const itemResults: Record<string, PlsItem> = {};
  items.forEach((item, i) => {
    const k = blockOf[i]!;
    itemResults[item] = {
      construct: constructs[k]!,
      mean: prepared.means[i]!,
      sd: prepared.sds[i]!,
      weight: w[i]!,
      loading: (A[i * K + k]! * f[k]!) / Math.sqrt(S[i * p + i]!),
    };
  });
  const indices: Record<string, number> = {};
  for (const name of constructs) {
    indices[name] = constructIndex(model.constructs[name]!.map((item) => itemResults[item]!), model.scaled, model.scale);
  }

  return {
    scheme,
    scaled: model.scaled,
    missing,
    converged,
    iterations,
    respondents: prepared.n,
    droppedRespondents: prepared.dropped,
    imputedAnswers: prepared.imputed,
    paths,
    rSquared,
    items: itemResults,
    indices,
  };
}

/**
 * The ACSI 0-100 index of one construct: raw-item weights (standardised weight / item sd, or the weight
 * itself for unscaled items) normalised to sum 1 give each respondent a weighted item mean m; the index
 * is (mean(m) − min) / (max − min) × 100 on the items' scale. mean(m) is Σ weight × item mean.
 */
export function constructIndex(
  items: readonly Pick<PlsItem, 'weight' | 'sd' | 'mean'>[],
  scaled: boolean,
  scale: { min: number; max: number },
): number {
  let total = 0;
  let weightedMean = 0;
  for (const item of items) {
    const raw = scaled ? item.weight / item.sd : item.weight;
    total += raw;
    weightedMean += raw * item.mean;
  }
  return ((weightedMean / total - scale.min) / (scale.max - scale.min)) * 100;
}

/**
 * Each respondent's standardised construct scores under an estimate, in row order: Σ weight × prepared
 * item, with a missing answer counted at its item's mean. Listwise estimates give NaN to the respondents
 * they left out.
 */
export function constructScores(data: ItemTable, result: PlsResult): Record<string, Float64Array> {
  const scores: Record<string, Float64Array> = {};
  for (const [item, { construct, mean, sd, weight }] of Object.entries(result.items)) {
    const column = data.columns[item];
    if (!column) throw new PlsError(`item "${item}" is not a column of the data`);
    const score = (scores[construct] ??= new Float64Array(data.rowCount));
    const factor = result.scaled ? weight / sd : weight;
    for (let r = 0; r < data.rowCount; r++) {
      const x = column[r]!;
      if (Number.isNaN(x)) {
        if (result.missing === 'listwise') score[r] = Number.NaN;
      } else score[r] = score[r]! + factor * (x - mean);
    }
  }
  return scores;
}

const rowsPerBlock = 1024;

function prepare(data: ItemTable, items: readonly string[], scaled: boolean, missing: MissingValues): Prepared {
  const p = items.length;
  const source = items.map((item) => {
    const column = data.columns[item]!;
    if (column.length !== data.rowCount) {
      throw new PlsError(`column "${item}" has ${column.length} rows but the table has ${data.rowCount}`);
    }
    return column;
  });
  let rows: Int32Array | null = null; // the respondents kept, when some are left out
  if (missing === 'listwise') {
    const complete = new Uint8Array(data.rowCount).fill(1);
    for (const column of source) {
      for (let r = 0; r < data.rowCount; r++) if (Number.isNaN(column[r]!)) complete[r] = 0;
    }
    const kept: number[] = [];
    for (let r = 0; r < data.rowCount; r++) if (complete[r]) kept.push(r);
    if (kept.length < data.rowCount) rows = Int32Array.from(kept);
  }
  const n = rows ? rows.length : data.rowCount;
  checkRespondents(n, missing);
  const means = new Float64Array(p);
  const sds = new Float64Array(p);
  let imputed = 0;
  const prepared = source.map((column, i) => {
    // Kept respondents only (listwise), copied once; otherwise the column as it is.
    const values = rows ? pick(column, rows) : column;
    let sum = 0;
    let count = 0;
    for (let r = 0; r < n; r++) {
      const x = values[r]!;
      if (!Number.isNaN(x)) {
        sum += x;
        count++;
      }
    }
    if (count === 0) throw new PlsError(`item "${items[i]}" has no answers`);
    const mean = sum / count;
    const centred = new Float64Array(n);
    let squares = 0;
    for (let r = 0; r < n; r++) {
      const x = values[r]!;
      const deviation = Number.isNaN(x) ? 0 : x - mean; // mean imputation: a missing answer sits at the mean
      centred[r] = deviation;
      squares += deviation * deviation;
    }
    imputed += n - count;
    const sd = Math.sqrt(squares / (n - 1));
    checkSpread(items[i]!, mean, sd);
    if (scaled) {
      const inverse = 1 / sd;
      for (let r = 0; r < n; r++) centred[r] = centred[r]! * inverse;
    }
    means[i] = mean;
    sds[i] = sd;
    return centred;
  });
  return { n, dropped: data.rowCount - n, imputed, means, sds, covariance: crossProducts(prepared, n) };
}

/** The prepared covariance straight from moments: listwise by construction, nothing left out or filled in. */
function prepareFromMoments(moments: Moments, items: readonly string[], scaled: boolean): Prepared {
  const { n } = moments;
  checkRespondents(n, 'listwise');
  const { means, covariance } = covarianceFromMoments(subsetMoments(moments, items));
  const p = items.length;
  const sds = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    sds[i] = Math.sqrt(covariance[i * p + i]!);
    checkSpread(items[i]!, means[i]!, sds[i]!);
  }
  if (scaled) {
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) covariance[i * p + j] = covariance[i * p + j]! / (sds[i]! * sds[j]!);
    }
  }
  return { n, dropped: 0, imputed: 0, means, sds, covariance };
}

function checkRespondents(n: number, missing: MissingValues): void {
  if (n < 3) {
    throw new PlsError(
      `PLS needs at least 3 respondents${missing === 'listwise' ? ' with every item answered' : ''} (got ${n})`,
    );
  }
}

function checkSpread(item: string, mean: number, sd: number): void {
  if (!(sd > 1e-12 * Math.max(1, Math.abs(mean)))) {
    throw new PlsError(`item "${item}" has the same answer from every respondent; it cannot measure anything, so drop it`);
  }
}

function pick(column: Float64Array, rows: Int32Array): Float64Array {
  const values = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) values[r] = column[rows[r]!]!;
  return values;
}

/** The covariance matrix (n − 1 divisor) of centred columns, their cross-products added in blocks of rows. */
function crossProducts(columns: readonly Float64Array[], n: number): Float64Array {
  const p = columns.length;
  const sums = new Float64Array(p * p);
  for (let start = 0; start < n; start += rowsPerBlock) addCrossProducts(columns, start, Math.min(n, start + rowsPerBlock), sums);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      const value = sums[i * p + j]! / (n - 1);
      sums[i * p + j] = value;
      sums[j * p + i] = value;
    }
  }
  return sums;
}
