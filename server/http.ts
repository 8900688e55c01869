// Request helpers shared by every area: the reader's language, the client's address and validated JSON bodies.
import { BlockList, isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { rateLimiter } from 'hono-rate-limiter';
import * as v from 'valibot';
import type { Locale, LocalizedText } from '../surveys/definition.ts';
import { bilingual, message, pickLocale } from '../surveys/i18n.ts';
import '../surveys/valibot-zh.ts';
import { DomainError, firstProblems, omittedText } from './errors.ts';

/** The staff app sends x-locale with the language chosen on screen; otherwise the browser's. */
export function localeOf(c: Context): Locale {
  return pickLocale(c.req.header('x-locale') ?? c.req.header('accept-language'));
}

const proxyLists = new WeakMap<readonly string[], BlockList>();

/** TRUST_PROXY's addresses and ranges as a BlockList, built once per configuration. */
function proxyList(entries: readonly string[]): BlockList {
  let list = proxyLists.get(entries);
  if (!list) {
    list = new BlockList();
    for (const entry of entries) {
      const [address, prefix] = entry.split('/') as [string, string | undefined];
      const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) list.addAddress(address, type);
      else list.addSubnet(address, Number(prefix), type);
    }
    proxyLists.set(entries, list);
  }
  return list;
}

/** An address as written in a socket or a header: IPv4-mapped IPv6 (::ffff:10.0.0.1) becomes plain IPv4. */
function plainAddress(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(trimmed);
  return mapped ? mapped[1]! : trimmed;
}

/**
 * The key an address is counted under: an IPv4 address itself, an IPv6 address its /64 network
 * ("2001:db8:1:2::/64"), since one host or home usually holds a whole /64 and could step through it.
 */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head = '', tail] = address.split('%')[0]!.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  // An IPv4 ending (64:ff9b::192.0.2.1) takes the room of two groups.
  const rightGroups = right.reduce((count, group) => count + (group.includes('.') ? 2 : 1), 0);
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - rightGroups)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((group) => parseInt(group, 16).toString(16)).join(':')}::/64`;
}

function isTrusted(entries: readonly string[], address: string): boolean {
  if (entries.length === 0) return false;
  const family = isIP(address);
  return family !== 0 && proxyList(entries).check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The peer of the TCP connection; undefined when there is none (a request made in-process, as tests do). */
function socketAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/**
 * The client's address, as counted by the sign-in throttle and the rate limit (see addressKey: an IPv6
 * address stands for its /64): the connection's peer, unless that peer is a proxy named in TRUST_PROXY. Then
 * X-Forwarded-For is read from the right, skipping trusted proxies, and the first address no trusted proxy
 * vouches for is the client (entries further left are whatever the client chose to send). Undefined when
 * the request came through no socket.
 */
export function clientAddress(c: Context): string | undefined {
  const address = clientPeerAddress(c);
  return address === undefined ? undefined : addressKey(address);
}

function clientPeerAddress(c: Context): string | undefined {
  const peer = socketAddress(c);
  if (peer === undefined) return undefined;
  const trusted: readonly string[] = c.var.config?.trustProxy ?? [];
  let address = plainAddress(peer);
  if (!isTrusted(trusted, address)) return address;
  const hops = (c.req.header('x-forwarded-for') ?? '').split(',');
  for (let index = hops.length - 1; index >= 0; index--) {
    const hop = plainAddress(hops[index]!);
    if (hop === '') continue;
    // Anything that is not an address ends the walk at the last proxy that wrote a good one.
    if (isIP(hop) === 0) return address;
    address = hop;
    if (!isTrusted(trusted, hop)) return hop;
  }
  return address;
}

/** Parse a JSON body with a valibot schema; problems become a 400 with a message per field. */
export async function readJson<TSchema extends v.GenericSchema>(
  c: Context,
  schema: TSchema,
): Promise<v.InferOutput<TSchema>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    const sent = c.req.header('content-type');
    if (sent === undefined || !/^application\/(?:[\w.-]+\+)?json\b/i.test(sent)) {
      throw new DomainError(
        'bad_request',
        bilingual(
          `The request body must be JSON, sent with the header Content-Type: application/json (this request sent ${sent ? `Content-Type ${sent}` : 'no Content-Type'}).`,
          `请求内容必须是 JSON，并带有请求头 Content-Type: application/json（本次请求${sent ? `的 Content-Type 为 ${sent}` : '没有 Content-Type'}）。`,
        ),
      );
    }
    throw new DomainError('bad_request', bilingual('The request body must be JSON.', '请求内容必须是 JSON。'));
  }
  return parseInput(schema, body, localeOf(c));
}

export function parseInput<TSchema extends v.GenericSchema>(
  schema: TSchema,
  input: unknown,
  lang: Locale,
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, input, { lang });
  if (result.success) return result.output;
  return invalidInput((other) => v.safeParse(schema, input, { lang: other }), lang);
}

/**
 * The 400 for input a schema refused: every problem (up to 20) by its field's path (after `pathPrefix`), each
 * in both languages, so a page switched to the other language can show them without asking again.
 * `parse` runs the same check in a given language.
 */
export function invalidInput(
  parse: (lang: Locale) => { issues?: readonly v.BaseIssue<unknown>[] | undefined },
  lang: Locale,
  pathPrefix = '',
): never {
  const issues = parse(lang).issues ?? [];
  const other = parse(lang === 'en' ? 'zh-CN' : 'en').issues ?? [];
  const all = new Map<string, LocalizedText>();
  issues.forEach((issue, index) => {
    const path = `${pathPrefix}${v.getDotPath(issue) ?? ''}`.replace(/\.$/, '');
    const otherMessage = other[index]?.message ?? issue.message;
    if (!all.has(path)) {
      all.set(path, lang === 'en' ? bilingual(issue.message, otherMessage) : bilingual(otherMessage, issue.message));
    }
  });
  const { shown: fields, omitted } = firstProblems(Object.fromEntries(all));
  const more = omittedText(omitted);
  const [path, text] = Object.entries(fields)[0] ?? ['', bilingual('The input is not valid.', '输入无效。')];
  throw new DomainError(
    'bad_request',
    bilingual(
      `Please correct: ${path ? `${path}: ` : ''}${text.en}${more.en}`,
      `请更正：${path ? `${path}：` : ''}${text['zh-CN']}${more['zh-CN']}`,
    ),
    fields,
    omitted > 0 ? { moreProblems: omitted } : {},
  );
}

const limitText = message('"limit" must be a whole number from 1 to 200.', '"limit" 必须是 1 到 200 之间的整数。');

/** ?before=&limit= on list routes: `before` is the previous page's nextBefore; 50 rows unless asked. */
export const PageQuery = {
  before: v.optional(
    v.pipe(v.string(), v.regex(/^\d+_.+$/, message('"before" must be the nextBefore of the previous page.', '"before" 必须是上一页返回的 nextBefore。'))),
  ),
  limit: v.optional(
    v.pipe(v.string(), v.regex(/^\d{1,3}$/, limitText), v.transform(Number), v.number(), v.minValue(1, limitText), v.maxValue(200, limitText)),
    '50',
  ),
};

/** Parse the query string with a valibot schema; problems become a 400 like a bad body. */
export function readQuery<TSchema extends v.GenericSchema>(c: Context, schema: TSchema): v.InferOutput<TSchema> {
  return parseInput(schema, c.req.query(), localeOf(c));
}

/** The request carries no body: no Transfer-Encoding, and no Content-Length or a zero one. */
export function hasNoBody(c: Context): boolean {
  const declared = c.req.header('content-length');
  return c.req.header('transfer-encoding') === undefined && (declared === undefined || Number(declared) === 0);
}

/** A body is over the limit by its declared Content-Length (a chunked body declares none). */
export function declaredOver(c: Context, maxBytes: number): boolean {
  const declared = c.req.header('content-length');
  return declared !== undefined && c.req.header('transfer-encoding') === undefined && Number(declared) > maxBytes;
}

/**
 * Refuses bodies over maxBytes. A declared Content-Length is checked without touching the body, which keeps
 * @hono/node-server's fast body reading on the hot submission path; chunked bodies go through hono's bodyLimit.
 */
export function limitBody(maxBytes: number) {
  const tooLarge = () => {
    const limit = `${Math.round(maxBytes / 1024 / 1024)} MB`;
    throw new DomainError('too_large', bilingual(`The request is too large (limit ${limit}).`, `请求过大（上限 ${limit}）。`));
  };
  const streamed = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return createMiddleware(async function limitRequestBody(c, next) {
    if (c.req.header('content-length') !== undefined && c.req.header('transfer-encoding') === undefined) {
      return declaredOver(c, maxBytes) ? tooLarge() : next();
    }
    return streamed(c, next);
  });
}

const passThrough = createMiddleware(async function noRateLimit(_c, next) {
  await next();
});

/**
 * A per-client-address limit on POSTs to the routes that take writes without an account (public answers,
 * kiosk sync, personal links, sign-in, set-up, unsubscribe): at most perMinute in a minute, then 429 with
 * Retry-After until the minute is over. Counted in this process's memory; null turns it off. A request with
 * no socket (made in-process) is not counted.
 */
export function limitAnonymousWrites(perMinute: number | null) {
  if (perMinute === null) return passThrough;
  return rateLimiter({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: false,
    skip: (c) => c.req.method !== 'POST' || clientAddress(c) === undefined,
    keyGenerator: (c) => clientAddress(c) ?? '',
    handler: (c) => {
      const resetTime = (c.get('rateLimit' as never) as { resetTime?: Date } | undefined)?.resetTime;
      const seconds = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + 60_000) - Date.now()) / 1000));
      throw new DomainError(
        'too_many',
        bilingual(
          `Too many requests from your network. Wait ${seconds} seconds and try again.`,
          `来自您网络的请求过多，请等待 ${seconds} 秒后重试。`,
        ),
        {},
        { retryAfterSeconds: seconds },
      );
    },
  });
}

/** An optional query parameter holding a whole number from min to max, fallback when absent. */
export const wholeNumber = (fallback: number, min: number, max: number) =>
  v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,9}$/, message(`Use a whole number from ${min} to ${max}.`, `请使用 ${min} 到 ${max} 之间的整数。`)),
      v.transform(Number),
      v.minValue(min, message(`Use a whole number from ${min} to ${max}.`, `请使用 ${min} 到 ${max} 之间的整数。`)),
      v.maxValue(max, message(`Use a whole number from ${min} to ${max}.`, `请使用 ${min} 到 ${max} 之间的整数。`)),
    ),
    String(fallback),
  );
