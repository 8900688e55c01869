// Request helpers shared by every area: the reader's language and validated JSON bodies.
import type { Context } from 'hono';
import * as v from 'valibot';
import type { Locale } from '../surveys/definition.ts';
import { bilingual, pickLocale } from '../surveys/i18n.ts';
import '../surveys/valibot-zh.ts';
import { DomainError } from './errors.ts';

/** The staff app sends x-locale with the language chosen on screen; otherwise the browser's. */
export function localeOf(c: Context): Locale {
  return pickLocale(c.req.header('x-locale') ?? c.req.header('accept-language'));
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
  const fields: Record<string, string> = {};
  for (const issue of result.issues) {
    const path = v.getDotPath(issue) ?? '';
    fields[path] ??= issue.message;
  }
  const first = Object.entries(fields)[0]!;
  throw new DomainError(
    'bad_request',
    bilingual(`Please correct: ${first[0] ? `${first[0]}: ` : ''}${first[1]}`, `请更正：${first[0] ? `${first[0]}：` : ''}${first[1]}`),
    fields,
  );
}
