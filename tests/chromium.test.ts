// How tests find the Chromium they drive, and what a run holding browser tests does without one.
import { describe, expect, it } from 'vitest';
import { debianChromium, findChromium, installChromium } from './support/chromium.ts';
import { isBrowserTestFile, runnableFiles } from './support/chromium-sequencer.ts';

const playwrights = '/home/dev/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome';
const only = (...paths: string[]) => (path: string) => paths.includes(path);

describe('finding Chromium', () => {
  it('takes CHROMIUM_PATH first, when a file is there', () => {
    expect(findChromium({ CHROMIUM_PATH: '/opt/chromium/chrome' }, playwrights, only('/opt/chromium/chrome', playwrights, debianChromium))).toEqual({
      found: true,
      path: '/opt/chromium/chrome',
      from: 'CHROMIUM_PATH',
    });
  });

  it('says a CHROMIUM_PATH naming no file is wrong, rather than taking another browser', () => {
    const found = findChromium({ CHROMIUM_PATH: '/opt/missing' }, playwrights, only(playwrights, debianChromium));
    expect(found).toEqual({ found: false, problem: expect.stringContaining('CHROMIUM_PATH is /opt/missing, and no file is there') });
  });

  it("takes Playwright's own Chromium before Debian's, and a blank CHROMIUM_PATH counts as unset", () => {
    expect(findChromium({ CHROMIUM_PATH: ' ' }, playwrights, only(playwrights, debianChromium))).toEqual({ found: true, path: playwrights, from: 'playwright' });
  });

  it("takes Debian's when Playwright's is not installed, or playwright-core names none here", () => {
    expect(findChromium({}, playwrights, only(debianChromium))).toEqual({ found: true, path: debianChromium, from: 'debian' });
    expect(findChromium({}, null, only(debianChromium))).toEqual({ found: true, path: debianChromium, from: 'debian' });
  });

  it('says in one line how to install one either way when there is none', () => {
    const found = findChromium({}, playwrights, only());
    expect(found).toEqual({ found: false, problem: installChromium });
    expect(installChromium).not.toContain('\n');
    expect(installChromium).toContain('npx playwright-core install chromium');
    expect(installChromium).toContain('apt-get install chromium');
  });
});

describe('a run holding browser tests', () => {
  const files = ['/repo/tests/browser.test.ts', '/repo/tests/kiosk.browser.test.ts', '/repo/tests/kiosk.test.ts', '/repo/server/http.test.ts'].map((moduleId) => ({ moduleId }));
  const none = () => findChromium({}, null, only());

  it('knows the browser test files by name', () => {
    expect(files.map((file) => isBrowserTestFile(file.moduleId))).toEqual([true, true, false, false]);
  });

  it('runs everything when Chromium is found, without looking when no browser test is in the run', () => {
    expect(runnableFiles(files, () => findChromium({}, null, only(debianChromium)))).toEqual({ files, problem: null });
    const notAsked = () => {
      throw new Error('looked for Chromium');
    };
    expect(runnableFiles(files.slice(2), notAsked)).toEqual({ files: files.slice(2), problem: null });
  });

  it('leaves the browser tests out with one line saying what to install when none is found', () => {
    const { files: runnable, problem } = runnableFiles(files, none);
    expect(runnable.map((file) => file.moduleId)).toEqual(['/repo/tests/kiosk.test.ts', '/repo/server/http.test.ts']);
    expect(problem).toBe(`${installChromium} (2 browser test files not run.)`);
    expect(problem).not.toContain('\n');
  });
});
