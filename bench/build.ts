// Builds both public pages: ours with the project's vite config into dist/web (what `npm start` serves),
// and the SurveyJS peer with bench/surveyjs/vite.config.ts into .bench/surveyjs.
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, loadConfigFromFile, type InlineConfig } from 'vite';

export const projectRoot = resolve(import.meta.dirname, '..');
export const webOutDir = join(projectRoot, 'dist/web');
export const surveyJsOutDir = join(projectRoot, '.bench/surveyjs');

export interface WebBuild {
  /** full: both entries built; respond-only: the staff app did not build; existing: nothing built, an earlier build used. */
  kind: 'full' | 'respond-only' | 'existing';
  note?: string;
}

/** The first line of a build error that names the problem (not the "Build failed with N errors" header). */
function firstLine(error: unknown) {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\u001b\[[0-9;]*m/g, '');
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  return (lines.find((line) => !/^Build failed/.test(line)) ?? lines[0] ?? 'unknown error').slice(0, 200);
}

/**
 * The full `vite build`; when another part of the web app is mid-edit and does not build, the public
 * page alone (the server needs only a placeholder staff page to start); failing that, an earlier build.
 */
export async function buildOurPage(configFile = join(projectRoot, 'vite.config.ts')): Promise<WebBuild> {
  try {
    await build({ configFile, root: join(projectRoot, 'web'), logLevel: 'silent' });
    return { kind: 'full' };
  } catch (fullError) {
    const loaded = await loadConfigFromFile({ command: 'build', mode: 'production' }, configFile, projectRoot, 'silent');
    if (!loaded) throw fullError;
    const config: InlineConfig = {
      ...loaded.config,
      configFile: false,
      root: join(projectRoot, 'web'),
      logLevel: 'silent',
      build: {
        ...loaded.config.build,
        outDir: webOutDir,
        emptyOutDir: false,
        rollupOptions: { ...loaded.config.build?.rollupOptions, input: { respond: join(projectRoot, 'web/respond.html') } },
      },
    };
    try {
      await build(config);
    } catch (respondError) {
      if (!existsSync(join(webOutDir, 'respond.html')) || !existsSync(join(webOutDir, 'index.html'))) {
        throw new Error(`the public page does not build and there is no earlier build in dist/web: ${firstLine(respondError)}`);
      }
      return { kind: 'existing', note: `the web build failed (${firstLine(respondError)}); using the earlier build in dist/web` };
    }
    if (!existsSync(join(webOutDir, 'index.html'))) {
      writeFileSync(join(webOutDir, 'index.html'), '<!doctype html><title>Staff app not built</title><p>The bench built only the public page.</p>\n');
    }
    return { kind: 'respond-only', note: `the full web build failed (${firstLine(fullError)}); built the public page alone` };
  }
}

export async function buildSurveyJsPage() {
  await build({ configFile: join(projectRoot, 'bench/surveyjs/vite.config.ts') });
}
