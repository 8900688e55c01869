// Loads a survey page in headless Chromium as a slow phone would (390x844, CPU throttled 4x, no cache)
// and measures what it transferred and when its first question could be answered.
import { chromium, type Browser } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../tests/support/chromium.ts';
import { median } from './report.ts';

const cpuThrottleRate = 4;
const pageTimeoutMs = 30_000;

export interface PageTarget {
  name: string;
  url: string;
  /** The first answerable control of the first question; it counts once present and not disabled. */
  firstInputSelector: string;
  /** Every question's container, to check the page rendered the whole survey. */
  questionSelector: string;
}

export interface PageLoad {
  transferredBytes: number;
  requests: number;
  firstQuestionMs: number;
  /** The same moment counted from when the page's HTML had arrived: the page's own cost, without the browser's start-up. */
  afterHtmlMs: number;
  questionsShown: number;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    // The bench closes the browser in its own clean-up; Playwright's handlers would exit the process first.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: [
      ...chromiumArgs,
      // Nothing but loopback: any other host fails to resolve instead of leaving the machine.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
}

/**
 * Runs in the page before its own scripts: notes performance.now() (ms since navigation start) when the
 * selector first matches a control that is not disabled. A string, because tsx would rewrite a function.
 */
function firstInputWatcher(selector: string) {
  return `(() => {
    const selector = ${JSON.stringify(selector)};
    const usable = (el) => !el.disabled && el.getAttribute('aria-disabled') !== 'true';
    const check = () => {
      if (window.__firstQuestionMs !== undefined) return true;
      const first = document.querySelector(selector);
      if (first && usable(first)) {
        window.__firstQuestionMs = performance.now();
        return true;
      }
      return false;
    };
    const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
    observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled', 'aria-disabled'] });
  })();`;
}

/** One cold load in a fresh browser context. */
export async function loadOnce(browser: Browser, target: PageTarget): Promise<PageLoad> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US', serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(pageTimeoutMs);
    await page.addInitScript({ content: firstInputWatcher(target.firstInputSelector) });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuThrottleRate });
    let transferredBytes = 0;
    let requests = 0;
    cdp.on('Network.loadingFinished', (event) => {
      transferredBytes += event.encodedDataLength;
      requests++;
    });
    await page.goto(target.url, { waitUntil: 'load', timeout: pageTimeoutMs });
    await page.waitForFunction('window.__firstQuestionMs !== undefined', undefined, { timeout: pageTimeoutMs });
    // Late requests (lazy chunks, fonts) still count toward what the page costs to open.
    await page.waitForLoadState('networkidle', { timeout: pageTimeoutMs }).catch(() => undefined);
    const firstQuestionMs = Number(await page.evaluate('window.__firstQuestionMs'));
    const htmlArrivedMs = Number(await page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd"));
    const questionsShown = await page.locator(target.questionSelector).count();
    return { transferredBytes, requests, firstQuestionMs, afterHtmlMs: firstQuestionMs - htmlArrivedMs, questionsShown };
  } finally {
    await context.close();
  }
}

export interface PageFigure {
  target: PageTarget;
  loads: PageLoad[];
  /** Medians over the loads. */
  transferredBytes: number;
  firstQuestionMs: number;
  afterHtmlMs: number;
  requests: number;
  questionsShown: number;
}

/** `runs` cold loads of each target, interleaved so drift in the machine hits both alike, after one unmeasured load each. */
export async function measurePages(browser: Browser, targets: PageTarget[], runs: number): Promise<PageFigure[]> {
  for (const target of targets) await loadOnce(browser, target);
  const loads = targets.map(() => [] as PageLoad[]);
  for (let run = 0; run < runs; run++) {
    for (const [index, target] of targets.entries()) loads[index]!.push(await loadOnce(browser, target));
  }
  return targets.map((target, index) => ({
    target,
    loads: loads[index]!,
    transferredBytes: median(loads[index]!.map((load) => load.transferredBytes)),
    firstQuestionMs: median(loads[index]!.map((load) => load.firstQuestionMs)),
    afterHtmlMs: median(loads[index]!.map((load) => load.afterHtmlMs)),
    requests: median(loads[index]!.map((load) => load.requests)),
    questionsShown: median(loads[index]!.map((load) => load.questionsShown)),
  }));
}
