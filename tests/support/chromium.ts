// Which Chromium tests and benchmarks drive, and how: headless, as root, and with no background traffic (a
// closed network makes Chromium's own calls home only fail and add noise). The browser is found without
// being told where, on any developer's machine: CHROMIUM_PATH when set; else Playwright's own Chromium, where
// `npx playwright-core install chromium` puts it for the playwright-core in node_modules; else Debian's.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const debianChromium = '/usr/bin/chromium';

/** What to do when no Chromium is found, in one line. */
export const installChromium =
  'No Chromium for the browser tests: install one with `npx playwright-core install chromium` (Playwright\'s own) or `apt-get install chromium fonts-noto-cjk` (Debian\'s), or set CHROMIUM_PATH to one.';

export type ChromiumFound =
  | { found: true; path: string; from: 'CHROMIUM_PATH' | 'playwright' | 'debian' }
  | { found: false; problem: string };

/**
 * The Chromium to drive, from the environment, where playwright-core installs its own (null when it names no
 * place for this platform) and a probe of whether a file exists. A CHROMIUM_PATH naming no file is a mistake
 * to correct, not a reason to take another browser.
 */
export function findChromium(
  env: { readonly CHROMIUM_PATH?: string | undefined },
  playwrightChromium: string | null,
  exists: (path: string) => boolean,
): ChromiumFound {
  const named = env.CHROMIUM_PATH?.trim();
  if (named) {
    return exists(named)
      ? { found: true, path: named, from: 'CHROMIUM_PATH' }
      : { found: false, problem: `CHROMIUM_PATH is ${named}, and no file is there: set it to a Chromium, or unset it to use Playwright's or Debian's.` };
  }
  if (playwrightChromium !== null && exists(playwrightChromium)) return { found: true, path: playwrightChromium, from: 'playwright' };
  if (exists(debianChromium)) return { found: true, path: debianChromium, from: 'debian' };
  return { found: false, problem: installChromium };
}

/** Where playwright-core puts its own Chromium on this machine (PLAYWRIGHT_BROWSERS_PATH included), or null. */
function playwrightChromium(): string | null {
  try {
    return chromium.executablePath() || null;
  } catch {
    return null;
  }
}

/** This machine's Chromium, as findChromium finds it. */
export function chromiumHere(): ChromiumFound {
  return findChromium(process.env, playwrightChromium(), existsSync);
}

/** The path of this machine's Chromium; throws the one line saying what to install when there is none. */
export function chromiumPath(): string {
  const here = chromiumHere();
  if (!here.found) throw new Error(here.problem);
  return here.path;
}

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
