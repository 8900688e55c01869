// /api/follow-ups: the follow-ups after purchases, for VIPs and for at-risk customers, and their outcomes; and
// /api/owners/reassign, which moves a staff member's customers to others (one, or several in turn). Follow-ups
// are worked by the roles that read customers (admin, manager, support); the team's at-risk tasks and the whole
// list are for admins and managers; moving customers between owners too.
import { Hono } from 'hono';
import * as v from 'valibot';
import { message } from '../../surveys/i18n.ts';
import { requireRole } from '../accounts/guard.ts';
import type { AppEnv } from '../env.ts';
import { PageQuery, readJson, readQuery } from '../http.ts';
import { recordReads } from '../privacy/access.ts';
import * as service from './follow-ups.ts';
import { followUpKinds, followUpOutcomes } from './vocabulary.ts';

const workers = requireRole(...service.followUpRoles);
const leads = requireRole('admin', 'manager');

const ListQuery = v.object({
  view: v.optional(v.picklist(service.followUpViews, message('The view is mine, calls, team or all.', '视图只能是 mine、calls、team 或 all。')), 'mine'),
  status: v.optional(v.picklist(service.followUpStatusFilters, message('The status is open, closed, skipped or all.', '状态只能是 open、closed、skipped 或 all。')), 'open'),
  kind: v.optional(v.picklist(followUpKinds, message('The kind is thank_you, vip or at_risk.', '类型只能是 thank_you、vip 或 at_risk。'))),
  customerId: v.optional(v.pipe(v.string(), v.maxLength(100, message('The customer id is longer than 100 characters.', '客户编号超过 100 个字符。')))),
  ...PageQuery,
});

const OutcomeInput = v.object({
  outcome: v.picklist(
    followUpOutcomes,
    message('The outcome is reached, left_message, no_answer, wrong_number or refused.', '结果只能是 reached、left_message、no_answer、wrong_number 或 refused。'),
  ),
  note: v.optional(v.pipe(v.string(message('The note must be text.', '备注必须是文本。')), v.maxLength(1000, message('Keep the note to 1000 characters.', '备注最多 1000 个字符。')))),
});

const id = (en: string, zh: string) =>
  v.pipe(v.string(message(`${en} is missing.`, `缺少${zh}。`)), v.trim(), v.nonEmpty(message(`${en} is missing.`, `缺少${zh}。`)), v.maxLength(100, message(`${en} is longer than 100 characters.`, `${zh}超过 100 个字符。`)));

const ReassignInput = v.object({
  fromUserId: id('The owner whose customers move', '原负责人'),
  toUserIds: v.pipe(
    v.array(id('A person to move customers to', '接收客户的人'), message('Send the people to move the customers to as a list of ids.', '请以编号列表发送接收客户的人。')),
    v.minLength(1, message('Pick at least one person to take the customers.', '请至少选择一位接收客户的人。')),
    v.maxLength(50, message('Share the customers among at most 50 people.', '最多分给 50 人。')),
  ),
});

const viewerOf = (user: { id: string; role: service.FollowUpViewer['role'] }) => ({ id: user.id, role: user.role });

export const followUpRoutes = new Hono<AppEnv>()
  .get('/follow-ups', workers, async (c) => {
    const query = readQuery(c, ListQuery);
    const page = await service.listFollowUps(c.var.db, viewerOf(c.var.user!), query);
    // Every view a role has lists its own work (mine, the shared calls) or is a lead's: shown in full, recorded.
    recordReads(c, page.followUps.map((task) => task.customer?.id ?? null), ['name', 'contactName', 'email', 'phone']);
    return c.json(page);
  })
  .get('/follow-ups/counts', workers, async (c) => c.json(await service.followUpCounts(c.var.db, viewerOf(c.var.user!))))
  .post('/follow-ups/:id/outcome', workers, async (c) => {
    const input = await readJson(c, OutcomeInput);
    return c.json({ followUp: await service.recordFollowUpOutcome(c.var.db, viewerOf(c.var.user!), c.req.param('id'), input) });
  })
  .post('/owners/reassign', leads, async (c) => {
    const input = await readJson(c, ReassignInput);
    return c.json(await service.reassignOwnedCustomers(c.var.db, input));
  });
