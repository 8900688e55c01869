// Builds both public pages: ours with `npm run build` into dist/ (what `npm start` serves),
// and the SurveyJS peer with bench/surveyjs/vite.config.ts into .bench/surveyjs.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { build } from 'vite';

export const projectRoot = resolve(import.meta.dirname, '..');
export const surveyJsOutDir = join(projectRoot, '.bench/surveyjs');

/** Our build exactly as `npm start` makes it: public page, staff app and the server's form renderer. */
export function buildOurPage() {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'inherit'] });
}

export async function buildSurveyJsPage() {
  await build({ configFile: join(projectRoot, 'bench/surveyjs/vite.config.ts') });
}
