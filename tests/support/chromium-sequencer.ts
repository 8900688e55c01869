// The order test files run in (vitest's own), and one check before: when the run holds browser tests and no
// Chromium is found, one line says what to install, the browser tests are left out and the run fails, instead
// of each browser test failing on its own, or a run without them passing for a complete one.
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { chromiumHere, type ChromiumFound } from './chromium.ts';

/** The test files that drive Chromium: tests/browser.test.ts and tests/*.browser.test.ts. */
export const isBrowserTestFile = (path: string) => /[\\/]tests[\\/](?:[^\\/]+\.)?browser\.test\.ts$/.test(path);

/** The files to run, and the line to print when browser tests cannot run. Pure, for its test. */
export function runnableFiles<T extends { moduleId: string }>(files: readonly T[], chromium: () => ChromiumFound): { files: T[]; problem: string | null } {
  const browserFiles = files.filter((file) => isBrowserTestFile(file.moduleId));
  if (browserFiles.length === 0) return { files: [...files], problem: null };
  const here = chromium();
  if (here.found) return { files: [...files], problem: null };
  return {
    files: files.filter((file) => !isBrowserTestFile(file.moduleId)),
    problem: `${here.problem} (${browserFiles.length} browser test ${browserFiles.length === 1 ? 'file' : 'files'} not run.)`,
  };
}

export default class ChromiumCheckingSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { files: runnable, problem } = runnableFiles(files, chromiumHere);
    if (problem !== null) {
      console.error(problem);
      process.exitCode = 1;
    }
    return super.sort(runnable);
  }
}
