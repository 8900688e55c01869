// The integration API's OpenAPI document: it names every /api/v1 route the app serves, is valid OpenAPI 3.1,
// its examples are taken by the routes and its answers are what the routes answer, and a body its schemas
// refuse is refused by the route too, at the same field.
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign, launchCampaign } from '../server/campaigns/service.ts';
import { answerSchema, ErrorBody, type OpenApiDocument } from '../server/integrations/openapi.ts';
import { signedInAs, startTestApp, type TestApp } from './support/app.ts';

// Both packages are CommonJS with a default export.
const Ajv2020 = (Ajv2020Module as unknown as { default: typeof Ajv2020Module }).default ?? Ajv2020Module;
const addFormats = (addFormatsModule as unknown as { default: typeof addFormatsModule }).default ?? addFormatsModule;

let test: TestApp;
let secret: string;
let campaignId: string;
let document: OpenApiDocument;
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
addFormats(ajv);

type Json = Record<string, any>;
const operationOf = (method: string, path: string) => (document.paths as Json)[path]?.[method] as Json | undefined;
const bodySchemaOf = (method: string, path: string) => operationOf(method, path)!.requestBody.content['application/json'].schema as Json;

function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return test.app.request(`/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

beforeAll(async () => {
  test = await startTestApp();
  const admin = await signedInAs(test, 'admin');
  secret = (await (await admin.request('POST', '/api/integrations/keys', { name: 'Shop system' })).json()).secret;
  const manager = await signedInAs(test, 'manager');
  const survey = (await (await manager.request('POST', '/api/surveys', { templateId: 'expectation-experience' })).json()).survey;
  expect((await manager.request('POST', `/api/surveys/${survey.id}/publish`)).status).toBe(200);
  const draft = await createCampaign(test.db, { name: 'After purchase', surveyId: survey.id, delivery: 'event', settings: { event: { delayHours: 24, eventTypes: [] } } }, null);
  campaignId = (await launchCampaign(test.db, draft.id)).id;
  const response = await test.app.request('/api/v1/openapi.json');
  expect(response.status).toBe(200);
  document = await response.json();
});
afterAll(() => test?.close());

describe('the document', () => {
  it('names every /api/v1 route the app serves, with its method', () => {
    const served = test.app.routes
      .filter((route) => route.path.startsWith('/api/v1/') && route.method !== 'ALL')
      .map((route) => `${route.method.toLowerCase()} ${route.path.slice('/api/v1'.length).replace(/:(\w+)/g, '{$1}')}`)
      .filter((route) => route !== 'get /openapi.json' && route !== 'get /docs');
    const documented = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`));
    expect(served.length).toBeGreaterThanOrEqual(4);
    expect(new Set(documented)).toEqual(new Set(served));
  });

  it('is valid OpenAPI 3.1, every operation behind the Bearer key with its errors', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document as unknown as Json);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(document.security).toEqual([{ apiKey: [] }]);
    expect(document.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const methods of Object.values(document.paths)) {
      for (const operation of Object.values(methods) as Json[]) {
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['400', '401', '403', '413']));
        expect(operation.responses['401'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
      }
    }
  });

  it('says a customer erased at their request is gone (410), as the route answers', () => {
    const put = operationOf('put', '/customers/{externalId}')!;
    expect(put.responses['410'].description).toMatch(/asked for their data to be erased/);
    expect(put.responses['410'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
  });

  it('is public and cacheable, in the language asked for', async () => {
    const english = await test.app.request('/api/v1/openapi.json');
    expect(english.headers.get('cache-control')).toBe('public, max-age=3600');
    const chinese = await (await test.app.request('/api/v1/openapi.json?lang=zh-CN')).json();
    expect(chinese.info.title).toBe('满意度平台集成接口');
    expect(chinese.paths['/events'].post.requestBody.content['application/json'].schema.properties.id.description).toContain('事件的编号');
    const byHeader = await (await test.app.request('/api/v1/openapi.json', { headers: { 'accept-language': 'zh-CN' } })).json();
    expect(byHeader.info.title).toBe('满意度平台集成接口');
    const wrong = await test.app.request('/api/v1/openapi.json?lang=fr');
    expect(wrong.status).toBe(400);
    expect(wrong.headers.get('cache-control')).toBeNull();
    expect((await wrong.json()).fields.lang).toBe('"lang" is zh-CN or en.');
  });

  it('describes the error body the app answers with, for each error every operation documents', async () => {
    const validate = ajv.compile(document.components.schemas.Error);
    const answers = {
      401: await test.app.request('/api/v1/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
      403: await call('POST', '/events', {}, { 'content-type': 'text/plain' }),
      413: await call('POST', '/purchases', { orderId: 'x'.repeat(1024 * 1024) }),
    };
    for (const [status, response] of Object.entries(answers)) {
      expect(response.status).toBe(Number(status));
      expect(validate(await response.json()), `${status}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });
});

describe('the examples', () => {
  it('are valid by the document and taken by the routes, which answer as documented', async () => {
    // In the order a system would send them: the customer first, then what refers to it.
    const order = ['/customers/{externalId}', '/events', '/complaints', '/purchases'];
    expect([...order].sort()).toEqual(Object.keys(document.paths).sort());
    let sent = 0;
    for (const path of order) {
      for (const [method, operation] of Object.entries((document.paths as Json)[path]) as [string, Json][]) {
        const content = operation.requestBody.content['application/json'];
        const validate = ajv.compile(content.schema);
        const parameters = (operation.parameters as Json[]).filter((parameter) => parameter.in === 'path');
        const url = parameters.reduce((built, parameter) => built.replace(`{${parameter.name}}`, parameter.example), path);
        for (const [name, example] of Object.entries(content.examples) as [string, Json][]) {
          expect(validate(example.value), `${path} ${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
          const body = JSON.parse(JSON.stringify(example.value).replaceAll('<campaign id>', campaignId));
          const response = await call(method.toUpperCase(), url, body);
          const answer = await response.json();
          const documented = operation.responses[String(response.status)];
          expect(documented, `${path} ${name} answered ${response.status}: ${JSON.stringify(answer)}`).toBeDefined();
          expect(response.status, JSON.stringify(answer)).toBeLessThan(300);
          const answers = ajv.compile(documented.content['application/json'].schema);
          expect(answers(answer), `${path} ${name}: ${JSON.stringify(answers.errors)}`).toBe(true);
          expect(answers(documented.content['application/json'].example), `${path} ${name} example answer`).toBe(true);
          sent++;
        }
      }
    }
    expect(sent).toBe(8);
  });
});

describe('a body the document refuses', () => {
  const cases: { name: string; method: string; path: string; url: string; body: unknown; field: string }[] = [
    { name: 'a customer without a name', method: 'put', path: '/customers/{externalId}', url: '/customers/C-2001', body: { email: 'a@example.com' }, field: 'name' },
    { name: 'a customer of an unknown kind', method: 'put', path: '/customers/{externalId}', url: '/customers/C-2001', body: { name: 'A', kind: 'robot' }, field: 'kind' },
    { name: 'an event without its campaign', method: 'post', path: '/events', url: '/events', body: { id: 'e-1', type: 'purchase', customer: 'C-1001' }, field: 'campaign' },
    { name: 'an event type with spaces inside', method: 'post', path: '/events', url: '/events', body: { id: 'e-1', type: 'buy now', customer: 'C-1001', campaign: 'x' }, field: 'type' },
    { name: 'a complaint of an unknown severity', method: 'post', path: '/complaints', url: '/complaints', body: { externalId: 't-1', customer: { externalId: 'C-1001' }, category: 'delivery', severity: 'huge', description: 'Late.' }, field: 'severity' },
    { name: 'a complaint too long', method: 'post', path: '/complaints', url: '/complaints', body: { externalId: 't-1', customer: { externalId: 'C-1001' }, category: 'delivery', description: 'x'.repeat(5001) }, field: 'description' },
    { name: 'a purchase on no date', method: 'post', path: '/purchases', url: '/purchases', body: { orderId: 'A-1', customer: 'C-1001', occurredAt: 'yesterday', amount: 1 }, field: 'occurredAt' },
    { name: 'a purchase whose amount is true', method: 'post', path: '/purchases', url: '/purchases', body: { orderId: 'A-1', customer: 'C-1001', occurredAt: '2026-05-01T09:30:00+08:00', amount: true }, field: 'amount' },
    {
      name: 'a batch of 1,001 purchases',
      method: 'post',
      path: '/purchases',
      url: '/purchases',
      body: { purchases: Array.from({ length: 1001 }, (_, index) => ({ orderId: `B-${index}`, customer: 'C-1001', occurredAt: '2026-05-01T09:30:00+08:00', amount: 1 })) },
      field: 'purchases',
    },
  ];

  it.each(cases)('is refused by the route at the same field: $name', async ({ method, path, url, body, field }) => {
    const validate = ajv.compile(bodySchemaOf(method, path));
    expect(validate(body)).toBe(false);
    const response = await call(method.toUpperCase(), url, body);
    const answer = await response.json();
    expect(response.status, JSON.stringify(answer)).toBe(400);
    expect(Object.keys(answer.fields)).toContain(field);
    expect(ajv.compile(answerSchema(ErrorBody))(answer)).toBe(true);
  });

  it('and a path parameter it refuses is refused too', async () => {
    const [parameter] = (operationOf('put', '/customers/{externalId}')!.parameters as Json[]).filter((each) => each.in === 'path');
    const tooLong = 'C'.repeat(65);
    expect(ajv.compile(parameter!.schema)(tooLong)).toBe(false);
    const response = await call('PUT', `/customers/${tooLong}`, { name: 'A' });
    expect(response.status).toBe(400);
  });
});

describe('the reference page', () => {
  it('is served without a key, from the document, in either language', async () => {
    const response = await test.app.request('/api/v1/docs', { headers: { 'accept-language': 'en' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const page = await response.text();
    for (const path of Object.keys(document.paths)) expect(page).toContain(path);
    expect(page).toContain('purchases[].amount');
    expect(page).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)/);
    const chinese = await (await test.app.request('/api/v1/docs?lang=zh-CN')).text();
    expect(chinese).toContain('<html lang="zh-CN">');
    expect(chinese).toContain('请求内容');
  });
});
