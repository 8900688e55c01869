// Where the project's files are, whether the server runs from its source (server/…) or from its build
// (dist/server/…, where modules are bundled into other folders): the nearest folder above with package.json.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function findProjectRoot(from: string): string {
  for (let folder = from; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) return folder;
    if (dirname(folder) === folder) throw new Error(`No package.json in ${from} or any folder above it.`);
  }
}

export const projectRoot = findProjectRoot(import.meta.dirname);
/** What `npm run build` makes: dist/web (the web app), dist/ssr (the form renderer), dist/server. */
export const distFolder = join(projectRoot, 'dist');
export const migrationsFolder = join(projectRoot, 'migrations');
