// The public page's first question, measured as an outside harness measures it: headless Chromium with the
// CPU throttled 4x and the cache off; one unmeasured warm-up load per page, then each measured load in a new
// browser context; a script installed before the page's own watches (MutationObserver and
// requestAnimationFrame) for the first element matching `input, textarea, select, [role=radio],
// [role=radiogroup]` with a non-empty bounding box, and notes performance.now() (ms since navigation
// start). A control in the DOM that the reader cannot see yet does not count. Median of 7 loads.
// Compared, in the same run, with the same survey in SurveyJS and with a trivial page of two inputs (the
// floor: what the browser alone costs).
//
// Runs within `npm run bench` (step 1) or alone, after `npm run build` unless told to build:
//   node --import tsx bench/page-load.ts [--build] [--runs N]
import { existsSync, mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../tests/support/chromium.ts';
import { buildOurPage, buildSurveyJsPage, projectRoot, surveyJsOutDir } from './build.ts';
import { benchServerEnv, cleanupAll, freePort, onCleanup, removeOnCleanup, runNode, startNode, waitForHttp } from './processes.ts';
import { formatCount, formatKb, formatMs, formatRatio, median, printTable, type Cell } from './report.ts';
import type { SurveyUnderTest } from './responses.ts';
import { serveSurveyJsPage, serveTrivialPage } from './static-server.ts';
import { countInputs, toSurveyJs } from './surveyjs-survey.ts';

export const cpuThrottleRate = 4;
export const viewport = { width: 390, height: 844 };
export const defaultPageRuns = 7;
/** Ours ÷ SurveyJS must stay under this. */
export const firstQuestionTargetRatio = 1 / 5;
/** What counts as a question a person can answer, for every page alike. */
export const controlSelector = 'input, textarea, select, [role=radio], [role=radiogroup]';
const pageTimeoutMs = 30_000;

export interface PageTarget {
  name: string;
  url: string;
  /** Every question's container, to check the page rendered the whole survey; none for the trivial page. */
  questionSelector?: string;
}

export interface PageLoad {
  transferredBytes: number;
  requests: number;
  /** From navigation start until a control first had a non-empty bounding box. */
  firstQuestionMs: number;
  /** The same moment counted from when the page's HTML had arrived: the page's own cost, without the browser's start-up. */
  afterHtmlMs: number;
  /** First contentful paint, from navigation start. */
  firstPaintMs: number;
  questionsShown: number;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
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
 * Runs in the page before its own scripts. Checks on every DOM change and every animation frame whether an
 * element matching the selector has a non-empty bounding box, and notes performance.now() the first time
 * one has. A string, because tsx would rewrite a function.
 */
export function visibleControlWatcher(selector = controlSelector) {
  return `(() => {
    const selector = ${JSON.stringify(selector)};
    const check = () => {
      if (window.__firstQuestionMs !== undefined) return true;
      for (const element of document.querySelectorAll(selector)) {
        const box = element.getBoundingClientRect();
        if (box.width > 0 && box.height > 0) {
          window.__firstQuestionMs = performance.now();
          return true;
        }
      }
      return false;
    };
    const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
    observer.observe(document, { childList: true, subtree: true, attributes: true });
    const frame = () => { if (check()) observer.disconnect(); else requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
  })();`;
}

/** One cold load in a new browser context. */
export async function loadOnce(browser: Browser, target: PageTarget): Promise<PageLoad> {
  const context = await browser.newContext({ viewport, locale: 'en-US', serviceWorkers: 'block' });
  try {
    await context.addInitScript({ content: visibleControlWatcher() });
    const page = await context.newPage();
    page.setDefaultTimeout(pageTimeoutMs);
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
    const timings = (await page.evaluate(`({
      firstQuestion: window.__firstQuestionMs,
      htmlArrived: performance.getEntriesByType('navigation')[0].responseEnd,
      firstPaint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    })`)) as { firstQuestion: number; htmlArrived: number; firstPaint: number };
    const questionsShown = target.questionSelector ? await page.locator(target.questionSelector).count() : 0;
    return {
      transferredBytes,
      requests,
      firstQuestionMs: timings.firstQuestion,
      afterHtmlMs: timings.firstQuestion - timings.htmlArrived,
      firstPaintMs: timings.firstPaint,
      questionsShown,
    };
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
  firstPaintMs: number;
  requests: number;
  questionsShown: number;
}

/** `runs` cold loads of each target, interleaved so drift in the machine hits all alike, after one unmeasured load each. */
export async function measurePages(browser: Browser, targets: PageTarget[], runs: number): Promise<PageFigure[]> {
  for (const target of targets) await loadOnce(browser, target);
  const loads = targets.map(() => [] as PageLoad[]);
  for (let run = 0; run < runs; run++) {
    for (const [index, target] of targets.entries()) loads[index]!.push(await loadOnce(browser, target));
  }
  const medianOf = (index: number, figure: (load: PageLoad) => number) => median(loads[index]!.map(figure));
  return targets.map((target, index) => ({
    target,
    loads: loads[index]!,
    transferredBytes: medianOf(index, (load) => load.transferredBytes),
    firstQuestionMs: medianOf(index, (load) => load.firstQuestionMs),
    afterHtmlMs: medianOf(index, (load) => load.afterHtmlMs),
    firstPaintMs: medianOf(index, (load) => load.firstPaintMs),
    requests: medianOf(index, (load) => load.requests),
    questionsShown: medianOf(index, (load) => load.questionsShown),
  }));
}

/** The three pages of the figure: ours, SurveyJS, the trivial floor. */
export interface PublicPageFigures {
  runs: number;
  ours: PageFigure;
  surveyJs: PageFigure;
  trivial: PageFigure;
  /** Questions each survey page should show. */
  expectedQuestions: { ours: number; surveyJs: number };
}

/** Serves the SurveyJS and trivial pages beside our server at `baseUrl`, loads all three and closes what it opened. */
export async function measurePublicPages(baseUrl: string, survey: SurveyUnderTest, runs = defaultPageRuns): Promise<PublicPageFigures> {
  const peerSite = await serveSurveyJsPage(surveyJsOutDir, toSurveyJs(survey.definition), survey.definition.title.en);
  onCleanup(peerSite.close);
  const trivialSite = await serveTrivialPage();
  onCleanup(trivialSite.close);
  const browser = await launchBrowser();
  onCleanup(() => browser.close());
  try {
    const [ours, surveyJs, trivial] = (await measurePages(
      browser,
      [
        { name: 'ours (/s/demo)', url: `${baseUrl}/s/demo`, questionSelector: '[data-question]' },
        { name: 'SurveyJS 2.5 (survey-js-ui)', url: peerSite.url, questionSelector: '.sd-question' },
        { name: 'trivial page (two inputs)', url: trivialSite.url },
      ],
      runs,
    )) as [PageFigure, PageFigure, PageFigure];
    return {
      runs,
      ours,
      surveyJs,
      trivial,
      expectedQuestions: { ours: survey.definition.questions.length, surveyJs: countInputs(survey.definition) },
    };
  } finally {
    await browser.close();
    await peerSite.close();
    await trivialSite.close();
  }
}

export const firstQuestionRatio = (figures: PublicPageFigures) => figures.ours.firstQuestionMs / figures.surveyJs.firstQuestionMs;

const range = (figure: PageFigure) =>
  `${formatMs(Math.min(...figure.loads.map((load) => load.firstQuestionMs)))} – ${formatMs(Math.max(...figure.loads.map((load) => load.firstQuestionMs)))}`;

export function pageTable(figures: PublicPageFigures) {
  const { ours, surveyJs, trivial } = figures;
  const row = (figure: PageFigure, expected?: number): Record<string, Cell> => ({
    page: figure.target.name,
    'transferred (median)': formatKb(figure.transferredBytes),
    requests: formatCount(figure.requests),
    'first question visible (median)': formatMs(figure.firstQuestionMs),
    'fastest – slowest': range(figure),
    'from HTML arrival (median)': formatMs(figure.afterHtmlMs),
    'first paint (median)': formatMs(figure.firstPaintMs),
    'questions shown': expected === undefined ? '-' : `${figure.questionsShown} of ${expected}`,
  });
  const ratio = (page: string, of: PageFigure) => ({
    page,
    'transferred (median)': formatRatio(of.transferredBytes / surveyJs.transferredBytes),
    requests: '',
    'first question visible (median)': formatRatio(of.firstQuestionMs / surveyJs.firstQuestionMs),
    'fastest – slowest': '',
    'from HTML arrival (median)': formatRatio(of.afterHtmlMs / surveyJs.afterHtmlMs),
    'first paint (median)': formatRatio(of.firstPaintMs / surveyJs.firstPaintMs),
    'questions shown': '',
  });
  printTable(
    `1. Public page: first control with a non-empty box (${controlSelector}), cold load at ${viewport.width}x${viewport.height}, ` +
      `CPU throttled ${cpuThrottleRate}x, cache off, a new context per load after one warm-up (median of ${figures.runs} each)`,
    [
      row(ours, figures.expectedQuestions.ours),
      row(surveyJs, figures.expectedQuestions.surveyJs),
      row(trivial),
      ratio('ours ÷ SurveyJS', ours),
      ratio('trivial ÷ SurveyJS (the floor)', trivial),
    ],
  );
  const measured = firstQuestionRatio(figures);
  console.log(
    `  first question visible, ours ÷ SurveyJS: ${formatRatio(measured)} (target < ${formatRatio(firstQuestionTargetRatio)}: ${measured < firstQuestionTargetRatio ? 'PASS' : 'MISS'})`,
  );
}

/** The survey JSON the server embeds in /s/demo, as the public page reads it. */
export async function readPublicSurvey(pageUrl: string): Promise<SurveyUnderTest> {
  const response = await fetch(pageUrl, { signal: AbortSignal.timeout(10_000) });
  const html = await response.text();
  const embedded = html.match(/<script id="survey-data" type="application\/json">([\s\S]*?)<\/script>/)?.[1];
  if (response.status !== 200 || !embedded) throw new Error(`${pageUrl} answered ${response.status} without the survey data`);
  const data = JSON.parse(embedded) as { state: string } & Partial<SurveyUnderTest>;
  if (data.state !== 'open' || !data.versionId || !data.definition) throw new Error(`${pageUrl} shows no open survey (state ${data.state})`);
  return { versionId: data.versionId, definition: data.definition };
}

/** Alone: a server on a temporary database with /s/demo, the three pages measured, the table printed. */
async function main() {
  const args = process.argv.slice(2);
  const runsArg = args.indexOf('--runs');
  const runs = runsArg >= 0 ? Number(args[runsArg + 1]) : defaultPageRuns;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a whole number of loads, e.g. --runs 7');
  console.log(`Page loads on ${cpus().length} cores, Node ${process.version}, load average ${loadavg()[0]!.toFixed(2)}`);
  if (args.includes('--build') || !existsSync(join(projectRoot, 'dist/web/respond.html'))) {
    console.log('building ours (npm run build)');
    buildOurPage();
  }
  if (args.includes('--build') || !existsSync(join(surveyJsOutDir, 'index.html'))) {
    console.log('building the SurveyJS page (bench/surveyjs)');
    await buildSurveyJsPage();
  }
  const workDir = mkdtempSync(join(tmpdir(), 'satisfaction-page-load-'));
  removeOnCleanup(workDir);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = benchServerEnv({ port, databaseUrl: `file:${join(workDir, 'page-load.db')}` });
  const server = startNode('server/main.ts', { env, logPath: join(workDir, 'server.log'), cwd: projectRoot });
  await waitForHttp(`${baseUrl}/health`, server, 30_000);
  await runNode('server/cli/demo.ts', { args: ['--responses', '0'], env, logPath: join(workDir, 'demo.log'), cwd: projectRoot, timeoutMs: 60_000 });
  const survey = await readPublicSurvey(`${baseUrl}/s/demo`);
  pageTable(await measurePublicPages(baseUrl, survey, runs));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let finishing = false;
  const finish = async (code: number) => {
    if (finishing) return;
    finishing = true;
    await cleanupAll();
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void finish(130));
  main().then(
    () => finish(0),
    (error: unknown) => {
      if (!finishing) console.error(`page-load failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      void finish(1);
    },
  );
}
