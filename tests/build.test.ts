// The build (scripts/build.mjs): outputs are built again only when what they were built from changed, a
// failed build is not taken for done; and the compiled server (dist/server) finds everything it reads at run
// time from where it runs.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { brotliDecompressSync } from 'node:zlib';
import { ensureBuilt } from '../scripts/build.mjs';
import { compressFile, loadAssets } from '../server/web.ts';
import { mobiCsvPath, mobiModelPath } from '../surveys/indices/mobi-reference.ts';
import { waitFor } from './support/poll.ts';

const root = resolve(import.meta.dirname, '..');

describe('building only what changed', () => {
  let project: string;
  let builds: string[];
  let failing: Set<string>;

  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(project, file)), { recursive: true });
    writeFileSync(join(project, file), text);
  };
  const read = (file: string) => readFileSync(join(project, file), 'utf8');

  /** An output made from one source file: its text, upper-cased, into out/<name>-<text>.txt (a new name per content, as hashed bundles have). */
  const output = (name: string, source: string, shared?: string) => ({
    config: ['lock.json'],
    shared,
    async build() {
      builds.push(name);
      const text = read(source);
      const file = join(project, shared ?? `out/${name}`, `${name}-${text}.txt`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text.toUpperCase());
      if (failing.has(name)) throw new Error(`${name} failed`);
      return { inputs: [join(project, source)], files: [file] };
    },
  });
  const outputs = () => ({
    server: output('server', 'src/server.ts'),
    respond: output('respond', 'web/respond.ts', 'out/web'),
    staff: output('staff', 'web/staff.ts', 'out/web'),
  });
  const build = (names?: string[], force = false) =>
    ensureBuilt({ root: project, stateDir: join(project, 'out/.build'), outputs: outputs(), ...(names ? { names } : {}), force });

  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'build-test-'));
    builds = [];
    failing = new Set();
    write('lock.json', '{}');
    write('src/server.ts', 'a');
    write('web/respond.ts', 'b');
    write('web/staff.ts', 'c');
    return () => rmSync(project, { recursive: true, force: true });
  });

  it('builds everything the first time, then nothing until an input changes', async () => {
    expect(await build()).toEqual(['server', 'respond', 'staff']);
    expect(await build()).toEqual([]);
    // Written again with the same content (a checkout, a touch): still nothing to do.
    write('src/server.ts', 'a');
    expect(await build()).toEqual([]);
    expect(builds).toEqual(['server', 'respond', 'staff']);
  });

  it('builds again only the output whose input changed, and removes what its last build wrote', async () => {
    await build();
    write('web/respond.ts', 'B');
    expect(await build()).toEqual(['respond']);
    expect(existsSync(join(project, 'out/web/respond-b.txt'))).toBe(false);
    expect(read('out/web/respond-B.txt')).toBe('B');
    // The other output in the same folder is left as it was.
    expect(read('out/web/staff-c.txt')).toBe('C');
  });

  it('trusts a recorded hash while the file size and times are unchanged, unless they were too recent to tell', async () => {
    const file = join(project, 'web/respond.ts');
    const recordPath = join(project, 'out/.build/respond.json');
    // A record whose hash of the file is wrong: the build notices only if it reads the file.
    const misrecord = () => {
      const record = JSON.parse(readFileSync(recordPath, 'utf8'));
      record.inputs['web/respond.ts'] = 'not-its-hash';
      writeFileSync(recordPath, JSON.stringify(record));
    };
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    await build();
    misrecord();
    expect(await build(['respond'])).toEqual([]);
    // Modified just before the record was written (file times may be coarse): read, whatever the metadata says.
    utimesSync(file, new Date(), new Date());
    await build(['respond'], true);
    misrecord();
    expect(await build(['respond'])).toEqual(['respond']);
    // Changed to the same size with its modification time put back: its change time still tells.
    utimesSync(file, old, old);
    await build(['respond'], true);
    write('web/respond.ts', 'X');
    utimesSync(file, old, old);
    expect(await build(['respond'])).toEqual(['respond']);
    expect(read('out/web/respond-X.txt')).toBe('X');
  });

  it('builds everything again when a file every build depends on changes, or when forced', async () => {
    await build();
    write('lock.json', '{"changed":true}');
    expect(await build()).toEqual(['server', 'respond', 'staff']);
    expect(await build(['server'], true)).toEqual(['server']);
  });

  it('builds only the outputs asked for', async () => {
    expect(await build(['server'])).toEqual(['server']);
    expect(await build(['server'])).toEqual([]);
    expect(await build()).toEqual(['respond', 'staff']);
  });

  it('does not take a build that failed midway for done', async () => {
    await build();
    write('src/server.ts', 'x');
    failing.add('server');
    await expect(build()).rejects.toThrow('server failed');
    failing.clear();
    expect(await build()).toEqual(['server']);
    expect(await build()).toEqual([]);
  });

  it('does not take a build for done when its input was saved while it ran', async () => {
    await build();
    write('src/server.ts', 'y');
    const outputsNow = outputs();
    const buildServer = outputsNow.server.build;
    // The file is saved again while the bundler works, after it has been read.
    outputsNow.server.build = async () => {
      const built = await buildServer();
      await new Promise((later) => setTimeout(later, 50));
      write('src/server.ts', 'z');
      return built;
    };
    const run = (names?: string[]) => ensureBuilt({ root: project, stateDir: join(project, 'out/.build'), outputs: outputsNow, ...(names ? { names } : {}) });
    expect(await run(['server'])).toEqual(['server']);
    outputsNow.server.build = buildServer;
    expect(await run(['server'])).toEqual(['server']);
    expect(read('out/server/server-z.txt')).toBe('Z');
    expect(await run(['server'])).toEqual([]);
  });

  it('builds an output again when a file it wrote is gone', async () => {
    await build();
    rmSync(join(project, 'out/server'), { recursive: true });
    expect(await build()).toEqual(['server']);
  });

  it('starts a shared folder over when one of its outputs has no record', async () => {
    await build();
    write('out/web/left-over.txt', 'from an older build');
    rmSync(join(project, 'out/.build/staff.json'));
    expect(await build(['staff'])).toEqual(['respond', 'staff']);
    expect(existsSync(join(project, 'out/web/left-over.txt'))).toBe(false);
    expect(read('out/web/respond-b.txt')).toBe('B');
  });

  it('takes over the lock of a build that was killed', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    write('out/.build/lock/pid', String(dead));
    expect(await build()).toEqual(['server', 'respond', 'staff']);
    expect(existsSync(join(project, 'out/.build/lock'))).toBe(false);
  });

  it('builds once when two builds start together', async () => {
    const [first, second] = await Promise.all([build(), build()]);
    expect([...first, ...second].sort()).toEqual(['respond', 'server', 'staff']);
    expect(builds.sort()).toEqual(['respond', 'server', 'staff']);
  });
});

describe('the compressed copies the build writes beside the web app', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'build-test-assets-'));
    return () => rmSync(folder, { recursive: true, force: true });
  });

  it('are served instead of compressing at start, and are not assets themselves', () => {
    const file = join(folder, 'app.js');
    writeFileSync(file, 'console.log("app");');
    writeFileSync(`${file}.br`, 'stored br');
    writeFileSync(`${file}.gz`, 'stored gzip');
    const asset = compressFile(file, 'text/javascript');
    expect(Buffer.from(asset.br).toString()).toBe('stored br');
    expect(Buffer.from(asset.gzip).toString()).toBe('stored gzip');
    expect([...loadAssets(folder).keys()]).toEqual(['/app.js']);
  });

  it('are not used when older than the file', () => {
    const file = join(folder, 'app.js');
    writeFileSync(`${file}.br`, 'stale br');
    writeFileSync(`${file}.gz`, 'stale gzip');
    const past = new Date(Date.now() - 60_000);
    utimesSync(`${file}.br`, past, past);
    writeFileSync(file, 'console.log("new");');
    expect(brotliDecompressSync(compressFile(file, 'text/javascript').br).toString()).toBe('console.log("new");');
  });
});

describe('the compiled server and commands', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  let output = '';

  beforeAll(() => {
    // What `npm start` builds first (usually nothing: `npm test` has built it).
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
    dir = mkdtempSync(join(tmpdir(), 'build-test-server-'));
  }, 300_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child!.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs from dist/server with its migrations, web app and form renderer', async () => {
    const probe = createServer();
    await new Promise<void>((listening) => probe.listen(0, '127.0.0.1', listening));
    const { port } = probe.address() as AddressInfo;
    await new Promise((closed) => probe.close(closed));
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `file:${join(dir, 'app.db')}`, LOG_LEVEL: 'error' };
    // The demo surveys, by the compiled `npm run demo`.
    execFileSync(process.execPath, [join(root, 'scripts/run.mjs'), 'demo', '--responses', '5'], { cwd: dir, env, stdio: 'ignore' });
    // As `npm start` runs it, from another working folder to show nothing depends on it.
    child = spawn(process.execPath, [join(root, 'scripts/run.mjs'), 'start'], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const base = `http://127.0.0.1:${port}`;
    const health = await waitFor(
      `the server to answer /health\n${output}`,
      async () => {
        if (child!.exitCode !== null) throw new Error(`The server exited early:\n${output}`);
        return (await fetch(`${base}/health`).catch(() => null)) ?? undefined;
      },
      { withinMs: 30_000, everyMs: 100 },
    );
    expect(health.status, output).toBe(200);
    // The staff app from dist/web (not the "not built" page), and a script it names.
    const staff = await fetch(`${base}/app/`);
    expect(staff.status).toBe(200);
    const html = await staff.text();
    const script = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    expect(script, html).toBeDefined();
    expect((await fetch(`${base}${script}`)).status).toBe(200);
    const kiosk = await fetch(`${base}/k/sw.js`);
    expect(kiosk.status).toBe(200);
    // The public form rendered on the server by dist/ssr: its questions are in the page as it arrives.
    const demo = await fetch(`${base}/s/demo`);
    expect(demo.status).toBe(200);
    expect(await demo.text()).toMatch(/<input|role="radio"/);
  });

  it('runs csi compiled, printing only its JSON', () => {
    const printed = execFileSync(process.execPath, ['scripts/run.mjs', 'csi', '--csv', mobiCsvPath, '--model', mobiModelPath], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(Object.keys(JSON.parse(printed))).toEqual(['iterations', 'paths', 'r2', 'weights', 'loadings', 'indices']);
  });
});
