import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The SurveyJS comparison page, built the way the project builds its own public page (same target, minified).
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: resolve(import.meta.dirname, '../../.bench/surveyjs'),
    emptyOutDir: true,
    target: 'es2022',
    // SurveyJS is one large chunk by design; the size is what the bench reports, not a build problem.
    chunkSizeWarningLimit: 5000,
  },
});
