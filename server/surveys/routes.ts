// /api/templates and /api/surveys: authoring, publishing and closing surveys.
import { Hono } from 'hono';
import * as v from 'valibot';
import { message } from '../../surveys/i18n.ts';
import { requireRole } from '../accounts/guard.ts';
import type { AppEnv } from '../env.ts';
import { readJson } from '../http.ts';
import * as service from './service.ts';

const Slug = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.regex(
    service.slugPattern,
    message(
      'Use 3-64 lowercase letters, digits or hyphens for the link, not starting or ending with a hyphen.',
      '链接请使用 3-64 个小写字母、数字或连字符，且不能以连字符开头或结尾。',
    ),
  ),
);

const CreateSurvey = v.object({
  templateId: v.optional(v.string()),
  slug: v.optional(Slug),
  definition: v.optional(v.unknown()),
});
const SaveDraft = v.object({
  definition: v.unknown(),
  slug: v.optional(Slug),
});

const authors = requireRole('admin', 'manager');

export const surveyRoutes = new Hono<AppEnv>()
  .get('/templates', authors, (c) => c.json({ templates: service.listTemplates() }))
  .get('/surveys', authors, async (c) => c.json({ surveys: await service.listSurveys(c.var.db) }))
  .post('/surveys', authors, async (c) => {
    const input = await readJson(c, CreateSurvey);
    const survey = await service.createSurvey(c.var.db, { ...input, createdBy: c.var.user!.id });
    return c.json({ survey }, 201);
  })
  .get('/surveys/:id', authors, async (c) => c.json({ survey: await service.getSurvey(c.var.db, c.req.param('id')) }))
  .put('/surveys/:id/draft', authors, async (c) => {
    const input = await readJson(c, SaveDraft);
    return c.json({ survey: await service.saveDraft(c.var.db, { ...input, id: c.req.param('id') }) });
  })
  .post('/surveys/:id/publish', authors, async (c) =>
    c.json({ survey: await service.publish(c.var.db, { id: c.req.param('id'), publishedBy: c.var.user!.id }) }),
  )
  .post('/surveys/:id/close', authors, async (c) =>
    c.json({ survey: await service.setClosed(c.var.db, { id: c.req.param('id'), closed: true }) }),
  )
  .post('/surveys/:id/reopen', authors, async (c) =>
    c.json({ survey: await service.setClosed(c.var.db, { id: c.req.param('id'), closed: false }) }),
  );
