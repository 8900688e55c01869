// npm run -s csi -- --csv FILE --model MODEL.json [--scheme path|centroid|factorial] [--missing mean|listwise]
// Estimates an ACSI-style PLS model on a CSV of item columns and prints one JSON object: iterations, path
// coefficients, R², outer weights, loadings and the 0-100 index of every construct. On bad input it prints
// one line on stderr and exits with status 1.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { CsvError, numericCsvHeader, numericTable, readNumericCsv, readNumericMoments } from '../../surveys/indices/numeric-csv.ts';
import { estimatePls, estimatePlsFromMoments, PlsError, type PlsResult } from '../../surveys/indices/pls.ts';
import { parsePlsModel, weightingSchemes } from '../../surveys/indices/pls-model.ts';

const usage = 'usage: csi --csv FILE --model MODEL.json [--scheme path|centroid|factorial] [--missing mean|listwise]';

const Arguments = v.object(
  {
    csv: v.pipe(v.string(), v.nonEmpty('--csv needs a file name')),
    model: v.pipe(v.string(), v.nonEmpty('--model needs a file name')),
    scheme: v.optional(v.picklist(weightingSchemes, '--scheme must be path, centroid or factorial')),
    missing: v.optional(v.picklist(['mean', 'listwise'] as const, '--missing must be mean or listwise')),
  },
  // A missing required key: expected is its quoted name.
  (issue) => `--${issue.expected?.replaceAll('"', '')} is required`,
);

/** A problem the user can fix; the message is printed as is. */
class UsageError extends Error {}

interface CsiOutput {
  iterations: number;
  paths: Record<string, number>;
  r2: Record<string, number>;
  weights: Record<string, number>;
  loadings: Record<string, number>;
  indices: Record<string, number>;
}

async function run(argv: readonly string[]): Promise<CsiOutput> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        csv: { type: 'string' },
        model: { type: 'string' },
        scheme: { type: 'string' },
        missing: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (${usage})`);
  }
  const parsedArgs = v.safeParse(Arguments, values);
  if (!parsedArgs.success) throw new UsageError(`${parsedArgs.issues[0].message} (${usage})`);
  const args = parsedArgs.output;

  const bytes = readBytes(args.csv, '--csv');
  let modelJson: unknown;
  try {
    modelJson = JSON.parse(readText(args.model, '--model'));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`model file "${args.model}" is not valid JSON: ${(error as Error).message}`);
  }
  const modelFor = (header: readonly string[]) => {
    const model = parsePlsModel(modelJson, header.map((name) => name.trim()));
    if (!model.ok) throw new UsageError(`model file "${args.model}": ${model.issues.join('; ')}`);
    return { model: model.model, items: Object.values(model.model.constructs).flat() };
  };
  const options = { scheme: args.scheme, missing: args.missing };
  const result = await estimate();
  async function estimate(): Promise<PlsResult> {
    // The usual file is read straight from its bytes: into the items' moments in one pass when every
    // answer is there and a whole number, otherwise into columns. Any other file goes through the full
    // reader (loaded only then, with its CSV library), which says what is wrong.
    const header = numericCsvHeader(bytes);
    if (header) {
      const { model, items } = modelFor(header);
      // With no answer missing, leaving out incomplete rows and filling in the mean both keep every row.
      const moments = inFile(args.csv, () => readNumericMoments(bytes, items));
      if (moments) return estimatePlsFromMoments(moments, model, { scheme: args.scheme });
      const quick = readNumericCsv(bytes);
      if (quick) return estimatePls(inFile(args.csv, () => numericTable(quick, items)), model, options);
    }
    const { numericColumns, parseCsv } = await import('../../surveys/indices/csv.ts');
    const csv = inFile(args.csv, () => parseCsv(new TextDecoder().decode(bytes)));
    const { model, items } = modelFor(csv.header);
    return estimatePls(inFile(args.csv, () => numericColumns(csv, items)), model, options);
  }
  if (!result.converged) {
    process.stderr.write(`csi: warning: the estimate did not converge in ${result.iterations} iterations\n`);
  }
  return toOutput(result);
}

function toOutput(result: PlsResult): CsiOutput {
  const items = Object.entries(result.items);
  return {
    iterations: result.iterations,
    paths: Object.fromEntries(result.paths.map((path) => [`${path.from}->${path.to}`, path.coefficient])),
    r2: result.rSquared,
    weights: Object.fromEntries(items.map(([item, { weight }]) => [item, weight])),
    loadings: Object.fromEntries(items.map(([item, { loading }]) => [item, loading])),
    indices: result.indices,
  };
}

/** Name the file in CSV errors, which only know lines and columns. */
function inFile<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof CsvError) throw new UsageError(`--csv file "${file}": ${error.message}`);
    throw error;
  }
}

function readText(file: string, option: string): string {
  return new TextDecoder().decode(readBytes(file, option));
}

function readBytes(file: string, option: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new UsageError(`cannot read ${option} file "${file}": ${reason}`);
  }
}

try {
  process.stdout.write(`${JSON.stringify(await run(process.argv.slice(2)))}\n`);
} catch (error) {
  const known = error instanceof UsageError || error instanceof PlsError;
  const message = known ? (error as Error).message : `unexpected error: ${String((error as Error)?.stack ?? error)}`;
  process.stderr.write(`csi: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exitCode = 1;
}
