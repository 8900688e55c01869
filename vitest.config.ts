import { defineConfig } from 'vitest/config';
import ChromiumCheckingSequencer from './tests/support/chromium-sequencer.ts';

export default defineConfig({
  test: {
    include: ['surveys/**/*.test.ts', 'server/**/*.test.ts', 'web/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Browser tests run only with a Chromium found; without one, one line says what to install and the run fails.
    sequence: { sequencer: ChromiumCheckingSequencer },
  },
});
