// /api/complaints: the queues, a case with its history, logging a case, the workflow's transitions, notes,
// replies, assignment, merging, saved replies (macros), the complaint settings and who cases go to.
// Support agents work cases; managers and admins also change settings, macros and move a departing agent's
// cases; interviewers log cases from calls and see only the ones they logged, without personal data.
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { LocalizedText } from '../../surveys/definition.ts';
import { message } from '../../surveys/i18n.ts';
import { anyStaff, requireRole } from '../accounts/guard.ts';
import type { AppEnv } from '../env.ts';
import { PageQuery, readJson, readQuery } from '../http.ts';
import { recordReads } from '../privacy/access.ts';
import * as service from './service.ts';
import { ComplaintSettingsSchema, readComplaintSettings, saveComplaintSettings } from './settings.ts';
import { caseChannels, caseQueues, caseSeverities, caseStatuses } from './vocabulary.ts';
import { staffTransitions } from './workflow.ts';

const workers = requireRole(...service.caseWorkerRoles);
const managers = requireRole('admin', 'manager');

/**
 * Records the reads of the cases an answer shows in full (masked ones are not reads). A change answers with the
 * case as it now is (service.caseFor, as the case page shows it), without its customer's record or history.
 */
const caseFieldsRead = ['contactName', 'contactEmail', 'contactPhone', 'description', 'desiredOutcome'];
function recordCaseReads(c: Context<AppEnv>, ...items: { personal: boolean; customerId: string | null }[]) {
  recordReads(c, items.filter((item) => item.personal).map((item) => item.customerId), caseFieldsRead);
}

const viewerOf = (user: { id: string; name: string; role: service.StaffViewer['role'] }): service.StaffViewer => ({ id: user.id, name: user.name, role: user.role });

const version = v.pipe(
  v.number(message('Send the case\'s version as you read it (a number).', '请发送读取案件时的版本号（数字）。')),
  v.integer(message('The version is a whole number.', '版本号必须是整数。')),
  v.minValue(1, message('The version is a whole number from 1.', '版本号是从 1 开始的整数。')),
);

const id = (what: string, zh: string) =>
  v.pipe(
    v.string(message(`${what} is missing.`, `缺少${zh}。`)),
    v.trim(),
    v.nonEmpty(message(`${what} is empty.`, `${zh}为空。`)),
    v.maxLength(100, message(`${what} is longer than 100 characters.`, `${zh}超过 100 个字符。`)),
  );

/** A case's category, chosen from a list: an empty one asks for a choice rather than saying it is empty. */
const category = v.pipe(
  v.string(message('Choose a category.', '请选择类别。')),
  v.trim(),
  v.nonEmpty(message('Choose a category.', '请选择类别。')),
  v.maxLength(100, message('The category is longer than 100 characters.', '类别超过 100 个字符。')),
);

const text = (what: string, zh: string, max: number) =>
  v.pipe(
    v.string(message(`${what} must be text.`, `${zh}必须是文本。`)),
    v.trim(),
    v.nonEmpty(message(`${what} is empty; write something.`, `${zh}为空，请填写内容。`)),
    v.maxLength(max, message(`${what} is longer than ${max} characters; shorten it.`, `${zh}超过 ${max} 个字符，请缩短。`)),
  );

const optionalText = (what: string, zh: string, max: number) =>
  v.optional(
    v.nullable(
      v.pipe(
        v.string(message(`${what} must be text.`, `${zh}必须是文本。`)),
        v.trim(),
        v.maxLength(max, message(`${what} is longer than ${max} characters; shorten it.`, `${zh}超过 ${max} 个字符，请缩短。`)),
        v.transform((value) => (value === '' ? null : value)),
      ),
    ),
  );

const severity = v.picklist(caseSeverities, message('The severity is minor or major.', '严重程度只能是 minor（一般）或 major（重大）。'));
const contactChannel = v.picklist(['email', 'phone', 'post'] as const, message('The contact channel is email, phone or post.', '联系方式只能是 email、phone 或 post。'));
const orderValue = v.optional(
  v.nullable(
    v.pipe(
      v.number(message('The order value is a number.', '订单金额必须是数字。')),
      v.finite(message('The order value is a number.', '订单金额必须是数字。')),
      v.minValue(0, message('The order value cannot be negative.', '订单金额不能为负数。')),
    ),
  ),
);
const contactEmail = v.optional(
  v.nullable(
    v.pipe(
      v.string(message('The email address must be text.', '电子邮件地址必须是文本。')),
      v.trim(),
      v.transform((value) => (value === '' ? null : value)),
      v.nullable(v.pipe(v.string(), v.email(message('This is not an email address; check it (e.g. name@example.com).', '这不是有效的电子邮件地址，请检查（例如 name@example.com）。')))),
    ),
  ),
);

const contactFields = {
  contactName: optionalText('The contact name', '联系人姓名', 200),
  contactEmail,
  contactPhone: optionalText('The phone number', '电话号码', 50),
  contactChannel: v.optional(v.nullable(contactChannel)),
};

const QueueQuerySchema = v.object({
  queue: v.optional(v.picklist(caseQueues, message(`The queue is one of: ${caseQueues.join(', ')}.`, `队列只能是：${caseQueues.join('、')}。`)), 'all'),
  category: v.optional(v.pipe(v.string(), v.maxLength(64, message('The category key is longer than 64 characters.', '类别代码超过 64 个字符。')))),
  severity: v.optional(severity),
  channel: v.optional(v.picklist(caseChannels, message(`The channel is one of: ${caseChannels.join(', ')}.`, `渠道只能是：${caseChannels.join('、')}。`))),
  surveyId: v.optional(v.pipe(v.string(), v.maxLength(100, message('The survey id is longer than 100 characters.', '问卷编号超过 100 个字符。')))),
  tier: v.optional(v.picklist(['vip', 'important', 'ordinary'] as const, message('The tier is vip, important or ordinary.', '客户等级只能是 vip、important 或 ordinary。'))),
  assigneeId: v.optional(v.pipe(v.string(), v.maxLength(100, message('The assignee id is longer than 100 characters.', '负责人编号超过 100 个字符。')))),
  status: v.optional(v.picklist(caseStatuses, message(`The status is one of: ${caseStatuses.join(', ')}.`, `状态只能是：${caseStatuses.join('、')}。`))),
  q: v.optional(v.pipe(v.string(), v.maxLength(200, message('The search is longer than 200 characters.', '搜索内容超过 200 个字符。')))),
  ...PageQuery,
});

const loggedChannels = ['phone', 'email', 'in_person', 'web', 'onsite', 'mail'] as const;

const LogCaseSchema = v.pipe(
  v.object({
    channel: v.picklist(loggedChannels, message(`How the complaint came in: one of ${loggedChannels.join(', ')}.`, `投诉来源渠道只能是：${loggedChannels.join('、')}。`)),
    category,
    severity: v.optional(severity),
    description: text('The description', '投诉描述', 20_000),
    desiredOutcome: optionalText('The desired outcome', '期望结果', 5000),
    locale: v.picklist(['zh-CN', 'en'] as const, message('The customer\'s language is zh-CN or en.', '客户的语言只能是 zh-CN 或 en。')),
    customerId: v.optional(v.nullable(id('The customer id', '客户编号'))),
    ...contactFields,
    contactConsent: v.boolean(message('Say whether the customer agreed to be contacted (true or false).', '请说明客户是否同意被联系（true 或 false）。')),
    orderValue,
  }),
  v.forward(
    v.check(
      (input) => !(input.contactConsent && input.contactChannel === 'email' && !input.contactEmail && !input.customerId),
      message('The customer wants to be emailed: give their email address, or pick the customer.', '客户希望通过电子邮件联系：请填写其电子邮件地址，或选择客户。'),
    ),
    ['contactEmail'],
  ),
  v.forward(
    v.check(
      (input) => !(input.contactConsent && input.contactChannel === 'phone' && !input.contactPhone && !input.customerId),
      message('The customer wants to be phoned: give their phone number, or pick the customer.', '客户希望通过电话联系：请填写其电话号码，或选择客户。'),
    ),
    ['contactPhone'],
  ),
);

const TransitionSchema = v.object({
  action: v.picklist(staffTransitions, message(`The action is one of: ${staffTransitions.join(', ')}.`, `操作只能是：${staffTransitions.join('、')}。`)),
  version,
});

const EditSchema = v.object({
  version,
  category: v.optional(category),
  severity: v.optional(severity),
  description: v.optional(text('The description', '投诉描述', 20_000)),
  desiredOutcome: optionalText('The desired outcome', '期望结果', 5000),
  ...contactFields,
  contactConsent: v.optional(v.boolean(message('Say whether the customer agreed to be contacted (true or false).', '请说明客户是否同意被联系（true 或 false）。'))),
  orderValue,
});

const NoteSchema = v.object({ body: text('The note', '备注', 20_000) });
const ReplySchema = v.object({ body: text('The reply', '回复', 20_000), version });
const assigneeId = v.nullable(id('The assignee', '负责人'));
const AssignSchema = v.object({ assigneeId, version });
const BulkAssignSchema = v.object({
  ids: v.pipe(
    v.array(id('A case id', '案件编号'), message('Send the cases as a list of ids.', '请以编号列表发送案件。')),
    v.minLength(1, message('Pick at least one case.', '请至少选择一个案件。')),
    v.maxLength(500, message('Assign at most 500 cases at once.', '一次最多分配 500 个案件。')),
  ),
  assigneeId,
});
const ReassignSchema = v.object({
  fromUserId: id('The agent whose cases move', '原负责人'),
  toUserIds: v.pipe(
    v.array(id('An agent to move cases to', '接收案件的人'), message('Send the agents to move the cases to as a list of ids.', '请以编号列表发送接收案件的人。')),
    v.minLength(1, message('Pick at least one agent to take the cases.', '请至少选择一位接收案件的人。')),
    v.maxLength(50, message('Share the cases among at most 50 agents.', '最多分给 50 人。')),
  ),
});
const MergeSchema = v.object({ intoId: id('The case to merge into (its id or reference)', '要合并到的案件（编号或案件号）'), version });

const macroText = (max: number) =>
  v.object({
    'zh-CN': v.pipe(LocalizedText.entries['zh-CN'], v.maxLength(max, message(`The Chinese text is longer than ${max} characters.`, `中文内容超过 ${max} 个字符。`))),
    en: v.pipe(LocalizedText.entries.en, v.maxLength(max, message(`The English text is longer than ${max} characters.`, `英文内容超过 ${max} 个字符。`))),
  });
const MacroSchema = v.object({ name: macroText(100), body: macroText(20_000) });

export const complaintRoutes = new Hono<AppEnv>()
  .get('/complaints/cases', anyStaff(), async (c) => {
    const query = readQuery(c, QueueQuerySchema);
    const page = await service.listQueue(c.var.db, viewerOf(c.var.user!), query);
    recordReads(c, page.cases.filter((item) => item.personal).map((item) => item.customerId), ['name', 'contactName', 'description']);
    return c.json(page);
  })
  .post('/complaints/cases', anyStaff(), async (c) => {
    const input = await readJson(c, LogCaseSchema);
    return c.json({ case: await service.logCase(c.var.db, viewerOf(c.var.user!), input) }, 201);
  })
  .get('/complaints/cases/:id', anyStaff(), async (c) => {
    const found = await service.getCase(c.var.db, viewerOf(c.var.user!), c.req.param('id'));
    if (found.case.personal) recordReads(c, [found.case.customerId], ['name', 'email', 'phone', 'contactName', 'contactEmail', 'contactPhone', 'description', 'correspondence']);
    return c.json(found);
  })
  .patch('/complaints/cases/:id', workers, async (c) => {
    const input = await readJson(c, EditSchema);
    const item = await service.editFields(c.var.db, viewerOf(c.var.user!), c.req.param('id'), input);
    recordCaseReads(c, item);
    return c.json({ case: item });
  })
  .post('/complaints/cases/:id/transitions', workers, async (c) => {
    const input = await readJson(c, TransitionSchema);
    const item = await service.transition(c.var.db, viewerOf(c.var.user!), c.req.param('id'), input);
    recordCaseReads(c, item);
    return c.json({ case: item });
  })
  .post('/complaints/cases/:id/notes', workers, async (c) => {
    const input = await readJson(c, NoteSchema);
    return c.json({ event: await service.addNote(c.var.db, viewerOf(c.var.user!), c.req.param('id'), input) }, 201);
  })
  .post('/complaints/cases/:id/replies', workers, async (c) => {
    const input = await readJson(c, ReplySchema);
    const answer = await service.reply(c.var.db, c.var.config, viewerOf(c.var.user!), c.req.param('id'), input);
    recordCaseReads(c, answer.case);
    return c.json(answer, 201);
  })
  .post('/complaints/cases/:id/assign', workers, async (c) => {
    const input = await readJson(c, AssignSchema);
    const item = await service.assign(c.var.db, viewerOf(c.var.user!), c.req.param('id'), input);
    recordCaseReads(c, item);
    return c.json({ case: item });
  })
  .post('/complaints/cases/:id/merge', workers, async (c) => {
    const input = await readJson(c, MergeSchema);
    const answer = await service.merge(c.var.db, viewerOf(c.var.user!), c.req.param('id'), input);
    recordCaseReads(c, answer.case, answer.into);
    return c.json(answer);
  })
  .post('/complaints/cases/:id/status-link', workers, async (c) => {
    const input = await readJson(c, v.object({ version }));
    const item = await service.renewStatusLink(c.var.db, viewerOf(c.var.user!), c.req.param('id'), input);
    recordCaseReads(c, item);
    return c.json({ case: item });
  })
  .post('/complaints/assign', workers, async (c) => {
    const input = await readJson(c, BulkAssignSchema);
    return c.json(await service.bulkAssign(c.var.db, viewerOf(c.var.user!), input));
  })
  .post('/complaints/reassign', managers, async (c) => {
    const input = await readJson(c, ReassignSchema);
    return c.json(await service.reassignAll(c.var.db, viewerOf(c.var.user!), input));
  })
  .get('/complaints/agents', workers, async (c) => c.json({ agents: await service.listAgents(c.var.db) }))
  .get('/complaints/macros', workers, async (c) => c.json({ macros: await service.listMacros(c.var.db) }))
  .post('/complaints/macros', managers, async (c) => {
    const input = await readJson(c, MacroSchema);
    return c.json({ macro: await service.createMacro(c.var.db, viewerOf(c.var.user!), input) }, 201);
  })
  .put('/complaints/macros/:id', managers, async (c) => {
    const input = await readJson(c, MacroSchema);
    return c.json({ macro: await service.updateMacro(c.var.db, c.req.param('id'), input) });
  })
  .delete('/complaints/macros/:id', managers, async (c) => {
    await service.deleteMacro(c.var.db, c.req.param('id'));
    return c.json({ deleted: true });
  })
  // Everyone who logs or works cases reads the categories and targets; only managers and admins change them.
  .get('/complaints/settings', anyStaff(), async (c) => c.json({ settings: await readComplaintSettings(c.var.db) }))
  .put('/complaints/settings', managers, async (c) => {
    const settings = await readJson(c, ComplaintSettingsSchema);
    await saveComplaintSettings(c.var.db, settings, c.var.user!.id);
    return c.json({ settings: await readComplaintSettings(c.var.db) });
  });

export type ComplaintRoutes = typeof complaintRoutes;
