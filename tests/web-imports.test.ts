// The web app's bundles (the respondent page, the staff app, the kiosk and its service worker) hold nothing that
// reaches the database or Node's I/O. The web shares pure rules and vocabularies with the server (e.g.
// server/customers/rules.ts, server/phone/rules.ts); this check keeps that sharing from pulling in server/db,
// drizzle-orm, @libsql, node:* or a server module that uses them. Vite builds the bundles as `npm run build`
// does, writing nothing, and every module it bundled is checked; type-only imports are not in a bundle.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { build, type Plugin } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

/** What a browser bundle must not hold, and why. */
const forbidden: { holds: (path: string) => boolean; why: string }[] = [
  { holds: (path) => path.startsWith(`server${sep}db${sep}`), why: 'the database (server/db)' },
  { holds: (path) => /(^|[\\/])node_modules[\\/](drizzle-orm|@libsql|libsql)[\\/]/.test(path), why: 'the database driver or ORM' },
  {
    holds: (path) => /(^|[\\/])node_modules[\\/](nodemailer|pdfkit|@hono[\\/]node-server|hono-rate-limiter)[\\/]/.test(path),
    why: 'a server-only library',
  },
  { holds: (path) => path.startsWith('node:'), why: "Node's I/O (a built-in module)" },
];

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/**
 * Every module a browser build of these entries bundles, by its path from the project root (node:… for Node's
 * modules), with the modules that import it.
 */
async function bundledModules(input: Record<string, string>): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  const name = (id: string) => {
    const path = id.replace(/^\0/, '').split('?')[0]!;
    return path.startsWith(root) ? relative(root, path) : path;
  };
  const recorder: Plugin = {
    name: 'record-module-graph',
    enforce: 'pre',
    // Node's modules are kept as they are asked for (a browser build would put an empty stand-in in their place).
    resolveId(source, importer) {
      if (!builtins.has(source)) return null;
      const id = source.startsWith('node:') ? source : `node:${source}`;
      graph.set(id, [...(graph.get(id) ?? []), ...(importer ? [name(importer)] : [])]);
      return { id, external: true };
    },
    buildEnd() {
      for (const id of this.getModuleIds()) {
        const info = this.getModuleInfo(id);
        const importers = [...(info?.importers ?? []), ...(info?.dynamicImporters ?? [])].map(name);
        // Node's modules were given their importers as they were resolved.
        graph.set(name(id), [...new Set([...(graph.get(name(id)) ?? []), ...importers])]);
      }
    },
  };
  await build({
    root: join(root, 'web'),
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'silent',
    plugins: [recorder],
    build: {
      write: false,
      minify: false,
      emptyOutDir: false,
      outDir: join(tmpdir(), 'web-imports-unused'),
      reportCompressedSize: false,
      rollupOptions: { input },
    },
  });
  return graph;
}

/**
 * Each forbidden module the rest of the graph imports (not those only another forbidden module imports), with
 * the chain of imports that brings it in from an entry.
 */
function offences(graph: Map<string, string[]>): string[] {
  const ruleOf = (path: string) => forbidden.find((candidate) => candidate.holds(path));
  const found: string[] = [];
  for (const [path, importers] of graph) {
    const rule = ruleOf(path);
    if (!rule || (importers.length > 0 && importers.every((importer) => ruleOf(importer)))) continue;
    const chain = [path];
    const seen = new Set(chain);
    for (let importer = graph.get(path)?.[0]; importer && !seen.has(importer); importer = graph.get(importer)?.[0]) {
      chain.unshift(importer);
      seen.add(importer);
    }
    found.push(`${chain.join(' → ')}: ${rule.why} has no place in the browser`);
  }
  return found.sort();
}

const entries = {
  respond: join(root, 'web/respond.html'),
  staff: join(root, 'web/index.html'),
  kiosk: join(root, 'web/kiosk.html'),
  'kiosk-sw': join(root, 'web/kiosk/sw.ts'),
};

describe('what the web bundles import', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'web-imports-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('holds nothing of the database or of Node I/O, from any entry', async () => {
    const graph = await bundledModules(entries);
    // The graph is the real one: the staff app's pages and the server rules they share are in it.
    expect(graph.has(join('web', 'staff', 'accounts', 'LoginPage.tsx'))).toBe(true);
    expect(graph.has(join('server', 'customers', 'rules.ts'))).toBe(true);
    expect(offences(graph)).toEqual([]);
  });

  it('names a module that would bring in the database or Node I/O, and how it comes in', async () => {
    const entry = join(scratch, 'entry.ts');
    const viaServer = join(scratch, 'shared.ts');
    writeFileSync(viaServer, `export { surveys } from ${JSON.stringify(join(root, 'server/db/schema.ts'))};\n`);
    writeFileSync(
      entry,
      `import { surveys } from ${JSON.stringify(viaServer)};\nimport { readFileSync } from 'node:fs';\nconsole.log(surveys, readFileSync);\n`,
    );
    const found = offences(await bundledModules({ entry }));
    expect(found).toContainEqual(expect.stringMatching(/entry\.ts → .*shared\.ts → server[\\/]db[\\/]schema\.ts: the database/));
    expect(found).toContainEqual(expect.stringMatching(/entry\.ts → node:fs: Node's I\/O/));
  });
});
