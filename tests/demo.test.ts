import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoAnswers, demoCustomer, demoCustomerCount, fillDemo } from '../server/cli/demo.ts';
import { seeded } from '../surveys/random.ts';
import { templates } from '../surveys/templates/index.ts';
import { responseChannelOf } from '../server/campaigns/vocabulary.ts';
import { validateAnswers, type Answers } from '../surveys/answers.ts';
import type { SurveyDefinition } from '../surveys/definition.ts';
import { answersFingerprint, gridsOf, isSpeeder, isStraightLiner, likelyDuplicates, medianDuration } from '../surveys/indices/quality.ts';
import { demoAgents } from '../server/cli/demo-complaints.ts';
import { signedInAs, startTestApp, type TestApp } from './support/app.ts';
import { customerLoyalty, customers } from '../server/db/schema.ts';

let test: TestApp;
beforeEach(async () => {
  test = await startTestApp();
});
afterEach(() => test.close());

const now = Date.UTC(2026, 10, 1);
const yearMs = 365 * 86_400_000;

interface StoredResponse {
  id: string;
  slug: string;
  channel: string;
  customerId: string | null;
  campaignId: string | null;
  submittedAt: number;
  startedAt: number | null;
  durationMs: number | null;
  answers: Answers;
  definition: SurveyDefinition;
}

async function storedResponses(): Promise<StoredResponse[]> {
  const result = await test.db.$client.execute(
    `SELECT r.id, s.slug, r.channel, r.customer_id, r.campaign_id, r.submitted_at, r.started_at, r.duration_ms, r.answers, v.definition
       FROM responses r JOIN surveys s ON s.id = r.survey_id JOIN survey_versions v ON v.id = r.version_id`,
  );
  return result.rows.map((row) => ({
    id: String(row.id),
    slug: String(row.slug),
    channel: String(row.channel),
    customerId: row.customer_id === null ? null : String(row.customer_id),
    campaignId: row.campaign_id === null ? null : String(row.campaign_id),
    submittedAt: Number(row.submitted_at),
    startedAt: row.started_at === null ? null : Number(row.started_at),
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    answers: JSON.parse(String(row.answers)) as Answers,
    definition: JSON.parse(String(row.definition)) as SurveyDefinition,
  }));
}

function groupBy<T>(items: readonly T[], key: (item: T) => string) {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

function correlation(pairs: [number, number][]) {
  const mx = mean(pairs.map(([x]) => x));
  const my = mean(pairs.map(([, y]) => y));
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of pairs) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('npm run demo', () => {
  it('fills five surveys, customers and campaigns with two years of valid responses, and is idempotent', async () => {
    const first = await fillDemo(test.db, { responses: 2_000, now });
    expect(first.inserted).toBe(2_000);
    expect(first.customersInserted).toBe(demoCustomerCount(2_000));
    expect(first.invitationsInserted).toBe(100);

    const again = await fillDemo(test.db, { responses: 2_000, now });
    expect(again).toMatchObject({ inserted: 0, customersInserted: 0, invitationsInserted: 0, casesOpened: 0, silentDetractors: 0, surveyId: first.surveyId });

    const published = await test.db.$client.execute("SELECT slug FROM surveys WHERE status = 'published' AND latest_version_id IS NOT NULL ORDER BY slug");
    expect(published.rows.map((row) => row.slug)).toEqual(['demo', 'demo-acsi', 'demo-ces', 'demo-complaints', 'demo-csat', 'demo-nps']);

    // The complaint forms are checked with the complaints below; the rest are the responses asked for.
    const rows = (await storedResponses()).filter((row) => row.slug !== 'demo-complaints');
    expect(rows).toHaveLength(2_000);
    for (const row of rows) {
      const checked = validateAnswers(row.definition, row.answers);
      expect(checked.ok, `${row.slug} ${JSON.stringify(row.answers)}`).toBe(true);
      if (checked.ok) expect(checked.answers).toEqual(row.answers);
      expect(row.submittedAt).toBeLessThanOrEqual(now);
      expect(row.submittedAt).toBeGreaterThan(now - 2 * yearMs - 86_400_000);
      if (row.durationMs === null) expect(row.startedAt).toBeNull();
      else expect(row.startedAt).toBe(row.submittedAt - row.durationMs);
    }

    const bySlug = groupBy(rows, (row) => row.slug);
    expect(bySlug.get('demo')!.length).toBeGreaterThan(bySlug.get('demo-nps')!.length);
    expect(bySlug.get('demo-nps')!.length).toBeGreaterThan(bySlug.get('demo-ces')!.length);

    const byChannel = groupBy(rows, (row) => row.channel);
    expect([...byChannel.keys()].sort()).toEqual(['mail', 'onsite', 'phone', 'web']);
    for (const channelRows of byChannel.values()) {
      const times = channelRows.map((row) => row.submittedAt);
      expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(yearMs);
    }
    const known = rows.filter((row) => row.customerId !== null).length / rows.length;
    expect(known).toBeGreaterThan(0.5);
    expect(known).toBeLessThan(0.7);

    const customers = await test.db.$client.execute(
      `SELECT c.tier, c.segment, c.region, c.locale, count(*) AS n FROM responses r JOIN customers c ON c.id = r.customer_id
        GROUP BY c.tier, c.segment, c.region, c.locale`,
    );
    const present = (column: string) => new Set(customers.rows.map((row) => String(row[column])));
    expect([...present('tier')].sort()).toEqual(['important', 'ordinary', 'vip']);
    expect(present('segment').size).toBeGreaterThanOrEqual(4);
    expect(present('region').size).toBeGreaterThanOrEqual(6);
    expect([...present('locale')].sort()).toEqual(['en', 'zh-CN']);

    // The data-quality cases the insights processor flags, found with its own rules.
    let speeders = 0;
    let straightLiners = 0;
    for (const [, surveyRows] of bySlug) {
      const median = medianDuration(surveyRows.map((row) => row.durationMs));
      speeders += surveyRows.filter((row) => isSpeeder(row.durationMs, median)).length;
      const grids = gridsOf(surveyRows[0]!.definition);
      straightLiners += surveyRows.filter((row) => isStraightLiner(row.answers, grids)).length;
    }
    const duplicates = likelyDuplicates(
      rows.map((row) => ({ id: row.id, submittedAt: row.submittedAt, customerId: row.customerId, fingerprint: `${row.slug}:${answersFingerprint(row.answers)}` })),
    );
    expect(speeders).toBeGreaterThan(0.015 * rows.length);
    expect(speeders).toBeLessThan(0.06 * rows.length);
    expect(straightLiners).toBeGreaterThan(0.004 * rows.length);
    expect(straightLiners).toBeLessThan(0.04 * rows.length);
    expect(duplicates.size).toBeGreaterThan(0.003 * rows.length);
    expect(duplicates.size).toBeLessThan(0.03 * rows.length);

    // Response rates per delivery: some invitations completed, each by a response from its customer on its channel.
    const invitations = await test.db.$client.execute(
      `SELECT i.delivery, i.customer_id, i.campaign_id, i.completed_at, i.token, i.skip_reason, r.channel, r.customer_id AS answered_by,
              r.campaign_id AS response_campaign, r.submitted_at
         FROM campaign_invitations i LEFT JOIN responses r ON r.id = i.response_id`,
    );
    const rates = new Map<string, { invited: number; completed: number }>();
    for (const row of invitations.rows) {
      const delivery = String(row.delivery) as 'email' | 'post' | 'phone';
      const rate = rates.get(delivery) ?? { invited: 0, completed: 0 };
      if (row.skip_reason === null) {
        rate.invited++;
        expect(String(row.token)).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
      } else expect(row.token).toBeNull();
      if (row.completed_at !== null) {
        rate.completed++;
        expect(row.channel).toBe(responseChannelOf[delivery]);
        expect(row.answered_by).toBe(row.customer_id);
        expect(row.response_campaign).toBe(row.campaign_id);
        expect(row.submitted_at).toBe(row.completed_at);
      }
      rates.set(delivery, rate);
    }
    expect([...rates.keys()].sort()).toEqual(['email', 'phone', 'post']);
    for (const { invited, completed } of rates.values()) {
      expect(completed).toBeGreaterThan(0);
      expect(completed).toBeLessThan(invited);
    }
    expect(rows.filter((row) => row.campaignId !== null)).toHaveLength(invitations.rows.filter((row) => row.completed_at !== null).length);

    const page = await test.app.request('/s/demo');
    expect(page.status).toBe(200);
  });

  it('tells the stories a manager should find: channels differ, the ACSI model holds, key drivers differ', async () => {
    await fillDemo(test.db, { responses: 3_000, now });
    const rows = await storedResponses();
    const csatByChannel = (channel: string) =>
      mean(rows.filter((row) => row.slug === 'demo-csat' && row.channel === channel).map((row) => row.answers.csat as number));
    expect(csatByChannel('onsite')).toBeGreaterThan(csatByChannel('mail') + 0.2);

    const acsi = rows.filter((row) => row.slug === 'demo-acsi');
    const item = (row: StoredResponse, id: string) => row.answers[id] as number;
    expect(correlation(acsi.map((row) => [item(row, 'qual_overall'), item(row, 'sat_overall')]))).toBeGreaterThan(0.4);
    expect(correlation(acsi.map((row) => [item(row, 'sat_overall'), item(row, 'loyal_repurchase')]))).toBeGreaterThan(0.4);

    const pairs = rows.filter((row) => row.slug === 'demo');
    const driver = (attribute: string) =>
      correlation(pairs.map((row) => [(row.answers[`ee_${attribute}`] as { experience: number }).experience, row.answers.overall as number]));
    expect(driver('service')).toBeGreaterThan(driver('company_image') + 0.15);
    const ratio = (attribute: string) =>
      mean(pairs.map((row) => (row.answers[`ee_${attribute}`] as { experience: number }).experience)) /
      mean(pairs.map((row) => (row.answers[`ee_${attribute}`] as { expectation: number }).expectation));
    expect(ratio('service')).toBeLessThan(1);
    expect(ratio('company_image')).toBeGreaterThan(1);
  });

  it('adds complaint cases in every status and every recovery outcome, from forms on every channel, caught detractors and agents, through the case service', async () => {
    const result = await fillDemo(test.db, { responses: 600, now });
    expect(result.casesOpened).toBeGreaterThan(30);
    const column = async (sql: string) => (await test.db.$client.execute(sql)).rows.map((row) => String(row[0]));

    expect((await column('SELECT DISTINCT status FROM complaint_cases')).sort()).toEqual(['acknowledged', 'closed', 'in_progress', 'merged', 'new', 'resolved', 'waiting']);
    expect((await column('SELECT DISTINCT outcome FROM complaint_cases WHERE outcome IS NOT NULL')).sort()).toEqual(['resolved', 'resolved_quickly', 'unresolved']);
    expect(await column('SELECT count(*) FROM complaint_cases WHERE customer_left = 1 AND outcome = \'unresolved\'')).not.toEqual(['0']);
    expect(await column("SELECT count(*) FROM complaint_cases WHERE reopen_count > 0")).not.toEqual(['0']);
    // Complaint forms on all four survey channels, each with its stored response; cases agents logged; detractors caught.
    expect((await column("SELECT DISTINCT c.channel FROM complaint_cases c JOIN responses r ON r.id = c.response_id WHERE c.source = 'form'")).sort()).toEqual(['mail', 'onsite', 'phone', 'web']);
    expect((await column("SELECT DISTINCT source FROM complaint_cases")).sort()).toEqual(['agent', 'form', 'integration', 'survey_rule']);
    const catches = await test.db.$client.execute(
      `SELECT l.case_id, l.silent_reason, c.customer_id = l.customer_id, json_extract(r.answers, '$.nps') FROM loop_catches l
         JOIN responses r ON r.id = l.response_id LEFT JOIN complaint_cases c ON c.id = l.case_id`,
    );
    expect(catches.rows.length).toBeGreaterThan(0);
    for (const row of catches.rows) {
      expect(Number(row[3])).toBeLessThanOrEqual(6);
      if (row[0] === null) expect(['no_customer', 'no_consent']).toContain(row[1]);
      else expect(Number(row[2])).toBe(1);
    }
    // Every case's history starts with its opening, at the time the case says; no event before it.
    const history = await column(
      `SELECT count(*) FROM complaint_cases c WHERE NOT EXISTS (SELECT 1 FROM complaint_events e WHERE e.case_id = c.id AND e.type = 'opened' AND e.at = c.created_at)
          OR EXISTS (SELECT 1 FROM complaint_events e WHERE e.case_id = c.id AND e.at < c.created_at) OR c.created_at > ${now}`,
    );
    expect(history).toEqual(['0']);
    // The made-up customers are sent nothing: no receipt or follow-up survey queued.
    expect(await column("SELECT count(*) FROM jobs WHERE kind LIKE 'complaints.%'")).toEqual(['0']);
    // Saved replies for the agents to answer with, in both languages, added once however often the demo runs.
    const macros = async () => (await test.db.$client.execute('SELECT name, body FROM complaint_macros')).rows;
    expect((await macros()).length).toBeGreaterThanOrEqual(3);
    for (const macro of await macros()) {
      for (const text of [JSON.parse(String(macro.name)), JSON.parse(String(macro.body))]) expect(Object.keys(text).sort()).toEqual(['en', 'zh-CN']);
    }
    await fillDemo(test.db, { responses: 600, now });
    expect((await macros()).length).toBe(3);
    // Every complaint form answer fits the form.
    for (const row of (await storedResponses()).filter((stored) => stored.slug === 'demo-complaints')) {
      expect(validateAnswers(row.definition, row.answers).ok).toBe(true);
    }

    const again = await fillDemo(test.db, { responses: 600, now });
    expect(again).toMatchObject({ casesOpened: 0, silentDetractors: 0 });
  });

  // The default calendar is Monday to Friday 09:00–18:00 in Asia/Shanghai: on a Saturday afternoon the last
  // business hour was the day before, on a Wednesday morning the business day has just begun.
  it.each([
    ['a Saturday afternoon', Date.parse('2026-11-07T15:00+08:00')],
    ['a Wednesday morning', Date.parse('2026-11-04T10:00+08:00')],
  ])('leaves open cases at risk and overdue, marked by the deadline sweep, when run on %s', async (_, at) => {
    const manager = await signedInAs(test, 'manager');
    const result = await fillDemo(test.db, { responses: 50, now: at, publicUrl: 'http://127.0.0.1:3000' });

    interface Summary {
      id: string;
      escalated: boolean;
      assigneeId: string | null;
      firstResponseDueAt: number | null;
      nextResponseDueAt: number | null;
      resolutionDueAt: number | null;
    }
    const queue = async (name: 'at_risk' | 'breached'): Promise<Summary[]> => {
      const answer = await manager.request('GET', `/api/complaints/cases?queue=${name}&limit=100`);
      expect(answer.status).toBe(200);
      return ((await answer.json()) as { cases: Summary[] }).cases;
    };
    const atRisk = await queue('at_risk');
    const breached = await queue('breached');
    const agentIds: (string | null)[] = demoAgents.map((agent) => agent.id);
    for (const cases of [atRisk, breached]) {
      // Some assigned to a demo agent and some nobody has taken yet.
      expect(cases.some((row) => agentIds.includes(row.assigneeId))).toBe(true);
      expect(cases.some((row) => row.assigneeId === null)).toBe(true);
    }
    // A breached case is past a deadline and was escalated for it; an at-risk one is not past any yet.
    const dues = (row: Summary) => [row.firstResponseDueAt, row.nextResponseDueAt, row.resolutionDueAt].filter((due): due is number => due !== null);
    for (const row of breached) {
      expect(row.escalated).toBe(true);
      expect(Math.min(...dues(row))).toBeLessThanOrEqual(at);
    }
    for (const row of atRisk) expect(Math.min(...dues(row))).toBeGreaterThan(at);

    expect(result.deadlineMarks).toBeGreaterThanOrEqual(atRisk.length + breached.length);
    // The sweep recorded the marks in the cases' histories at the time of the run, as it does on the server.
    const marks = await test.db.$client.execute({
      sql: `SELECT e.type, c.alert, e.at FROM complaint_events e JOIN complaint_cases c ON c.id = e.case_id WHERE e.type IN ('deadline_at_risk', 'deadline_breached') AND e.actor = 'system' AND e.at = ?`,
      args: [at],
    });
    expect(new Set(marks.rows.map((row) => String(row.type)))).toEqual(new Set(['deadline_at_risk', 'deadline_breached']));

    // Deadline mail goes to the installation's manager; none to the made-up demo agents (nor to the made-up customers).
    const mail = async (sql: string) => Number((await test.db.$client.execute(sql)).rows[0]![0]);
    expect(await mail("SELECT count(*) FROM outgoing_messages WHERE topic LIKE 'complaints/%/breached' AND to_address LIKE 'user-%-manager@example.com'")).toBeGreaterThan(0);
    expect(await mail("SELECT count(*) FROM outgoing_messages WHERE topic LIKE 'complaints/%/at_risk' AND to_address LIKE 'user-%-manager@example.com'")).toBeGreaterThan(0);
    expect(await mail("SELECT count(*) FROM outgoing_messages WHERE to_address LIKE 'demo.%'")).toBe(0);
    expect(await mail("SELECT count(*) FROM jobs WHERE kind LIKE 'complaints.%'")).toBe(0);

    // Run again, nothing is added: no case, no mark, no mail.
    const messages = await mail('SELECT count(*) FROM outgoing_messages');
    const again = await fillDemo(test.db, { responses: 50, now: at, publicUrl: 'http://127.0.0.1:3000' });
    expect(again).toMatchObject({ casesOpened: 0, silentDetractors: 0, deadlineMarks: 0 });
    expect((await queue('at_risk')).map((row) => row.id)).toEqual(atRisk.map((row) => row.id));
    expect((await queue('breached')).map((row) => row.id)).toEqual(breached.map((row) => row.id));
    expect(await mail('SELECT count(*) FROM outgoing_messages')).toBe(messages);
  });

  it('answers a form that asks for an email address or a phone number with one (the complaint form)', () => {
    const form = templates['complaint-form'];
    for (let seed = 1; seed <= 200; seed++) {
      const random = seeded(seed);
      const answers = demoAnswers(form, random, random(), seed % 2 ? 'en' : 'zh-CN');
      const checked = validateAnswers(form, answers);
      expect(checked.ok, JSON.stringify(answers)).toBe(true);
    }
  });

  it('makes customers in the practice’s tier proportions', () => {
    const tiers = { vip: 0, important: 0, ordinary: 0 };
    for (let index = 0; index < 4_000; index++) tiers[demoCustomer(index, now).tier]++;
    expect(tiers.vip / 4_000).toBeCloseTo(0.05, 1);
    expect(tiers.important / 4_000).toBeCloseTo(0.15, 1);
    expect(tiers.ordinary / 4_000).toBeCloseTo(0.8, 1);
    expect(demoCustomerCount(100)).toBe(300);
    expect(demoCustomerCount(1_000_000)).toBe(100_000);
  });

  it('adds only the missing responses when asked for more', async () => {
    await fillDemo(test.db, { responses: 50, now });
    expect((await fillDemo(test.db, { responses: 80, now })).inserted).toBe(30);
  });

  it('refuses a --responses that is not a whole number, saying what to type', async () => {
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli/demo.ts', '--responses', 'lots'], {
      env: { ...process.env, DATABASE_URL: test.databaseUrl },
    });
    await expect(run).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('--responses takes a whole number') });
  });

  it("ends by working out every demo customer's loyalty", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli/demo.ts', '--responses', '60'], {
      env: { ...process.env, DATABASE_URL: test.databaseUrl },
    });
    const customerCount = await test.db.$count(customers);
    expect(customerCount).toBeGreaterThan(0);
    expect(stdout).toContain(`Loyalty worked out for ${customerCount.toLocaleString('en')} customer(s)`);
    expect(await test.db.$count(customerLoyalty)).toBe(customerCount);
  });

  it("prints the server's address from PUBLIC_URL or PORT, and says which address it assumed when neither is set", async () => {
    const { PORT: _port, PUBLIC_URL: _publicUrl, HOST: _host, ...env } = process.env;
    const demo = async (extra: Record<string, string>) =>
      (
        await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli/demo.ts', '--responses', '0'], {
          env: { ...env, DATABASE_URL: test.databaseUrl, ...extra },
        })
      ).stdout;

    const onPort = await demo({ PORT: '4123' });
    expect(onPort).toContain('Demo surveys at http://127.0.0.1:4123/s/demo ');
    expect(onPort).not.toContain('PUBLIC_URL');

    const published = await demo({ PUBLIC_URL: 'https://survey.example.com/' });
    expect(published).toContain('Demo surveys at https://survey.example.com/s/demo ');
    expect(published).not.toContain('PUBLIC_URL');

    const assumed = await demo({});
    expect(assumed).toContain('Demo surveys at http://127.0.0.1:3000/s/demo ');
    expect(assumed).toContain("No PUBLIC_URL or PORT is set here, so the address above assumes the server's default, http://127.0.0.1:3000.");
    expect(assumed).toContain('此处未设置 PUBLIC_URL 或 PORT，上面的地址按服务器的默认地址 http://127.0.0.1:3000 推定。');
  });
});
