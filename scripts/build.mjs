// `npm run build` (and, before they run, `npm start`, `npm run csi`, `insights` and `demo`): builds into dist/
// only the outputs whose inputs changed since their last successful build.
//
//   server   dist/server   server/main.ts, server/cli/*.ts and all they import, bundled
//                          for Node (node_modules stay external)
//   respond  dist/web      the public respondent page            (vite build --mode respond)
//   staff    dist/web      the staff app                         (vite build --mode staff)
//   kiosk    dist/web      the onsite kiosk and its worker       (vite build --mode kiosk)
//   ssr      dist/ssr      the server's renderer of the public form (vite build --ssr respond/render.tsx)
//
// After a successful build, dist/.build/<output>.json records a content hash (with the size and times) of
// every project file the bundler read for it, and of package-lock.json, tsconfig.json, vite.config.ts and this
// script. An output is up to date when that record exists, its files exist and every hash still matches (a
// file whose size and times are as recorded is not read again); a record is removed
// before its output is rebuilt, so a build that fails or is killed midway is built again next time.
// Plain JavaScript, so that checking costs one Node start and no compiler.
//
//   node scripts/build.mjs [--force] [output …]   build what changed (or everything with --force)
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

export const projectRoot = resolve(import.meta.dirname, '..');
const recordVersion = 2;

/**
 * @typedef {{ inputs: string[], files: string[] }} Built  absolute paths: what the build read and wrote
 * @typedef {{
 *   config: string[],
 *   shared?: string,
 *   entries?: () => string,
 *   build: (log: (text: string) => void) => Promise<Built>,
 * }} Output  config: files (relative to the root) every build depends on; shared: a folder other outputs
 *            also write into (emptied and rebuilt by all of them when any has no record); entries: what
 *            the build's entry points are, when they can change without a recorded input changing
 */

/** What a file's metadata says of its content without reading it ("missing" for no file), and its mtime. */
function statOf(path) {
  try {
    const stat = statSync(path);
    return { key: `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`, modified: stat.mtimeMs };
  } catch {
    return { key: 'missing', modified: 0 };
  }
}

/** How close to a record's writing a file's mtime makes its metadata unreliable (coarse file times). */
const racyMs = 2_000;

/**
 * Content hashes of files relative to root (a missing file hashes to "missing"), with each file's metadata.
 * A file whose metadata is what `known` (a record) saw keeps the hash recorded then, unread, so checking
 * a big project costs a stat per file; unless it was modified shortly before that record was written,
 * when a file system with coarse times could hide a later change of the same size (git's racy files).
 * The metadata is read before the content, so a file changed while it is hashed is read again next time.
 */
function hashes(root, files, known) {
  const hashedAt = Date.now();
  const inputs = {};
  const stats = {};
  for (const file of files) {
    const path = join(root, file);
    const { key, modified } = statOf(path);
    let hash = 'missing';
    const unchanged = key !== 'missing' && known?.stats?.[file] === key && modified < known.hashedAt - racyMs;
    if (unchanged && known.inputs[file]) hash = known.inputs[file];
    else {
      try {
        hash = createHash('sha1').update(readFileSync(path)).digest('base64url');
      } catch (error) {
        if (error.code !== 'ENOENT' && error.code !== 'EISDIR') throw error;
      }
    }
    inputs[file] = hash;
    stats[file] = key;
  }
  return { inputs, stats, hashedAt };
}

const asRelative = (root, path) => relative(root, path).split(sep).join('/');

function readRecord(path) {
  try {
    const record = JSON.parse(readFileSync(path, 'utf8'));
    return record?.version === recordVersion ? record : undefined;
  } catch {
    return undefined;
  }
}

/** Why an output must be built, or undefined when it is up to date. */
function staleness(root, output, record) {
  if (!record) return 'never built';
  if (record.files.some((file) => !existsSync(join(root, file)))) return 'output missing';
  const now = hashes(root, [...new Set([...output.config, ...Object.keys(record.inputs)])], record).inputs;
  const changed = Object.keys(now).find((file) => now[file] !== record.inputs[file]);
  if (changed !== undefined) return `${changed} changed`;
  if ((output.entries?.() ?? '') !== record.entries) return 'entry points changed';
  return undefined;
}

function modifiedAt(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function lockTime(lock) {
  try {
    return statSync(lock).mtimeMs;
  } catch {
    return Date.now();
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** One build at a time per dist/: a second process waits, then finds the outputs built. */
async function withLock(stateDir, work) {
  const lock = join(stateDir, 'lock');
  mkdirSync(stateDir, { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      let owner = Number.NaN;
      try {
        owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {}
      // A lock left by a process that died; one without a pid is being taken right now, unless it is old.
      const orphan = Number.isInteger(owner) && owner > 0 ? !isAlive(owner) : Date.now() - lockTime(lock) > 10_000;
      if (orphan) rmSync(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    writeFileSync(join(lock, 'pid'), String(process.pid));
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Builds the named outputs that are not up to date. Returns the names built; throws when a build fails
 * (its record stays absent). Quick when nothing changed: a stat of each recorded input (a hash of those whose
 * size or times changed), no bundler loaded.
 * @param {{ root?: string, stateDir?: string, outputs?: Record<string, Output>, names?: string[], force?: boolean, log?: (text: string) => void }} options
 */
export async function ensureBuilt(options = {}) {
  const root = options.root ?? projectRoot;
  const stateDir = options.stateDir ?? join(root, 'dist/.build');
  const outputs = options.outputs ?? projectOutputs(root);
  const names = options.names ?? Object.keys(outputs);
  const log = options.log ?? (() => {});
  for (const name of names) if (!outputs[name]) throw new Error(`Unknown output "${name}" (known: ${Object.keys(outputs).join(', ')}).`);
  const recordPath = (name) => join(stateDir, `${name}.json`);

  const plan = () => {
    const records = Object.fromEntries(Object.keys(outputs).map((name) => [name, readRecord(recordPath(name))]));
    const reasons = new Map();
    for (const name of names) {
      const reason = options.force ? 'forced' : staleness(root, outputs[name], records[name]);
      if (reason) reasons.set(name, reason);
    }
    // Outputs that share a folder: if one has no record, what is in the folder is unknown, so all start over.
    const resets = new Set();
    for (const name of names) {
      const shared = outputs[name].shared;
      if (!shared || !reasons.has(name) || (records[name] && !options.force)) continue;
      resets.add(shared);
      for (const [other, output] of Object.entries(outputs)) if (output.shared === shared && !reasons.has(other)) reasons.set(other, `${shared} starts over`);
    }
    return { records, reasons, resets };
  };

  if (plan().reasons.size === 0) return [];
  return withLock(stateDir, async () => {
    // Another process may have built while this one waited.
    const { records, reasons, resets } = plan();
    // In the order the outputs are listed, whatever order they were asked for in.
    const toBuild = Object.keys(outputs).filter((name) => reasons.has(name));
    for (const name of toBuild) rmSync(recordPath(name), { force: true });
    for (const shared of resets) rmSync(join(root, shared), { recursive: true, force: true });
    const built = [];
    for (const name of toBuild) {
      const output = outputs[name];
      const reason = reasons.get(name);
      if (!resets.has(output.shared)) for (const file of records[name]?.files ?? []) rmSync(join(root, file), { force: true });
      log(`building ${name} (${reason})…`);
      const started = performance.now();
      const startedAt = Date.now();
      const result = await output.build(log);
      const inputs = result.inputs.map((path) => asRelative(root, path)).filter((file) => !file.startsWith('..'));
      // A file saved while the bundler ran may or may not be in the output: no record, so it is built again.
      // Not the first moments: the bundler has read nothing yet, and file times are coarser than the clock.
      // Nor times after the build's end: those are not edits during it but a clock's or an archive's.
      const finishedAt = Date.now();
      const editedMeanwhile = [...output.config, ...inputs].find((file) => {
        const modified = modifiedAt(join(root, file));
        return modified > startedAt + 20 && modified <= finishedAt;
      });
      if (editedMeanwhile) {
        log(`built ${name}, but ${editedMeanwhile} changed meanwhile: it will be built again next time`);
        built.push(name);
        continue;
      }
      const record = {
        version: recordVersion,
        builtAt: new Date().toISOString(),
        ...hashes(root, [...new Set([...output.config, ...inputs])].sort()),
        files: result.files.map((path) => asRelative(root, path)).sort(),
        entries: output.entries?.() ?? '',
      };
      writeFileSync(recordPath(name), `${JSON.stringify(record, null, 1)}\n`);
      log(`built ${name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      built.push(name);
    }
    return built;
  });
}

/** Files a bundle read: every module it loaded from the project (not node_modules, not virtual). */
function moduleCollector(root, into) {
  return {
    name: 'record-inputs',
    buildEnd() {
      for (const id of this.getModuleIds()) {
        const path = id.split('?')[0];
        if (id.startsWith('\0') || !path.startsWith(root) || path.includes(`${sep}node_modules${sep}`)) continue;
        into.add(path);
      }
    },
  };
}

/** Every file under a folder whose name passes the test (for files a bundler may read without a module). */
function filesUnder(folder, test) {
  const found = [];
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath ?? entry.path, entry.name);
    if (entry.isFile() && test(path)) found.push(path);
  }
  return found;
}

/**
 * Each file of the web app compressed as the server sends it (gzip level 9, brotli quality 11), beside it as
 * .gz and .br: the server reads these instead of compressing at start (server/web.ts). Returns their paths.
 */
async function precompress(files) {
  const { promisify } = await import('node:util');
  const { brotliCompress, constants, gzip } = await import('node:zlib');
  const [brotli, gz] = [promisify(brotliCompress), promisify(gzip)];
  const written = await Promise.all(
    files.map(async (file) => {
      const raw = readFileSync(file);
      const [br, gzipped] = await Promise.all([brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }), gz(raw, { level: 9 })]);
      writeFileSync(`${file}.br`, br);
      writeFileSync(`${file}.gz`, gzipped);
      return [`${file}.br`, `${file}.gz`];
    }),
  );
  return written.flat();
}

const writtenFiles = (result, outDir) => [result].flat().flatMap((bundle) => bundle.output.map((file) => join(outDir, file.fileName)));

/** @returns {Record<string, Output>} */
export function projectOutputs(root = projectRoot) {
  const common = ['package-lock.json', 'tsconfig.json', 'scripts/build.mjs'];
  const withVite = [...common, 'vite.config.ts'];
  // Stylesheets, pages and images of the web app are read by vite's plugins, not always as modules.
  const webAssets = () => filesUnder(join(root, 'web'), (path) => !/\.(ts|tsx|js|jsx)$/.test(path));

  /** One build of vite.config.ts: a mode (web app) or the form renderer (ssr). */
  const viteOutput = (inline, shared) => ({
    config: withVite,
    shared,
    async build() {
      const { build } = await import('vite');
      const inputs = new Set(webAssets());
      const outDir = join(root, shared ?? 'dist/ssr');
      const result = await build({
        root: join(root, 'web'),
        configFile: join(root, 'vite.config.ts'),
        logLevel: 'warn',
        plugins: [moduleCollector(root, inputs)],
        ...inline,
        // Outputs sharing dist/web are cleaned file by file from their records, not by emptying the folder.
        build: { ...inline.build, emptyOutDir: !shared, reportCompressedSize: false, rollupOptions: { checks: { pluginTimings: false } } },
      });
      const files = writtenFiles(result, outDir);
      return { inputs: [...inputs], files: shared ? [...files, ...(await precompress(files))] : files };
    },
  });

  const commands = () => readdirSync(join(root, 'server/cli')).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts')).sort();

  return {
    server: {
      config: common,
      // A command added to server/cli/ is a new entry point.
      entries: () => commands().join(' '),
      async build() {
        const { build } = await import('vite');
        const inputs = new Set();
        const outDir = join(root, 'dist/server');
        const result = await build({
          root,
          configFile: false,
          logLevel: 'warn',
          mode: 'production',
          plugins: [moduleCollector(root, inputs)],
          build: {
            ssr: true,
            outDir,
            emptyOutDir: true,
            copyPublicDir: false,
            target: 'node20',
            minify: false,
            reportCompressedSize: false,
            rollupOptions: {
              input: {
                main: join(root, 'server/main.ts'),
                ...Object.fromEntries(commands().map((file) => [`cli/${file.slice(0, -3)}`, join(root, 'server/cli', file)])),
              },
              output: { format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
            },
          },
        });
        return { inputs: [...inputs], files: writtenFiles(result, outDir) };
      },
    },
    respond: viteOutput({ mode: 'respond' }, 'dist/web'),
    staff: viteOutput({ mode: 'staff' }, 'dist/web'),
    kiosk: viteOutput({ mode: 'kiosk' }, 'dist/web'),
    ssr: viteOutput({ build: { ssr: 'respond/render.tsx' } }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const names = args.filter((arg) => arg !== '--force');
  try {
    const started = performance.now();
    const built = await ensureBuilt({ force, names: names.length ? names : undefined, log: (text) => console.log(text) });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(built.length ? `dist/ is up to date (built ${built.join(', ')} in ${seconds} s).` : 'dist/ is up to date: nothing changed.');
  } catch (error) {
    console.error(`The build failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    process.exit(1);
  }
}
