// The integration API (/api/v1) described as OpenAPI 3.1. Every request body and path parameter is converted by
// @valibot/to-json-schema from the very schemas the routes validate with, so the document cannot drift from what
// the routes take; the words beside each field are the schema's own messages, in the reader's language.
import { toJsonSchema, type ConversionConfig, type JsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';
import type { Locale, LocalizedText } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';
import { CustomerInput } from '../customers/rules.ts';
import { contactChannels, customerKinds, customerTiers } from '../customers/vocabulary.ts';
import { caseChannels, caseSeverities } from '../complaints/vocabulary.ts';
import type { ErrorCode } from '../errors.ts';
import { PurchaseBatchInput, PurchaseInput } from '../purchases/rules.ts';
import { ComplaintInput, EventInput, ExternalId } from './rules.ts';

type Schema = v.GenericSchema;

/** A message as valibot calls it, asked for its words alone: the field's description. */
function messageText(message: unknown, lang: Locale): string | undefined {
  if (typeof message === 'string') return message;
  if (typeof message !== 'function') return undefined;
  const text = (message as (issue: { lang: Locale; expected: null; received: string }) => unknown)({ lang, expected: null, received: 'unknown' });
  return typeof text === 'string' ? text : undefined;
}

const trimmedText = bilingual('Spaces around the value are removed before it is checked.', '检查前会去掉值前后的空格。');
const caseText = (upper: boolean) =>
  upper ? bilingual('Read in capitals.', '按大写读取。') : bilingual('Read in small letters.', '按小写读取。');

function addDescription(schema: JsonSchema, text: string | undefined): JsonSchema {
  if (!text) return schema;
  const now = (schema as { description?: string }).description;
  if (now?.includes(text)) return schema;
  return { ...schema, description: now ? `${now} ${text}` : text };
}

/**
 * The JSON Schema of what a caller sends (valibot's "input" type: checks before the first change of type). What
 * JSON Schema cannot say (a rule over two fields, a check in code) is said in words, from the same messages the
 * route answers with. Any other action the converter does not know fails the conversion, so a new rule cannot
 * slip by undocumented.
 */
export function requestSchema(schema: Schema, lang: Locale): JsonSchema {
  const config: ConversionConfig = {
    target: 'draft-2020-12',
    typeMode: 'input',
    errorMode: 'throw',
    overrideSchema: ({ valibotSchema, jsonSchema }) => {
      const text = messageText((valibotSchema as { message?: unknown }).message, lang);
      return text ? addDescription(jsonSchema, text) : undefined;
    },
    overrideAction: ({ valibotAction, jsonSchema }) => {
      switch (valibotAction.type) {
        case 'trim':
          return addDescription(jsonSchema, trimmedText[lang]);
        case 'to_lower_case':
        case 'to_upper_case':
          return addDescription(jsonSchema, caseText(valibotAction.type === 'to_upper_case')[lang]);
        // A JSON number is always finite.
        case 'finite':
          return jsonSchema;
        case 'check':
        case 'partial_check':
          return addDescription(jsonSchema, messageText((valibotAction as { message?: unknown }).message, lang) ?? '');
        default:
          return undefined;
      }
    },
  };
  const { $schema: _dialect, ...converted } = toJsonSchema(schema, config) as JsonSchema & { $schema?: string };
  return withoutRepeats(converted);
}

/** The choices of a union say again what the union says (its members carry the same message): said once. */
function withoutRepeats(schema: JsonSchema): JsonSchema {
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: Record<string, unknown> = { ...schema };
  for (const [key, value] of Object.entries(copy)) {
    if (key === 'anyOf' && Array.isArray(value)) {
      copy.anyOf = value.map((choice: JsonSchema) => {
        const cleaned = withoutRepeats(choice) as Record<string, unknown>;
        if (cleaned.description !== undefined && cleaned.description === copy.description) delete cleaned.description;
        return cleaned;
      });
    } else if (key === 'properties' && value && typeof value === 'object') {
      copy.properties = Object.fromEntries(Object.entries(value).map(([name, property]) => [name, withoutRepeats(property as JsonSchema)]));
    } else if (key === 'items' && value && typeof value === 'object') {
      copy.items = withoutRepeats(value as JsonSchema);
    }
  }
  return copy as JsonSchema;
}

// ---------- what the routes answer ----------
// The answers are built in code, not parsed; these schemas state their shape for callers, and the tests check
// every answer the routes give against them.

const Iso = v.pipe(v.string(), v.description('An ISO 8601 time in UTC, e.g. 2026-05-01T01:30:00.000Z.'));
const nullableText = v.nullable(v.string());

const CustomerAnswer = v.looseObject({
  id: v.string(),
  externalId: nullableText,
  kind: v.picklist(customerKinds),
  name: v.string(),
  contactName: nullableText,
  email: nullableText,
  phone: nullableText,
  postalAddress: nullableText,
  locale: v.picklist(['zh-CN', 'en']),
  timeZone: v.string(),
  region: nullableText,
  segment: nullableText,
  industry: nullableText,
  tier: v.picklist(customerTiers),
  tierSetByHand: v.boolean(),
  ownerId: nullableText,
  objectsToProfiling: v.boolean(),
  consents: v.object(Object.fromEntries(contactChannels.map((channel) => [channel, v.optional(v.array(v.string()))]))),
  doNotContact: v.boolean(),
  doNotCall: v.boolean(),
  preferredChannel: v.nullable(v.picklist(contactChannels)),
  createdAt: Iso,
  updatedAt: Iso,
});

const CustomerAnswerBody = v.object({
  customer: CustomerAnswer,
  consentKept: v.array(v.object({ consent: v.string(), reason: v.string() })),
});

const EventAnswerBody = v.object({
  event: v.object({
    id: v.string(),
    type: v.string(),
    customer: nullableText,
    campaign: v.string(),
    occurredAt: Iso,
    inviteAt: Iso,
    status: v.string(),
    invitationId: nullableText,
  }),
});

const ComplaintAnswerBody = v.object({
  complaint: v.object({
    id: v.string(),
    reference: v.string(),
    externalId: nullableText,
    status: v.string(),
    category: v.string(),
    severity: v.picklist(caseSeverities),
    channel: v.picklist(caseChannels),
    customerId: nullableText,
    statusUrl: v.pipe(v.string(), v.description("The customer's status page: share it with the customer, nobody else.")),
    createdAt: Iso,
  }),
});

const PurchasesAnswerBody = v.object({
  created: v.pipe(v.number(), v.integer()),
  unchanged: v.pipe(v.number(), v.integer()),
  purchases: v.array(v.object({ orderId: v.string(), status: v.picklist(['created', 'unchanged']) })),
});

const errorCodes = ['bad_request', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'gone', 'too_large', 'too_many'] as const satisfies readonly ErrorCode[];

const Bilingual = v.object({ en: v.string(), 'zh-CN': v.string() });
/** The body of every error (server/app.ts): the message in the request's language, and both under `messages`. */
export const ErrorBody = v.looseObject({
  error: v.pipe(v.string(), v.description('What went wrong and what to do, in the language of Accept-Language (zh-CN or en).')),
  code: v.picklist([...errorCodes, 'server_error']),
  fields: v.optional(v.pipe(v.record(v.string(), v.string()), v.description('A message per field, keyed by its path (e.g. "purchases.2.amount").'))),
  messages: v.optional(v.object({ error: Bilingual, fields: v.record(v.string(), Bilingual) })),
  moreProblems: v.optional(v.pipe(v.number(), v.description('How many problems beyond the first 20 were not listed.'))),
});

/** The JSON Schema of an answer. */
export function answerSchema(schema: Schema): JsonSchema {
  const { $schema: _dialect, ...converted } = toJsonSchema(schema, { target: 'draft-2020-12', errorMode: 'throw' }) as JsonSchema & { $schema?: string };
  return converted;
}

// ---------- the operations ----------

interface Answer {
  description: LocalizedText;
  schema: Schema;
  example: unknown;
}

export interface Operation {
  method: 'get' | 'put' | 'post';
  /** As OpenAPI writes it under /api/v1: /customers/{externalId}. */
  path: string;
  operationId: string;
  summary: LocalizedText;
  description: LocalizedText;
  pathParameters?: Record<string, { schema: Schema; example: string }>;
  body: { schema: Schema; examples: Record<string, { summary: LocalizedText; value: unknown }> };
  answers: Record<string, Answer>;
  /** The errors this operation answers besides 400, 401, 403 and 413, and when. */
  errors: Partial<Record<404 | 409 | 410, LocalizedText>>;
}

const customerExample = {
  customer: {
    id: '0f8b5c1e-3c1d-4a51-9d1e-6b7a2f4c9e10',
    externalId: 'C-1001',
    kind: 'individual',
    name: 'Li Wei',
    contactName: null,
    email: 'li.wei@example.com',
    phone: null,
    postalAddress: null,
    locale: 'zh-CN',
    timeZone: 'Asia/Shanghai',
    region: null,
    segment: null,
    industry: null,
    tier: 'ordinary',
    tierSetByHand: false,
    ownerId: null,
    objectsToProfiling: false,
    consents: { email: ['survey'] },
    doNotContact: false,
    doNotCall: false,
    preferredChannel: 'email',
    createdAt: '2026-05-01T01:30:00.000Z',
    updatedAt: '2026-05-01T01:30:00.000Z',
  },
  consentKept: [],
};

const eventExample = {
  event: {
    id: 'order-5521',
    type: 'purchase',
    customer: 'C-1001',
    campaign: '7d9f2a64-0c55-4bde-8f3e-51a0c3b7e2d1',
    occurredAt: '2026-05-01T01:30:00.000Z',
    inviteAt: '2026-05-02T01:30:00.000Z',
    status: 'scheduled',
    invitationId: null,
  },
};

const complaintExample = {
  complaint: {
    id: '3b6f0d8e-9a27-4c1b-b5e4-2f7c8d1a6e93',
    reference: 'C-2026-000001',
    externalId: 'ticket-7781',
    status: 'new',
    category: 'delivery',
    severity: 'major',
    channel: 'integration',
    customerId: '0f8b5c1e-3c1d-4a51-9d1e-6b7a2f4c9e10',
    statusUrl: 'http://127.0.0.1:3000/c/q8Zt3VwN5rXk2LmP7yHc4D',
    createdAt: '2026-05-01T01:30:00.000Z',
  },
};

export const operations: Operation[] = [
  {
    method: 'put',
    path: '/customers/{externalId}',
    operationId: 'putCustomer',
    summary: bilingual('Create or replace a customer by your own id', '按您系统中的编号创建或替换客户'),
    description: bilingual(
      'Creates the customer with this external id (201), or replaces the fields of the one that has it (200). Leave "preferredChannel" out to keep it, or send null to clear it. Consent the customer withdrew themselves is not given back by sending it again: the rest is applied and "consentKept" says what stayed withdrawn and why; send "consentRecord": {"renewed": [...], "note": "..."} when the customer consented again.',
      '创建具有该外部编号的客户（201），或替换已有客户的字段（200）。省略 "preferredChannel" 则保留原值，发送 null 则清除。客户本人撤回的同意不会因再次发送而恢复：其余字段照常更新，"consentKept" 列出仍保持撤回的同意及原因；客户重新同意时，请发送 "consentRecord": {"renewed": [...], "note": "..."}。',
    ),
    pathParameters: { externalId: { schema: ExternalId, example: 'C-1001' } },
    body: {
      schema: CustomerInput,
      examples: {
        customer: {
          summary: bilingual('A customer who may be surveyed by email', '可通过电子邮件调查的客户'),
          value: { name: 'Li Wei', email: 'li.wei@example.com', locale: 'zh-CN', preferredChannel: 'email', consents: { email: ['survey'] } },
        },
        renewed: {
          summary: bilingual('Consent the customer gave again', '客户再次给予的同意'),
          value: {
            name: 'Li Wei',
            email: 'li.wei@example.com',
            consents: { email: ['survey'] },
            consentRecord: { renewed: ['email.survey'], note: 'Ticked the survey box at checkout, order 88123' },
          },
        },
      },
    },
    answers: {
      '200': { description: bilingual('The customer was there and is replaced.', '客户已存在，已被替换。'), schema: CustomerAnswerBody, example: customerExample },
      '201': { description: bilingual('The customer is created.', '客户已创建。'), schema: CustomerAnswerBody, example: customerExample },
    },
    errors: {
      409: bilingual('Another customer has this email, or consent withdrawn by staff is given back without a consentRecord.', '其他客户已使用该电子邮件，或在没有 consentRecord 的情况下恢复了员工记录的撤回。'),
      410: bilingual(
        'The customer with this external id or email asked for their data to be erased: they are not added or filled in again.',
        '拥有该外部编号或电子邮件的客户已要求删除其数据：不会再次添加或补全。',
      ),
    },
  },
  {
    method: 'post',
    path: '/events',
    operationId: 'reportEvent',
    summary: bilingual('Report an event that invites its customer to a survey', '报告一个事件，邀请其客户参与调查'),
    description: bilingual(
      "Records the event and schedules its invitation at the event's time plus the campaign's delay, on the customer's preferred channel, subject to the contact rule. The same event id again from the same key answers 200 with the event already recorded and changes nothing. An event with an \"amount\" is also stored as a purchase of its customer (\"orderId\" defaults to the event's id).",
      '记录该事件，并在事件时间加上活动延迟后，按客户的首选渠道、在联系规则允许时发出邀请。同一密钥再次发送同一事件编号时返回 200 和已记录的事件，不做任何改变。带有 "amount" 的事件同时作为该客户的购买记录保存（"orderId" 默认为事件编号）。',
    ),
    body: {
      schema: EventInput,
      examples: {
        event: {
          summary: bilingual('A purchase that invites to a survey', '邀请参与调查的购买事件'),
          value: { id: 'order-5521', type: 'purchase', customer: 'C-1001', campaign: '<campaign id>', occurredAt: '2026-05-01T09:30:00+08:00' },
        },
        withAmount: {
          summary: bilingual('An event that is also a purchase', '同时是购买记录的事件'),
          value: { id: 'order-5522', type: 'purchase', customer: 'C-1001', campaign: '<campaign id>', occurredAt: '2026-05-06T09:30:00+08:00', orderId: 'A-10003', amount: '45.00', currency: 'CNY' },
        },
      },
    },
    answers: {
      '200': { description: bilingual('This event id was reported before: the event as recorded then.', '该事件编号已报告过：返回当时记录的事件。'), schema: EventAnswerBody, example: eventExample },
      '202': { description: bilingual('The event is recorded and its invitation scheduled.', '事件已记录，邀请已排期。'), schema: EventAnswerBody, example: eventExample },
    },
    errors: {
      404: bilingual('No campaign has this id, or no customer has this external id.', '没有该编号的活动，或没有该外部编号的客户。'),
      409: bilingual("The campaign is not running, or the event's purchase conflicts with an order stored with other content.", '活动未在运行，或事件的购买记录与已保存的不同内容的订单冲突。'),
    },
  },
  {
    method: 'post',
    path: '/complaints',
    operationId: 'reportComplaint',
    summary: bilingual('Report a complaint, which becomes a case', '报告投诉，生成一个案件'),
    description: bilingual(
      'Opens a case that agents work like any other. Name a known customer by "customer.externalId" or "customer.email", or give "contact" details. The same "externalId" again from the same key answers 200 with the same case. "statusUrl" is the customer\'s status page.',
      '生成一个案件，由客服像其他案件一样处理。通过 "customer.externalId" 或 "customer.email" 指明已有客户，或提供 "contact" 联系信息。同一密钥再次发送同一 "externalId" 时返回 200 和同一个案件。"statusUrl" 是客户的状态页面。',
    ),
    body: {
      schema: ComplaintInput,
      examples: {
        customer: {
          summary: bilingual('A known customer complains', '已有客户投诉'),
          value: {
            externalId: 'ticket-7781',
            customer: { externalId: 'C-1001' },
            category: 'delivery',
            severity: 'major',
            description: 'The parcel arrived a week late and the box was crushed.',
            desiredOutcome: 'A replacement',
            orderValue: 1299,
            contactConsent: true,
          },
        },
        contact: {
          summary: bilingual('Someone not yet a customer complains', '尚不是客户的人投诉'),
          value: {
            externalId: 'ticket-7782',
            contact: { name: 'Wang Fang', email: 'wang.fang@example.com' },
            category: 'billing',
            description: 'Charged twice for one order.',
            locale: 'zh-CN',
            contactConsent: true,
            channel: 'email',
          },
        },
      },
    },
    answers: {
      '200': { description: bilingual('This externalId was reported before: the same case.', '该 externalId 已报告过：返回同一个案件。'), schema: ComplaintAnswerBody, example: complaintExample },
      '201': { description: bilingual('The case is opened.', '案件已创建。'), schema: ComplaintAnswerBody, example: complaintExample },
    },
    errors: { 404: bilingual('No customer has this external id or email.', '没有该外部编号或电子邮件的客户。') },
  },
  {
    method: 'post',
    path: '/purchases',
    operationId: 'sendPurchases',
    summary: bilingual('Send purchases and refunds, one or a batch', '发送购买和退款记录，单条或批量'),
    description: bilingual(
      'One purchase (an object with "orderId"), or a batch {"purchases": [...]} of up to 1,000, stored all together or not at all: one refused purchase refuses the batch, the answer naming every problem by its place ("purchases.2.amount"). A refund has "refundOf" and a negative "amount", or no amount to refund the rest of its order, and may leave out "customer". The same purchase again changes nothing.',
      '单条购买记录（带 "orderId" 的对象），或批量 {"purchases": [...]}，最多 1,000 条，全部保存或全部不保存：一条被拒绝则整批被拒绝，并按位置（"purchases.2.amount"）列出每个问题。退款带有 "refundOf" 和负数 "amount"，或省略金额以退还原订单的剩余金额，可省略 "customer"。再次发送同一购买记录不会有任何改变。',
    ),
    body: {
      schema: v.union([PurchaseInput, PurchaseBatchInput]),
      examples: {
        one: {
          summary: bilingual('One purchase', '单条购买记录'),
          value: { orderId: 'A-10001', customer: 'C-1001', occurredAt: '2026-05-01T09:30:00+08:00', amount: '1299.00', currency: 'CNY', channel: 'web' },
        },
        batch: {
          summary: bilingual('A batch with refunds', '带退款的批量记录'),
          value: {
            purchases: [
              { orderId: 'A-10002', customer: 'C-1001', occurredAt: '2026-05-03T14:00:00+08:00', amount: 88.5, channel: 'store' },
              { orderId: 'R-10001', refundOf: 'A-10001', occurredAt: '2026-05-04T10:00:00+08:00', amount: '-299.00' },
              { orderId: 'R-10002', refundOf: 'A-10002', occurredAt: '2026-05-05T10:00:00+08:00' },
            ],
          },
        },
      },
    },
    answers: {
      '200': {
        description: bilingual('Every order was stored before with the same content.', '每个订单都已以相同内容保存过。'),
        schema: PurchasesAnswerBody,
        example: { created: 0, unchanged: 1, purchases: [{ orderId: 'A-10001', status: 'unchanged' }] },
      },
      '201': {
        description: bilingual('Something was stored.', '已保存新的记录。'),
        schema: PurchasesAnswerBody,
        example: { created: 1, unchanged: 0, purchases: [{ orderId: 'A-10001', status: 'created' }] },
      },
    },
    errors: {
      404: bilingual('An unknown customer, or an unknown order refunded.', '客户不存在，或被退款的订单不存在。'),
      409: bilingual('An order id stored with other content.', '该订单编号已以不同内容保存。'),
    },
  },
];

// ---------- the document ----------

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413;
const errorText: Record<ErrorStatus, LocalizedText> = {
  400: bilingual('The body is not JSON, or a field is wrong: "fields" names each one to fix.', '内容不是 JSON，或有字段不正确："fields" 列出每个需更正的字段。'),
  401: bilingual('No API key, or one that was revoked or never existed.', '没有 API 密钥，或密钥已被吊销或不存在。'),
  403: bilingual(
    'The body was sent with a content type a web form can send (text/plain, form-urlencoded, multipart): send it as JSON with Content-Type: application/json.',
    '请求内容使用了网页表单也能发送的类型（text/plain、form-urlencoded、multipart）：请以 JSON 发送，并带 Content-Type: application/json。',
  ),
  404: bilingual('Not found.', '找不到。'),
  409: bilingual('Conflict.', '冲突。'),
  410: bilingual('Gone: erased at the customer’s request.', '已删除：应客户要求删除。'),
  413: bilingual('The body is over 1 MB.', '请求内容超过 1 MB。'),
};

const errorExamples: Record<400 | 401, unknown> = {
  400: {
    error: 'Please correct: name: Enter the name.',
    code: 'bad_request',
    fields: { name: 'Enter the name.' },
    messages: { error: { en: 'Please correct: name: Enter the name.', 'zh-CN': '请更正：name：请输入名称。' }, fields: { name: { en: 'Enter the name.', 'zh-CN': '请输入名称。' } } },
  },
  401: {
    error: 'Send your API key as "Authorization: Bearer <key>". An admin creates keys on the Integrations page.',
    code: 'unauthorized',
    fields: {},
    messages: {
      error: {
        en: 'Send your API key as "Authorization: Bearer <key>". An admin creates keys on the Integrations page.',
        'zh-CN': '请以 “Authorization: Bearer <密钥>” 发送 API 密钥。管理员可在“集成”页面创建密钥。',
      },
      fields: {},
    },
  },
};

const documentText = {
  title: bilingual('Satisfaction platform integration API', '满意度平台集成接口'),
  intro: bilingual(
    'How other systems (a shop, a booking system, a help desk) keep customers up to date, report events, complaints and purchases. Every call sends "Authorization: Bearer <key>" with a key an admin creates on the Integrations page, and JSON with "Content-Type: application/json". Errors answer the same JSON everywhere: "error" in the language of Accept-Language (zh-CN or en), "code", "fields" by path, and both languages under "messages".',
    '其他系统（网店、预订系统、客服系统）如何同步客户、报告事件、投诉和购买记录。每次调用都需发送 “Authorization: Bearer <密钥>”（密钥由管理员在“集成”页面创建），并以 JSON 发送内容，带请求头 “Content-Type: application/json”。所有错误的 JSON 格式相同："error" 使用 Accept-Language 指定的语言（zh-CN 或 en），"code"，按路径列出的 "fields"，以及 "messages" 下的两种语言。',
  ),
  key: bilingual('An API key, sent as "Authorization: Bearer sk_...".', 'API 密钥，以 “Authorization: Bearer sk_...” 发送。'),
  language: bilingual('zh-CN or en: the language of "error" and "fields".', 'zh-CN 或 en："error" 和 "fields" 使用的语言。'),
};

const jsonContent = (schema: JsonSchema, example?: unknown, examples?: Record<string, { summary: string; value: unknown }>) => ({
  'application/json': { schema, ...(example === undefined ? {} : { example }), ...(examples ? { examples } : {}) },
});

/** The OpenAPI 3.1 document of /api/v1 in one language; `baseUrl` is where the server is reached (PUBLIC_URL). */
export function openApiDocument(lang: Locale, baseUrl: string) {
  const errorSchema = answerSchema(ErrorBody);
  const errorAnswer = (status: ErrorStatus, text?: LocalizedText) => ({
    description: (text ?? errorText[status])[lang],
    content: jsonContent({ $ref: '#/components/schemas/Error' }, status === 400 || status === 401 ? errorExamples[status] : undefined),
  });
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    const responses: Record<string, unknown> = {};
    for (const [status, answer] of Object.entries(operation.answers)) {
      responses[status] = { description: answer.description[lang], content: jsonContent(answerSchema(answer.schema), answer.example) };
    }
    responses['400'] = errorAnswer(400);
    responses['401'] = errorAnswer(401);
    responses['403'] = errorAnswer(403);
    for (const [status, text] of Object.entries(operation.errors)) responses[status] = errorAnswer(Number(status) as ErrorStatus, text);
    responses['413'] = errorAnswer(413);
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method] = {
      operationId: operation.operationId,
      summary: operation.summary[lang],
      description: operation.description[lang],
      parameters: [
        ...Object.entries(operation.pathParameters ?? {}).map(([name, parameter]) => ({
          name,
          in: 'path',
          required: true,
          schema: requestSchema(parameter.schema, lang),
          example: parameter.example,
        })),
        { name: 'Accept-Language', in: 'header', required: false, schema: { type: 'string', enum: ['zh-CN', 'en'] }, description: documentText.language[lang] },
      ],
      requestBody: {
        required: true,
        content: jsonContent(
          requestSchema(operation.body.schema, lang),
          undefined,
          Object.fromEntries(Object.entries(operation.body.examples).map(([name, example]) => [name, { summary: example.summary[lang], value: example.value }])),
        ),
      },
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: documentText.title[lang], version: '1', description: documentText.intro[lang] },
    servers: [{ url: `${baseUrl}/api/v1` }],
    security: [{ apiKey: [] }],
    paths,
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: documentText.key[lang] } },
      schemas: { Error: errorSchema },
    },
  };
}
export type OpenApiDocument = ReturnType<typeof openApiDocument>;
