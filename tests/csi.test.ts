// The csi command line: runs the compiled server/cli/csi.ts (dist/server/cli/csi.js) in a child process, as
// `npm run csi` does.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mobiCsvPath,
  mobiIndices,
  mobiLoadings,
  mobiModelPath,
  mobiPaths,
  mobiRSquared,
  mobiWeights,
  repoRoot,
} from '../surveys/indices/mobi-reference.ts';

// What `npm run csi` runs, called directly so npm's own notices stay out of stderr.
const launcher = join(repoRoot, 'scripts', 'run.mjs');

// Built first (usually already done by `npm test`), so no build message reaches a test's stderr.
beforeAll(() => {
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs'), 'server'], { cwd: repoRoot, stdio: 'ignore' });
}, 120_000);

function csi(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [launcher, 'csi', ...args], { cwd: repoRoot }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}

const folder = mkdtempSync(join(tmpdir(), 'csi-test-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const mobiCsv = readFileSync(mobiCsvPath, 'utf8');
const mobiModel = JSON.parse(readFileSync(mobiModelPath, 'utf8'));

function write(name: string, text: string): string {
  const file = join(folder, name);
  writeFileSync(file, text);
  return file;
}

function expectWithin(actual: Record<string, number>, expected: Record<string, number>) {
  for (const [key, published] of Object.entries(expected)) {
    expect(Math.abs(actual[key]! - published), `${key}: got ${actual[key]}, published ${published}`).toBeLessThan(1e-4);
  }
}

/** Expect exit status 1 and one line on stderr that contains every fragment. */
async function expectFailure(args: string[], ...fragments: string[]) {
  const { status, stdout, stderr } = await csi(...args);
  expect(status).toBe(1);
  expect(stdout).toBe('');
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^csi: /);
  for (const fragment of fragments) expect(lines[0]).toContain(fragment);
}

describe('csi on the mobi fixture', () => {
  it('prints one JSON object with the published numbers', async () => {
    const { status, stdout, stderr } = await csi('--csv', mobiCsvPath, '--model', mobiModelPath);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const output = JSON.parse(stdout);
    expect(Object.keys(output)).toEqual(['iterations', 'paths', 'r2', 'weights', 'loadings', 'indices']);
    expect(output.iterations).toBeGreaterThan(1);
    expect(output.iterations).toBeLessThan(300);
    expect(Object.keys(output.paths)).toEqual(Object.keys(mobiPaths));
    expectWithin(output.paths, mobiPaths);
    expectWithin(output.r2, mobiRSquared);
    expectWithin(output.weights, mobiWeights);
    expectWithin(output.loadings, mobiLoadings);
    expectWithin(output.indices, mobiIndices);
    expect(Object.keys(output.weights)).toHaveLength(24);
  });

  it('takes --scheme', async () => {
    const { status, stdout } = await csi('--csv', mobiCsvPath, '--model', mobiModelPath, '--scheme', 'centroid');
    expect(status).toBe(0);
    const output = JSON.parse(stdout);
    expect(Math.abs(output.paths['Image->Expectation'] - mobiPaths['Image->Expectation']!)).toBeGreaterThan(1e-6);
    expect(Math.abs(output.paths['Image->Expectation'] - mobiPaths['Image->Expectation']!)).toBeLessThan(0.01);
  });
});

describe('csi on a plain file of whole numbers', () => {
  it('gives the estimate of the column reader, read in one pass (the same file with one answer written 7.0)', async () => {
    const items = mobiCsv.trim().split('\n')[0]!.replaceAll('"', '').split(',').slice(1);
    const rows = mobiCsv.trim().split('\n').slice(1).map((line) => line.split(',').slice(1).join(','));
    const plain = write('plain.csv', `${items.join(',')}\n${rows.join('\n')}\n`);
    const decimal = write('decimal.csv', `${items.join(',')}\n${rows.map((row, r) => (r === 5 ? row.replace(/^(\d+)/, '$1.0') : row)).join('\n')}\n`);
    const plainRun = await csi('--csv', plain, '--model', mobiModelPath);
    const decimalRun = await csi('--csv', decimal, '--model', mobiModelPath);
    expect(plainRun.stderr).toBe('');
    const quick = JSON.parse(plainRun.stdout);
    const columns = JSON.parse(decimalRun.stdout);
    expectWithin(quick.paths, mobiPaths);
    for (const part of ['paths', 'r2', 'weights', 'loadings', 'indices'] as const) {
      for (const [key, value] of Object.entries(columns[part] as Record<string, number>)) {
        expect(Math.abs(quick[part][key] - value), `${part} ${key}`).toBeLessThan(1e-10);
      }
    }
  });
});

describe('csi on bad input: exit status 1 and one line on stderr', () => {
  it('a missing item column', async () => {
    const csv = write('no-cusa3.csv', mobiCsv.replace('"CUSA3"', '"CUSA3_old"'));
    await expectFailure(['--csv', csv, '--model', mobiModelPath], 'item "CUSA3" of construct "Satisfaction" is not a column of the data');
  });

  it('paths that form a cycle', async () => {
    const model = write('cycle.json', JSON.stringify({ ...mobiModel, paths: [...mobiModel.paths, ['Loyalty', 'Image']] }));
    await expectFailure(['--csv', mobiCsvPath, '--model', model], 'cycle', 'Loyalty -> Image', 'construct "Image"');
  });

  it('a cell that is not a number', async () => {
    const lines = mobiCsv.split('\n');
    lines[5] = lines[5]!.replace(/^("5"),\d+,/, '$1,abc,'); // respondent 5's CUEX1
    const csv = write('abc.csv', lines.join('\n'));
    await expectFailure(['--csv', csv, '--model', mobiModelPath], 'line 6, column "CUEX1": "abc" is not a number', 'abc.csv');
  });

  it('a missing file, a file that is not CSV, a model that is not JSON, and bad options', async () => {
    await Promise.all([
      expectFailure(['--csv', join(folder, 'none.csv'), '--model', mobiModelPath], 'cannot read --csv file', 'no such file'),
      expectFailure(['--csv', mobiModelPath, '--model', mobiModelPath], 'line 2: a quote inside an unquoted field'),
      expectFailure(['--csv', mobiCsvPath, '--model', mobiCsvPath], 'is not valid JSON'),
      expectFailure(['--csv', mobiCsvPath], '--model is required'),
      expectFailure(['--csv', mobiCsvPath, '--model', mobiModelPath, '--scheme', 'mode-b'], '--scheme must be path, centroid or factorial'),
    ]);
  });
});
