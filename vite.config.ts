import { resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';
import solid from 'vite-plugin-solid';

const here = import.meta.dirname;
const entries = {
  respond: resolve(here, 'web/respond.html'),
  staff: resolve(here, 'web/index.html'),
  kiosk: resolve(here, 'web/kiosk.html'),
};
// The kiosk's service worker keeps a fixed name: the server serves it as /k/sw.js, and a worker's URL cannot change.
const kioskWorker = resolve(here, 'web/kiosk/sw.ts');

// The web app's four builds into dist/, each run by scripts/build.mjs (`npm run build`) only when its inputs
// changed: the tiny public respondent page (mode respond) and the staff app (mode staff) apart, so the
// public page is one script and one stylesheet that share nothing with the staff app; the onsite kiosk page
// (mode kiosk) apart too, with its service worker; and (ssr: respond/render.tsx) the server's renderer of
// the public form. scripts/build.mjs never empties dist/web: it removes the files of the build it replaces.
// The server itself is bundled by scripts/build.mjs with a configuration of its own.
export default defineConfig(({ mode, isSsrBuild }): UserConfig => ({
  root: 'web',
  base: '/',
  plugins: [solid({ ssr: isSsrBuild })],
  build: isSsrBuild
    ? { outDir: resolve(here, 'dist/ssr'), emptyOutDir: true, target: 'node20', copyPublicDir: false }
    : {
        outDir: resolve(here, 'dist/web'),
        // The staff and kiosk builds land beside the public page's, which comes first.
        emptyOutDir: mode !== 'staff' && mode !== 'kiosk',
        target: 'es2022',
        rollupOptions: {
          input:
            mode === 'respond'
              ? { respond: entries.respond }
              : mode === 'staff'
                ? { staff: entries.staff }
                : mode === 'kiosk'
                  ? { kiosk: entries.kiosk, 'kiosk-sw': kioskWorker }
                  : { ...entries, 'kiosk-sw': kioskWorker },
          output: {
            entryFileNames: (chunk) => (chunk.name === 'kiosk-sw' ? 'kiosk-sw.js' : 'assets/[name]-[hash].js'),
          },
        },
      },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/s/': 'http://127.0.0.1:3000' } },
}));
