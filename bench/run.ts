// `npm run bench`: builds both public pages, starts the server on a temporary database, creates /s/demo,
// then measures (1) the public page against SurveyJS, (2) public submissions against raw libSQL inserts (and
// with three loop-closing rules on the survey against none) and
// (3) a CSV import of 100,000 customers on a fresh server of its own, (4) PLS in process and (4b) the whole
// `npm run csi` command against a numpy reference and `npm start` restarts, and (5) email invitations sent by two
// server processes to a loopback SMTP server (INVITATIONS_COUNT customers, 10,000 unless set), and (6) the
// dashboard on INSIGHTS_RESPONSES responses (1,000,000 unless set) while responses arrive, (6d) purchase ingestion through the API into 1,000,000 customers, (6e) the loyalty figures on
// 1,000,000 customers while purchases arrive, (6f) a backup of the dashboard's database while answers arrive, and (8) one complaint
// deadline sweep over 1,000,000 cases, and (9) loyalty on 1,000,000 customers and 10,000,000 purchases: the whole
// recompute command and an update after a purchase, and (10) a customer's export and 10,000 customers erased.
// Prints tables, writes .bench/results.json, and always removes what it started.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { buildOurPage, buildSurveyJsPage, projectRoot } from './build.ts';
import { csvImportTable, defaultImportRows, importIsExact, measureCsvImport, type ImportRun } from './csv-import.ts';
import { measureInsertLimit, type InsertRate } from './insert-limit.ts';
import {
  controlSelector,
  cpuThrottleRate,
  firstQuestionRatio,
  measurePublicPages,
  pageTable,
  readPublicSurvey,
  viewport,
} from './page-load.ts';
import { invitationsAreExact, invitationsTable, measureInvitations } from './invitations.ts';
import { mailKillLosesNothing, mailKillTable, measureMailKill } from './mail-kill.ts';
import { insightsTable, insightsTargetP95Ms, measureInsights } from './insights.ts';
import { explorerPasses, explorerTable, explorerTargetP95Ms, measureExplorer } from './explorer.ts';
import { complaintsPass, complaintsTable, complaintsTargetP95Ms, measureComplaints } from './complaints.ts';
import { loyaltyDashboardPass, loyaltyDashboardTable, loyaltyDashboardTargetP95Ms, measureLoyaltyDashboard } from './loyalty-dashboard.ts';
import { incrementalLimitMs, loyaltyTable, measureLoyalty, recomputeLimitMs } from './loyalty.ts';
import { complaintsSweepMedianMs, complaintsSweepPasses, complaintsSweepTable, measureComplaintsSweep, sweepLimitMs } from './complaints-sweep.ts';
import { measurePls } from './pls.ts';
import { dataRightsPass, dataRightsTable, erasureLimitMs, exportLimitMs, measureDataRights } from './data-rights.ts';
import { bytesPerPurchase, defaultBenchCustomers, defaultBenchPurchases, measurePurchases, purchasesPass, purchasesTable, purchasesTargetPerSecond } from './purchases.ts';
import { measureSignIn, signInIsEven, signInRatioLimits, signInTable } from './sign-in.ts';
import { backupPasses, backupTable, backupTargetP99Ms, measureBackup } from './backup.ts';
import { csiCommandPasses, csiCommandTable, csiCommandTargetRatio, measureCsiCommand, restartTargetMs } from './csi-command.ts';
import { benchServerEnv, cleanupAll, freePort, onCleanup, removeOnCleanup, runNode, startNode, waitForHttp } from './processes.ts';
import {
  formatCount,
  formatKb,
  formatMb,
  formatMs,
  formatRate,
  formatRatio,
  markdownTable,
  median,
  printedTablesMarkdown,
  printTable,
  replaceGeneratedBlock,
  type Cell,
} from './report.ts';
import { checkIdempotentSubmission, runSubmissionLoad, waitForCatchUp, type SubmissionRun } from './submissions.ts';
import { loopRuleIntakePasses, loopRuleIntakeTable, loopRuleRatioLimit, measureLoopRuleIntake } from './loop-rules.ts';

const pageRuns = 7;
const loadConnections = 64;
const warmUpS = 3;
/** The measured run sends what the warm-up rate would send in this time, so no request is cut off mid-flight. */
const measuredTargetS = 12;
const measuredCapS = 30;
const measuredMinRequests = 2_000;
const measuredMaxRequests = 400_000;
const insertTimePerModeMs = 3_000;
/** The full 100,000 takes about half an hour at today's sending rate (bench/README.md); run it alone or set this. */
const invitationsInRun = Number(process.env.INVITATIONS_COUNT ?? 10_000);
/** Responses in the dashboard's database; the first run generates them (minutes), later runs reuse the file. */
const insightsInRun = Number(process.env.INSIGHTS_RESPONSES ?? 1_000_000);
/** Complaint cases in the queue bench's database; the first run makes them by INSERT … SELECT (a minute or two), later runs reuse the file. */
const complaintCasesInRun = Number(process.env.COMPLAINT_CASES ?? 1_000_000);
// Loyalty (step 9) adds a few minutes: its first run makes the big database, every run recomputes a million customers.
const wholeBenchLimitMs = 45 * 60_000 + (invitationsInRun / 50) * 1000;

const targets = {
  pageBytes: 30_000,
  firstQuestionRatio: 1 / 5,
  submissionsPerSecond: 2_000,
  p99Ms: 50,
  plsMs: 1_000,
};

const resultsPath = join(projectRoot, '.bench/results.json');
/** The figures as Markdown, committed, so every figure the README shows can be traced to a run. */
const resultsMarkdownPath = join(projectRoot, 'bench/results.md');
const readmePath = join(projectRoot, 'README.md');

function step(text: string) {
  console.log(`\n▸ ${text}`);
}

async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`  ${what}: ${formatMs(performance.now() - started)}`);
  return result;
}

function submissionTable(runs: { label: string; run: SubmissionRun }[], limit: InsertRate[]) {
  printTable(
    `2a. POST /api/public/responses, ${loadConnections} keep-alive connections (autocannon in its own process; CPU as % of one core)`,
    runs.map(({ label, run }) => ({
      run: label,
      requests: formatCount(run.sent),
      '201 stored': formatCount(run.statusCounts['201'] ?? 0),
      'non-2xx': formatCount(run.non2xx),
      'errors/timeouts': `${run.errors}/${run.timeouts}`,
      'rows in DB': formatCount(run.storedRows),
      time: formatMs(run.activeMs),
      rate: formatRate(run.answeredPerSecond),
      p50: formatMs(run.latencyMs.p50),
      p90: formatMs(run.latencyMs.p90),
      p99: formatMs(run.latencyMs.p99),
      max: formatMs(run.latencyMs.max),
      'server CPU': run.serverCpuMs === undefined ? '?' : `${((run.serverCpuMs / run.activeMs) * 100).toFixed(0)}%`,
      'generator CPU': `${((run.generatorCpuMs / run.activeMs) * 100).toFixed(0)}%`,
    })),
  );
  const measured = runs.at(-1)!.run;
  printTable(
    '2b. The limit: the same rows inserted straight into libSQL (fresh migrated file, WAL, no HTTP)',
    [
      ...limit.map((rate) => ({
        writer: rate.mode,
        rows: formatCount(rate.rows),
        time: formatMs(rate.elapsedMs),
        rate: formatRate(rate.rowsPerSecond),
        'HTTP API as share of it': `${((measured.answeredPerSecond / rate.rowsPerSecond) * 100).toFixed(0)}%`,
      })),
      {
        writer: 'HTTP API (group commit), measured run',
        rows: formatCount(measured.statusCounts['201'] ?? 0),
        time: formatMs(measured.activeMs),
        rate: formatRate(measured.answeredPerSecond),
        'HTTP API as share of it': '',
      },
    ],
  );
}

interface SummaryRow {
  figure: string;
  value: string;
  target: string;
  /** null: a figure reported without a target. */
  pass: boolean | null;
}

async function main() {
  const startedAt = new Date();
  const workDir = mkdtempSync(join(tmpdir(), 'satisfaction-bench-'));
  removeOnCleanup(workDir);
  mkdirSync(join(projectRoot, '.bench'), { recursive: true });
  const loadAtStart = loadavg()[0]!;
  console.log(`Bench on ${cpus().length} cores, Node ${process.version}, load average ${loadAtStart.toFixed(2)}; temporary files in ${workDir}`);
  if (loadAtStart > cpus().length / 2) {
    console.log('  note: other work is running on this machine; the figures will be lower and noisier than on an idle one');
  }

  step('Building the public pages');
  await timed('ours (npm run build)', async () => buildOurPage());
  await timed('SurveyJS peer (bench/surveyjs, vite build)', buildSurveyJsPage);

  step('Starting the server on a temporary database');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const databaseUrl = `file:${join(workDir, 'bench.db')}`;
  const serverEnv = benchServerEnv({ port, databaseUrl });
  const server = startNode('server/main.ts', { env: serverEnv, logPath: join(workDir, 'server.log'), cwd: projectRoot });
  await timed(`listening on ${baseUrl}`, () => waitForHttp(`${baseUrl}/health`, server, 30_000));
  await timed('npm run demo (server/cli/demo.ts)', () =>
    runNode('server/cli/demo.ts', { args: ['--responses', '300'], env: serverEnv, logPath: join(workDir, 'demo.log'), cwd: projectRoot, timeoutMs: 60_000 }),
  );
  const survey = await readPublicSurvey(`${baseUrl}/s/demo`);

  step('1. Public page vs SurveyJS and a trivial page (headless Chromium)');
  const pages = await timed('page loads', () => measurePublicPages(baseUrl, survey, pageRuns));
  pageTable(pages);

  step(`2. Submissions through the HTTP API (${loadConnections} connections)`);
  await checkIdempotentSubmission(baseUrl, survey);
  console.log('  a valid response is stored (201) and its repeat recognised as a duplicate (200)');
  const common = { baseUrl, databaseUrl, survey, connections: loadConnections, workDir, cwd: projectRoot, serverPid: server.process.pid };
  const warmUp = await timed(`warm-up (${warmUpS} s)`, () =>
    runSubmissionLoad({ ...common, label: 'warm-up', stopAfter: { durationS: warmUpS } }),
  );
  const amount = Math.round(Math.min(measuredMaxRequests, Math.max(measuredMinRequests, warmUp.answeredPerSecond * measuredTargetS)));
  const measured = await timed(`measured run (${formatCount(amount)} requests)`, () =>
    runSubmissionLoad({ ...common, label: 'measured', stopAfter: { amount, capS: measuredCapS } }),
  );
  const aggregates = await waitForCatchUp(databaseUrl);
  console.log(`  the dashboard's aggregates: ${formatCount(aggregates.pendingAtEnd)} responses to fold at the end, ${aggregates.catchUpMs === null ? 'not caught up within 3 minutes' : `caught up ${formatMs(aggregates.catchUpMs)} later`}`);
  step('2c. Intake with three loop-closing rules against none (same server, alternating rounds)');
  const loopRules = await timed('rounds', () => measureLoopRuleIntake({ ...common, warmRate: warmUp.answeredPerSecond }));
  await server.stop();

  step('The limit: direct libSQL inserts');
  const limit = await timed('inserts', () => measureInsertLimit({ workDir, timePerModeMs: insertTimePerModeMs }));
  submissionTable(
    [
      { label: `warm-up (${warmUpS} s, cut off at the end)`, run: warmUp },
      { label: 'measured (fixed count)', run: measured },
    ],
    limit,
  );
  loopRuleIntakeTable(loopRules);

  step(`3. CSV import of ${formatCount(defaultImportRows)} customers (a fresh server of its own)`);
  const csvImport = await timed('import, then the same file again', () => measureCsvImport({ workDir }));
  csvImportTable(csvImport);

  step('4. PLS path modelling, ECSI model on 100,000 generated respondents (in process)');
  const pls = await timed('estimates', async () => measurePls());
  printTable(`4. PLS path modelling: ${formatCount(pls.respondents)} respondents × ${pls.items} items, path scheme, warm runs`, [
    {
      runs: pls.runsMs.map((ms) => formatMs(ms)).join(', '),
      median: formatMs(pls.medianMs),
      iterations: pls.iterations,
      'Satisfaction index': pls.satisfactionIndex.toFixed(2),
    },
  ]);

  step('4b. Whole commands: npm run csi on 100,000 × 24 items against numpy, npm start with nothing changed and after a first build');
  const commands = await timed('commands', () => measureCsiCommand(workDir));
  csiCommandTable(commands);

  step(`5. Email invitations to ${formatCount(invitationsInRun)} customers, two server processes (loopback SMTP)`);
  const invitations = await timed('launch to last message', () => measureInvitations({ workDir, count: invitationsInRun }));
  invitationsTable(invitations);
  step('5c. Mail when a sending process is killed mid-send (two server processes, loopback SMTP)');
  const mailKill = await timed('kill and recovery', () => measureMailKill({ workDir }));
  mailKillTable(mailKill);

  step(`6. The dashboard on ${formatCount(insightsInRun)} responses while responses arrive (demo database kept in .bench/)`);
  const insights = await timed('generate, fold in and measure', () => measureInsights(insightsInRun));
  insightsTable(insights);
  step(`6b. The responses explorer on the same ${formatCount(insightsInRun)} responses while responses arrive`);
  const explorer = await timed('measure', () => measureExplorer(insightsInRun));
  explorerTable(explorer);

  step(`6c. Complaint queues and the case page on ${formatCount(complaintCasesInRun)} cases while complaints arrive (database kept in .bench/)`);
  const complaints = await timed('generate and measure', () => measureComplaints(complaintCasesInRun));
  complaintsTable(complaints);

  step(`6d. Purchase ingestion through the API in batches of 1,000 into ${formatCount(defaultBenchCustomers)} customers and ${formatCount(defaultBenchPurchases)} purchases (database kept in .bench/)`);
  const purchaseIngestion = await timed('generate and ingest', () => measurePurchases());
  purchasesTable(purchaseIngestion);

  step('6e. The loyalty figures on 1,000,000 customers and 10,000,000 purchases while purchases arrive (database kept in .bench/)');
  const loyaltyDashboard = await timed('place and measure', () => measureLoyaltyDashboard(1_000_000));
  loyaltyDashboardTable(loyaltyDashboard);

  step(`6f. Backups of the dashboard's ${formatCount(insightsInRun)}-response database while answers arrive: npm run backup, and the scheduled backup in the server`);
  const backups = await timed('back up and measure', () => measureBackup(workDir, insightsInRun));
  backupTable(backups);

  step('7. Sign-in time, known against unknown email (in process)');
  const signInTiming = await timed('sign-ins', () => measureSignIn(15));
  signInTable(signInTiming);

  step('8. One complaint deadline sweep on 1,000,000 cases, 100,000 open (in process)');
  const sweep = await timed('generate and sweep', () => measureComplaintsSweep({ workDir }));
  complaintsSweepTable(sweep);

  step('9. Loyalty on 1,000,000 customers and 10,000,000 purchases: the recompute command, an update after a purchase (database kept in .bench/)');
  const loyalty = await timed('generate and measure', () => measureLoyalty());
  loyaltyTable(loyalty);

  step('10. A customer’s data rights on the 1,000,000-response demo: one customer’s export, 10,000 customers erased in one request (a server process)');
  const dataRights = await timed('generate and measure', () => measureDataRights({ workDir }));
  dataRightsTable(dataRights);

  const { ours, surveyJs: peer } = pages;
  const [firstImport, reImport] = csvImport.runs as [ImportRun, ImportRun];
  const stored201 = measured.statusCounts['201'] ?? 0;
  const summary: SummaryRow[] = [
    {
      figure: 'Public page transferred (ours)',
      value: `${formatKb(ours.transferredBytes)} (SurveyJS ${formatKb(peer.transferredBytes)})`,
      target: `< ${formatKb(targets.pageBytes)}`,
      pass: ours.transferredBytes < targets.pageBytes,
    },
    {
      figure: 'First question visible, ours ÷ SurveyJS',
      value: `${formatRatio(firstQuestionRatio(pages))} (${formatMs(ours.firstQuestionMs)} vs ${formatMs(peer.firstQuestionMs)}; trivial page ${formatMs(pages.trivial.firstQuestionMs)})`,
      target: `< ${formatRatio(targets.firstQuestionRatio)}`,
      pass: ours.firstQuestionMs < peer.firstQuestionMs * targets.firstQuestionRatio,
    },
    {
      figure: 'Submissions per second (HTTP API)',
      value: `${formatRate(measured.answeredPerSecond)} (libSQL limit ${limit.map((rate) => formatRate(rate.rowsPerSecond)).join(' / ')})`,
      target: `≥ ${formatRate(targets.submissionsPerSecond)}`,
      pass: measured.answeredPerSecond >= targets.submissionsPerSecond,
    },
    {
      figure: 'Submission p99 latency over the measured run',
      value: `${formatMs(measured.latencyMs.p99)} (p50 ${formatMs(measured.latencyMs.p50)}, max ${formatMs(measured.latencyMs.max)}; aggregates ${formatCount(aggregates.pendingAtEnd)} behind at the end)`,
      target: `< ${formatMs(targets.p99Ms)}`,
      pass: measured.latencyMs.p99 < targets.p99Ms,
    },
    {
      figure: 'Every request answered 201 and stored once',
      value: `${formatCount(measured.sent)} sent, ${formatCount(stored201)} × 201, ${formatCount(measured.storedRows)} rows`,
      target: 'sent = 201s = rows',
      pass: measured.non2xx === 0 && measured.errors === 0 && stored201 === measured.sent && measured.storedRows === stored201,
    },
    {
      figure: 'Submissions with three loop-closing rules ÷ without (same run)',
      value: `${formatRatio(loopRules.ratio)} (${formatRate(loopRules.withRulesPerSecond)} vs ${formatRate(loopRules.withoutPerSecond)}; ${formatCount(loopRules.catches)} caught)`,
      target: `≥ ${formatRatio(loopRuleRatioLimit)}`,
      pass: loopRuleIntakePasses(loopRules),
    },
    {
      figure: `PLS path model, ${formatCount(pls.respondents)} × ${pls.items} items`,
      value: `${formatMs(pls.medianMs)} median of ${pls.runsMs.length}`,
      target: `< ${formatMs(targets.plsMs)}`,
      pass: pls.medianMs < targets.plsMs,
    },
    {
      figure: `npm run -s csi on ${formatCount(commands.respondents)} × ${commands.items} items, ÷ numpy reference`,
      value:
        'missing' in commands.numpy
          ? `${formatMs(commands.ours.medianMs)} (numpy not run: ${commands.numpy.missing})`
          : `${formatRatio(commands.ours.medianMs / commands.numpy.medianMs)} (${formatMs(commands.ours.medianMs)} vs ${formatMs(commands.numpy.medianMs)})`,
      target: `< ${formatRatio(csiCommandTargetRatio)}`,
      pass: csiCommandPasses(commands).csi,
    },
    {
      figure: 'npm start, nothing changed, to /health 200 (first build)',
      value: `${formatMs(commands.start.restartMedianMs)} (${formatMs(commands.start.firstBuildMs)})`,
      target: `< ${formatMs(restartTargetMs)}`,
      pass: csiCommandPasses(commands).restart,
    },
    {
      figure: `CSV import of ${formatCount(csvImport.rows)} customers, first / same file again`,
      value: `${formatMs(firstImport.elapsedMs)} (${formatRate(firstImport.rowsPerSecond)}) / ${formatMs(reImport.elapsedMs)} (${formatRate(reImport.rowsPerSecond)})`,
      target: 'none set',
      pass: null,
    },
    {
      figure: 'CSV import, server peak memory (VmHWM)',
      value: `${formatMb(reImport.peakRssKb)} (${formatMb(firstImport.rssBeforeKb)} before; file ${formatMb(csvImport.fileBytes / 1024)})`,
      target: 'none set',
      pass: null,
    },
    {
      figure: 'CSV import: every row taken or rejected, re-import adds none',
      value: `${formatCount(firstImport.rows.created)} added + ${formatCount(firstImport.rows.rejected)} rejected; again ${formatCount(reImport.rows.created)} added, ${formatCount(reImport.rows.updated)} updated; ${formatCount(csvImport.customersAfter)} customers`,
      target: 'added + rejected = rows; again adds 0',
      pass: importIsExact(csvImport),
    },
    {
      figure: `Email invitations to ${formatCount(invitations.customers)} customers, 2 server processes`,
      value: `${formatMs(invitations.totalMs)}, ${formatRate(invitations.perSecond)} (one transport alone ${formatRate(invitations.limit.perSecond)})`,
      target: 'none set',
      pass: null,
    },
    {
      figure: 'Invitations: each customer one message, no duplicate',
      value: `${formatCount(invitations.distinctReceived)} distinct of ${formatCount(invitations.received)} received, ${formatCount(invitations.duplicates)} duplicates`,
      target: 'received = customers, 0 duplicates',
      pass: invitationsAreExact(invitations),
    },
    {
      figure: 'Mail, a sending process killed mid-send: sent twice (same Message-ID) / lost',
      value: mailKill.map((round) => `${formatCount(round.duplicatedMessages)} / ${formatCount(round.lost)} of ${formatCount(round.messages)}`).join('; '),
      target: '0 lost; duplicates dropped by Message-ID',
      pass: mailKillLosesNothing(mailKill),
    },
    {
      figure: `Submission p99 while the ${formatCount(backups.responses)}-response database is backed up`,
      value: backups.phases.map((phase) => `${phase.phase} ${formatMs(phase.p99)}${phase.backupMs === null ? '' : ` (backup ${formatMs(phase.backupMs)})`}`).join('; '),
      target: `< ${formatMs(backupTargetP99Ms)}`,
      pass: backupPasses(backups),
    },
    {
      figure: `Dashboard requests on ${formatCount(insights.responses)} responses while they arrive, p95`,
      value: `${formatMs(insights.overallP95)}; slowest kind ${formatMs(Math.max(...insights.rows.map((row) => row.p95)))}; plain GROUP BY ${formatMs(Math.min(...insights.rows.map((row) => row.raw)))}–${formatMs(Math.max(...insights.rows.map((row) => row.raw)))}`,
      target: `< ${formatMs(insightsTargetP95Ms)}`,
      pass: insights.rows.every((row) => row.p95 < insightsTargetP95Ms) && insights.arrivalsFolded && insights.arrivalFailures === 0,
    },
    {
      figure: `Demo generator and folding ${formatCount(insights.responses)} responses`,
      value: insights.generatedS === null ? 'reused from an earlier run' : `${insights.generatedS.toFixed(0)} s to generate, ${insights.foldedS?.toFixed(0) ?? '-'} s to fold in`,
      target: 'minutes, not hours',
      pass: insights.generatedS === null ? null : insights.generatedS + (insights.foldedS ?? 0) < 30 * 60,
    },
    {
      figure: `Responses explorer on ${formatCount(explorer.responses)} responses while they arrive: filtered summary and first page, p95`,
      value: `${formatMs(explorer.overallP95)}; slowest ${formatMs(Math.max(...explorer.rows.flatMap((row) => [row.summaryP95, row.pageP95])))}; plain scan ${formatMs(Math.min(...explorer.rows.map((row) => row.rawSummary)))}–${formatMs(Math.max(...explorer.rows.map((row) => row.rawSummary)))}`,
      target: `< ${formatMs(explorerTargetP95Ms)}`,
      pass: explorerPasses(explorer),
    },
    {
      figure: `Complaint queues (every queue and filter, a second page) and the case page on ${formatCount(complaints.cases)} cases while complaints arrive, p95; queue queries index-backed`,
      value: `${formatMs(complaints.overallP95)}; slowest ${formatMs(Math.max(...complaints.rows.map((row) => row.p95)))}; ${complaints.plans.filter((plan) => plan.unindexed.length === 0).length} of ${complaints.plans.length} queries on an index`,
      target: `< ${formatMs(complaintsTargetP95Ms)}, every one on an index`,
      pass: complaintsPass(complaints),
    },
    {
      figure: `Purchase ingestion through POST /api/v1/purchases in batches of 1,000 into ${formatCount(purchaseIngestion.customers)} customers and ${formatCount(purchaseIngestion.purchasesBefore)} purchases (server CPU per purchase; storage per purchase)`,
      value: `${formatRate(purchaseIngestion.perSecond)}${purchaseIngestion.serverCpuMs === null ? '' : `; ${formatRate(purchaseIngestion.ingested / (purchaseIngestion.serverCpuMs / 1000))} per server CPU-second`}; ${bytesPerPurchase(purchaseIngestion).toFixed(0)} B per purchase in table and indexes`,
      target: `≥ ${formatCount(purchasesTargetPerSecond)}/s`,
      pass: purchasesPass(purchaseIngestion),
    },
    {
      figure: `Loyalty figures (90 days, a year, a segment, the at-risk list both ways, two CSVs) on ${formatCount(loyaltyDashboard.customers)} customers and ${formatCount(loyaltyDashboard.purchases)} purchases while purchases arrive, p95 (figures kept for a minute per view)`,
      value: `${formatMs(loyaltyDashboard.overallP95)}; slowest ${formatMs(Math.max(...loyaltyDashboard.rows.filter((row) => !row.name.startsWith('baseline')).map((row) => row.p95)))}; first reading of a view ${formatMs(Math.min(...loyaltyDashboard.rows.map((row) => row.first)))}–${formatMs(Math.max(...loyaltyDashboard.rows.map((row) => row.first)))}`,
      target: `< ${formatMs(loyaltyDashboardTargetP95Ms)}`,
      pass: loyaltyDashboardPass(loyaltyDashboard),
    },
    {
      figure: `One complaint deadline sweep on ${formatCount(sweep.cases)} cases, ${formatCount(sweep.open)} open: ${formatCount(sweep.runs[0]!.due)} due, their marks, escalations and ${formatCount(sweep.runs[0]!.messages)} mails queued (median of ${sweep.runs.length})`,
      value: formatMs(complaintsSweepMedianMs(sweep)),
      target: `< ${formatMs(sweepLimitMs)}`,
      pass: complaintsSweepPasses(sweep),
    },
    {
      figure: `A customer's export with 1,000 responses and 100 cases over HTTP, JSON and CSVs in a zip (median of ${dataRights.jsonMs.length}), on the ${formatCount(dataRights.responses)}-response demo`,
      value: `${formatMs(Math.max(median(dataRights.jsonMs), median(dataRights.zipMs)))}`,
      target: `< ${formatMs(exportLimitMs)}`,
      pass: median(dataRights.jsonMs) < exportLimitMs && median(dataRights.zipMs) < exportLimitMs,
    },
    {
      figure: `${formatCount(dataRights.erasure.customers)} customers erased in one request (a job with progress), POST to done, on the ${formatCount(dataRights.responses)}-response demo`,
      value: formatMs(dataRights.erasure.ms),
      target: `< ${formatMs(erasureLimitMs)}`,
      pass: dataRightsPass(dataRights),
    },
    {
      figure: `npm run -s loyalty -- recompute on ${formatCount(loyalty.customers)} customers and ${formatCount(loyalty.purchases)} purchases (whole command)`,
      value: `${(loyalty.recompute.ms / 1000).toFixed(1)} s`,
      target: `< ${recomputeLimitMs / 1000} s`,
      pass: loyalty.recompute.ms < recomputeLimitMs,
    },
    {
      figure: `A purchase to the customer's loyalty row showing it, p95 of ${loyalty.incremental.times.length} (${loyalty.incremental.via === 'api' ? 'POST /api/v1/purchases' : 'purchase written with its mark'})`,
      value: `${formatMs(loyalty.incremental.p95)} (p50 ${formatMs(loyalty.incremental.p50)})`,
      target: `< ${formatMs(incrementalLimitMs)}`,
      pass: loyalty.incremental.p95 < incrementalLimitMs,
    },
    {
      figure: 'Sign-in with a wrong password, known against unknown email (median)',
      value: `${formatMs(signInTiming.knownMs)} vs ${formatMs(signInTiming.unknownMs)} (${(signInTiming.unknownMs / signInTiming.knownMs).toFixed(2)}×)`,
      target: `${signInRatioLimits[0]}–${signInRatioLimits[1]}×`,
      pass: signInIsEven(signInTiming),
    },
  ];
  const summaryRows = summary.map((row) => ({ figure: row.figure, value: row.value, target: row.target, result: row.pass === null ? 'figure' : row.pass ? 'PASS' : 'MISS' }));
  printTable('Summary', summaryRows);
  writeMarkdownResults(startedAt, loadAtStart, summaryRows);

  writeFileSync(
    resultsPath,
    JSON.stringify(
      {
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        machine: { cores: cpus().length, node: process.version, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg()[0] },
        pls,
        commands,
        publicPage: {
          cpuThrottleRate,
          viewport: `${viewport.width}x${viewport.height}`,
          controlSelector,
          runs: pageRuns,
          pages: [pages.ours, pages.surveyJs, pages.trivial].map((page) => ({
            name: page.target.name,
            transferredBytes: page.transferredBytes,
            firstQuestionMs: page.firstQuestionMs,
            firstPaintMs: page.firstPaintMs,
            requests: page.requests,
            questionsShown: page.questionsShown,
            loads: page.loads,
          })),
          ratios: {
            transferred: ours.transferredBytes / peer.transferredBytes,
            firstQuestion: firstQuestionRatio(pages),
            floor: pages.trivial.firstQuestionMs / peer.firstQuestionMs,
          },
        },
        submissions: { connections: loadConnections, warmUp, measured, aggregates, loopRules },
        insertLimit: limit,
        csvImport,
        invitations,
        mailKill,
        sweep,
        dataRights,
        insights,
        explorer,
        complaints,
        loyalty,
        purchases: purchaseIngestion,
        loyaltyDashboard,
        backups,
        signIn: signInTiming,
        summary,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`\nResults written to ${resultsPath}`);
}

/** Writes bench/results.md (every table of this run) and the summary block in the README, both dated. */
function writeMarkdownResults(startedAt: Date, loadAtStart: number, summaryRows: Record<string, Cell>[]) {
  const minutes = (Date.now() - startedAt.getTime()) / 60_000;
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadAtStart.toFixed(2)} at the start`;
  const when = `${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${minutes.toFixed(1)} minutes`;
  writeFileSync(
    resultsMarkdownPath,
    `# Benchmark results\n\nWritten by \`npm run bench\` (bench/run.ts); do not edit by hand. Run of ${when}, on ${machine}.\n\n${printedTablesMarkdown()}`,
  );
  const readme = readFileSync(readmePath, 'utf8');
  const block = `Last run: ${when}, on ${machine}. Every table of that run: [bench/results.md](bench/results.md).\n\n${markdownTable(summaryRows)}`;
  writeFileSync(readmePath, replaceGeneratedBlock(readme, block));
  console.log(`Figures written to ${resultsMarkdownPath} and the summary to README.md`);
}

let finishing = false;
async function finish(code: number) {
  if (finishing) return;
  finishing = true;
  await cleanupAll();
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping the bench and cleaning up`);
    void finish(130);
  });
}
setTimeout(() => {
  console.error(`\nThe bench ran past ${wholeBenchLimitMs / 60_000} minutes; stopping it.`);
  void finish(1);
}, wholeBenchLimitMs).unref();

main().then(
  () => finish(0),
  (error: unknown) => {
    // After Ctrl-C the browser and server die under the run; that failure is expected, not news.
    if (!finishing) console.error(`\nThe bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    void finish(1);
  },
);
