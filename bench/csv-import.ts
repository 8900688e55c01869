// A CSV import of 100,000 generated customers through the real HTTP API of a fresh server process: how long
// until the import is done, whether progress shows while it runs, and the server's peak memory (VmHWM in
// /proc) against the size of the file; then the same file again, which must update every customer and add none.
// `node --import tsx bench/csv-import.ts [--rows N]` runs it alone (build first: npm run build).
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { projectRoot } from './build.ts';
import { freePort, runAlone, startNode, startedAlone, waitForHttp } from './processes.ts';
import { formatCount, formatMb, formatMs, formatRate, printTable } from './report.ts';

export const defaultImportRows = 100_000;
/** Every this-many-th row has an address that is not an email, so the report of rejected rows is exercised. */
const rejectEvery = 100;
const pollEveryMs = 200;

interface ImportState {
  id: string;
  status: 'waiting' | 'running' | 'done' | 'failed';
  processedBytes: number;
  sizeBytes: number;
  rows: { read: number; created: number; updated: number; rejected: number; blank: number };
  error: { en: string } | null;
}

export interface ImportRun {
  label: string;
  /** From sending the file until the server answered that every row was read. */
  elapsedMs: number;
  rowsPerSecond: number;
  rows: ImportState['rows'];
  /** Distinct progress values the page's polling would have seen before the end. */
  progressSteps: number;
  /** The server's resident memory just before the run, and the most it ever held (VmHWM) after it. */
  rssBeforeKb: number | undefined;
  peakRssKb: number | undefined;
}

export interface CsvImportFigures {
  rows: number;
  fileBytes: number;
  expectedRejected: number;
  runs: ImportRun[];
  /** Customers in the database after both runs, through GET /api/customers. */
  customersAfter: number;
}

/** Writes the file a row at a time; nothing but the write buffer is held. */
async function writeCustomerFile(path: string, rows: number) {
  const out = createWriteStream(path);
  const regions = ['上海', '北京', '广州', '深圳', '杭州', '成都'];
  const tiers = ['普通', '普通', '普通', '重要', '贵宾'];
  out.write('客户编号,姓名,邮箱,电话,地区,客户细分,客户等级,consent_email,do_not_call\n');
  for (let i = 1; i <= rows; i += 1) {
    const email = i % rejectEvery === 0 ? `customer${i}-at-example.com` : `customer${i}@example.com`;
    const line = `C${String(i).padStart(7, '0')},客户${i},${email},+86 138 ${String(i % 10_000).padStart(4, '0')} ${String(i % 9973).padStart(4, '0')},${regions[i % regions.length]},segment-${i % 12},${tiers[i % tiers.length]},survey;follow_up,${i % 17 === 0 ? '是' : '否'}\n`;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
}

function procStatusKb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function signIn(baseUrl: string, email: string, password: string) {
  const response = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in failed (${response.status}): ${await response.text()}`);
  const cookie = response.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken };
}

async function runImport(input: {
  label: string;
  baseUrl: string;
  headers: Record<string, string>;
  file: Uint8Array<ArrayBuffer>;
  serverPid: number | undefined;
}): Promise<ImportRun> {
  const created = await fetch(`${input.baseUrl}/api/customer-imports`, {
    method: 'POST',
    headers: { ...input.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ fileName: 'customers.csv', sizeBytes: input.file.byteLength }),
  });
  if (created.status !== 201) throw new Error(`creating the import failed (${created.status}): ${await created.text()}`);
  const { import: waiting } = (await created.json()) as { import: ImportState };
  const rssBeforeKb = procStatusKb(input.serverPid, 'VmRSS');

  // Poll as the page does, while the upload runs, to see that progress moves.
  const seen = new Set<string>();
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const response = await fetch(`${input.baseUrl}/api/customer-imports/${waiting.id}`, { headers: input.headers });
      const { import: state } = (await response.json()) as { import: ImportState };
      if (state.status === 'running') seen.add(`${state.processedBytes}/${state.rows.read}`);
      await new Promise((resolve) => setTimeout(resolve, pollEveryMs));
    }
  })();

  const started = performance.now();
  const uploaded = await fetch(`${input.baseUrl}/api/customer-imports/${waiting.id}/file`, {
    method: 'PUT',
    headers: { ...input.headers, 'content-type': 'text/csv' },
    body: input.file,
  });
  const elapsedMs = performance.now() - started;
  polling = false;
  await poller;
  const body = (await uploaded.json()) as { import: ImportState; error?: string };
  if (uploaded.status !== 200 || body.import.status !== 'done') {
    throw new Error(`the import did not finish (${uploaded.status}): ${body.error ?? JSON.stringify(body.import)}`);
  }
  return {
    label: input.label,
    elapsedMs,
    rowsPerSecond: body.import.rows.read / (elapsedMs / 1000),
    rows: body.import.rows,
    progressSteps: seen.size,
    rssBeforeKb,
    peakRssKb: procStatusKb(input.serverPid, 'VmHWM'),
  };
}

/** Starts its own server on a fresh database, so the memory figures are the import's and nothing else's. */
export async function measureCsvImport(input: { workDir: string; rows?: number }): Promise<CsvImportFigures> {
  const rows = input.rows ?? defaultImportRows;
  const filePath = join(input.workDir, 'customers.csv');
  await writeCustomerFile(filePath, rows);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const admin = { email: 'import-bench@example.com', password: randomBytes(12).toString('hex') };
  const server = startNode('server/main.ts', {
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: baseUrl,
      DATABASE_URL: `file:${join(input.workDir, 'import.db')}`,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      LOG_LEVEL: 'error',
    },
    logPath: join(input.workDir, 'import-server.log'),
    cwd: projectRoot,
  });
  try {
    await waitForHttp(`${baseUrl}/health`, server, 30_000);
    const headers = await signIn(baseUrl, admin.email, admin.password);
    const file = new Uint8Array(readFileSync(filePath));
    const common = { baseUrl, headers, file, serverPid: server.process.pid };
    const first = await runImport({ ...common, label: 'first import (all new)' });
    const again = await runImport({ ...common, label: 'same file again (all updates)' });
    const listed = await fetch(`${baseUrl}/api/customers?pageSize=1`, { headers });
    const { total } = (await listed.json()) as { total: number };
    return { rows, fileBytes: statSync(filePath).size, expectedRejected: Math.floor(rows / rejectEvery), runs: [first, again], customersAfter: total };
  } finally {
    await server.stop();
  }
}

export function csvImportTable(figures: CsvImportFigures, number = '3') {
  printTable(
    `${number}. CSV import of ${formatCount(figures.rows)} customers (${(figures.fileBytes / 1024 / 1024).toFixed(1)} MB, UTF-8) through the HTTP API; server memory from /proc`,
    figures.runs.map((run) => ({
      run: run.label,
      time: formatMs(run.elapsedMs),
      rate: formatRate(run.rowsPerSecond),
      added: formatCount(run.rows.created),
      updated: formatCount(run.rows.updated),
      rejected: formatCount(run.rows.rejected),
      'progress steps seen': formatCount(run.progressSteps),
      'RSS before': formatMb(run.rssBeforeKb),
      'peak RSS (VmHWM)': formatMb(run.peakRssKb),
    })),
  );
  console.log(
    `  customers in the database after both runs: ${formatCount(figures.customersAfter)} (rows ${formatCount(figures.rows)} − rejected ${formatCount(figures.expectedRejected)} = ${formatCount(figures.rows - figures.expectedRejected)})`,
  );
}

/** Both runs took every good row, rejected every bad one, and the second added no customer. */
export function importIsExact(figures: CsvImportFigures): boolean {
  const [first, again] = figures.runs;
  const good = figures.rows - figures.expectedRejected;
  return (
    first!.rows.created === good &&
    first!.rows.rejected === figures.expectedRejected &&
    again!.rows.created === 0 &&
    again!.rows.updated === good &&
    again!.rows.rejected === figures.expectedRejected &&
    figures.customersAfter === good
  );
}

if (startedAlone(import.meta.url)) {
  const rowsArg = process.argv.indexOf('--rows');
  const rows = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : defaultImportRows;
  runAlone('import', async (workDir) => {
    const figures = await measureCsvImport({ workDir, rows });
    csvImportTable(figures);
    console.log(`  every row accounted for and no duplicate: ${importIsExact(figures) ? 'yes' : 'NO'}`);
  });
}
