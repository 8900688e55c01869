import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// Two entries: the tiny public respondent page and the staff app, built apart so neither loads the other.
export default defineConfig({
  root: 'web',
  base: '/',
  plugins: [solid()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        respond: resolve(import.meta.dirname, 'web/respond.html'),
        staff: resolve(import.meta.dirname, 'web/index.html'),
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/s/': 'http://127.0.0.1:3000' } },
});
