// Kiosks: the answers a kiosk sends (API, no account), the staff's list and posters, and the kiosk page itself.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { message } from '../../surveys/i18n.ts';
import { requireRole } from '../accounts/guard.ts';
import type { AppEnv } from '../env.ts';
import { localeOf, readJson } from '../http.ts';
import type { ResponseIntake } from '../responses/intake.ts';
import { contentTypes, send, sendHtml, surveyPage } from '../web.ts';
import { findKioskSurvey, kioskPoster, listKiosks, submitKioskResponse } from './service.ts';

const KioskSubmission = v.object({
  id: v.pipe(
    v.string(message('The response id is missing.', '缺少回答编号。')),
    v.uuid(message('The response id must be a UUID made by the kiosk.', '回答编号必须是终端生成的 UUID。')),
  ),
  versionId: v.pipe(
    v.string(message('The survey version is missing.', '缺少问卷版本。')),
    v.nonEmpty(message('The survey version is missing.', '缺少问卷版本。')),
  ),
  locale: v.picklist(['zh-CN', 'en'], message('The language must be zh-CN or en.', '语言必须是 zh-CN 或 en。')),
  // Each answer is checked against the survey version in the service; here only the shape.
  answers: v.custom<Record<string, unknown>>(
    (input) => typeof input === 'object' && input !== null && !Array.isArray(input),
    message('Answers must be an object keyed by question id.', '回答必须是以题目编号为键的对象。'),
  ),
  startedAt: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});

const kioskStaff = requireRole('interviewer', 'manager', 'admin');

export function kioskRoutes(intake: ResponseIntake) {
  return new Hono<AppEnv>()
    .post('/public/kiosk/:key/responses', async (c) => {
      const submission = await readJson(c, KioskSubmission);
      const { status, case: opened } = await submitKioskResponse(c.var.db, intake, c.req.param('key'), submission);
      return c.json({ id: submission.id, status, ...(opened ? { case: opened } : {}) }, status === 'stored' ? 201 : 200);
    })
    .get('/kiosks', kioskStaff, async (c) => c.json({ kiosks: await listKiosks(c.var.db) }))
    .get('/kiosks/:campaignId/poster', kioskStaff, async (c) =>
      c.json(await kioskPoster(c.var.db, c.var.config.publicUrl, c.req.param('campaignId'))),
    );
}

const fallbackTitle = { 'zh-CN': '现场问卷', en: 'Survey' };

function readTemplate(path: string, cache: { stamp: number; html: string } | undefined) {
  const stamp = statSync(path).mtimeMs;
  return cache?.stamp === stamp ? cache : { stamp, html: readFileSync(path, 'utf8') };
}

/** Pages outside /api: the kiosk page and its service worker. */
export function kioskPages(webRoot: string) {
  const app = new Hono<AppEnv>();
  const htmlPath = join(webRoot, 'kiosk.html');
  const workerPath = join(webRoot, 'kiosk-sw.js');
  let template: { stamp: number; html: string } | undefined;
  const notBuilt = (c: Context) => c.text('The kiosk page is not built. Run "npm run build".', 503);

  // Served from /k/ so its scope covers every kiosk page; it is checked for updates on each visit.
  app.get('/k/sw.js', (c) => {
    if (!existsSync(workerPath)) return notBuilt(c);
    c.header('service-worker-allowed', '/k/');
    return send(c, { type: contentTypes['.js']!, raw: readFileSync(workerPath) }, 200, 'no-cache');
  });
  app.get('/k/:key', async (c) => {
    if (!existsSync(htmlPath)) return notBuilt(c);
    template = readTemplate(htmlPath, template);
    const survey = await findKioskSurvey(c.var.db, c.req.param('key'));
    const status = survey.state === 'open' ? 200 : survey.state === 'closed' ? 410 : 404;
    return sendHtml(c, surveyPage(template.html, survey, localeOf(c), '', fallbackTitle), status, 'no-store');
  });
  return app;
}
