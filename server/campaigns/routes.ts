// /api/campaigns: campaigns, their invitations and funnel; /api/settings/contact-rule; and the answer a
// customer gives through a personal link, /api/public/invitations/:token/responses.
import { Hono } from 'hono';
import * as v from 'valibot';
import { formCaseOf } from '../responses/cases.ts';
import { frozenVersion } from '../responses/service.ts';
import { submissionEntries } from '../responses/submission.ts';
import { message } from '../../surveys/i18n.ts';
import { requireRole } from '../accounts/guard.ts';
import { recordReads } from '../privacy/access.ts';
import type { AppEnv } from '../env.ts';
import { localeOf, PageQuery, readJson, readQuery } from '../http.ts';
import { findInvitation, storeInvitedResponse } from './answers.ts';
import { channelFunnel } from './funnel.ts';
import { listInvitations } from './invitations.ts';
import * as service from './service.ts';
import { ContactRuleSchema } from './settings.ts';

const managers = requireRole('admin', 'manager');
const admins = requireRole('admin');

const InvitationQuery = v.object({
  state: v.optional(v.picklist(['skipped', 'invited', 'completed'], message('The state is skipped, invited or completed.', '状态只能是 skipped、invited 或 completed。'))),
  ...PageQuery,
});

const FunnelQuery = v.object({ surveyId: v.optional(v.string()) });

const InvitedSubmission = v.object(submissionEntries);

export const campaignRoutes = new Hono<AppEnv>()
  .get('/campaigns', managers, async (c) => {
    const query = readQuery(c, v.object(PageQuery));
    return c.json(await service.listCampaigns(c.var.db, query));
  })
  .post('/campaigns', managers, async (c) => {
    const input = await readJson(c, service.CampaignInputSchema);
    const campaign = await service.createCampaign(c.var.db, input, c.var.user!.id, localeOf(c));
    return c.json({ campaign }, 201);
  })
  .get('/campaigns/audience-preview', managers, async (c) => {
    const audience = readQuery(c, service.AudienceSchema);
    return c.json(await service.audiencePreview(c.var.db, audience));
  })
  .get('/campaigns/funnel', managers, async (c) => {
    const { surveyId } = readQuery(c, FunnelQuery);
    return c.json({ rows: await channelFunnel(c.var.db, surveyId) });
  })
  .get('/campaigns/:id', managers, async (c) => c.json({ campaign: await service.getCampaign(c.var.db, c.req.param('id')) }))
  .put('/campaigns/:id', managers, async (c) => {
    const input = await readJson(c, service.CampaignUpdateSchema);
    return c.json({ campaign: await service.updateCampaign(c.var.db, c.req.param('id'), input, localeOf(c)) });
  })
  .post('/campaigns/:id/launch', managers, async (c) => c.json({ campaign: await service.launchCampaign(c.var.db, c.req.param('id')) }, 202))
  .post('/campaigns/:id/close', managers, async (c) => c.json({ campaign: await service.closeCampaign(c.var.db, c.req.param('id')) }))
  .get('/campaigns/:id/invitations', managers, async (c) => {
    const query = readQuery(c, InvitationQuery);
    const page = await listInvitations(c.var.db, { campaignId: c.req.param('id'), ...query });
    recordReads(c, page.invitations.map((row) => row.customerId), ['name']);
    return c.json(page);
  })
  .get('/settings/contact-rule', managers, async (c) => c.json({ rule: await service.getContactRule(c.var.db) }))
  .put('/settings/contact-rule', admins, async (c) => {
    const rule = await readJson(c, ContactRuleSchema);
    return c.json({ rule: await service.setContactRule(c.var.db, rule, c.var.user!.id) });
  })
  .post('/public/invitations/:token/responses', async (c) => {
    const submission = await readJson(c, InvitedSubmission);
    const { invitation, campaign } = await findInvitation(c.var.db, c.req.param('token'));
    const status = await storeInvitedResponse(c.var.db, {
      invitationId: invitation.id,
      responseId: submission.id,
      answers: submission.answers,
      locale: submission.locale,
      startedAt: submission.startedAt,
    });
    // A complaint form's case (this answer's, also on a retry): its reference and status page, for the thank-you.
    const version = campaign.versionId ? await frozenVersion(c.var.db, campaign.versionId) : undefined;
    const opened = version?.definition.kind === 'complaint' ? await formCaseOf(c.var.db, submission.id) : null;
    return c.json({ id: submission.id, status, ...(opened ? { case: opened } : {}) }, status === 'stored' ? 201 : 200);
  });
