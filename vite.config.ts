import { resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';
import solid from 'vite-plugin-solid';

const here = import.meta.dirname;
const entries = {
  respond: resolve(here, 'web/respond.html'),
  staff: resolve(here, 'web/index.html'),
};

// `npm run build` runs three builds into dist/: the tiny public respondent page (--mode respond) and the staff
// app (--mode staff) apart, so the public page is one script and one stylesheet that share nothing with the
// staff app; then (--ssr) the server's renderer of the public form, web/respond/render.tsx.
export default defineConfig(({ mode, isSsrBuild }): UserConfig => ({
  root: 'web',
  base: '/',
  plugins: [solid({ ssr: isSsrBuild })],
  build: isSsrBuild
    ? { outDir: resolve(here, 'dist/ssr'), emptyOutDir: true, target: 'node20' }
    : {
        outDir: resolve(here, 'dist/web'),
        // The staff build lands beside the public page's, which comes first.
        emptyOutDir: mode !== 'staff',
        target: 'es2022',
        rollupOptions: {
          input: mode === 'respond' ? { respond: entries.respond } : mode === 'staff' ? { staff: entries.staff } : entries,
        },
      },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/s/': 'http://127.0.0.1:3000' } },
}));
