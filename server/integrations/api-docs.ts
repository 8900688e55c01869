// The integration API's reference as one page, rendered on the server from the OpenAPI document: no script, no
// fonts or styles from elsewhere, so it reads the same offline and under the app's Content-Security-Policy.
import type { Locale } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';
import type { OpenApiDocument } from './openapi.ts';

const words = {
  document: bilingual('The OpenAPI 3.1 document', 'OpenAPI 3.1 文档'),
  otherLanguage: bilingual('中文', 'English'),
  auth: bilingual('Authentication', '身份验证'),
  base: bilingual('Base address', '基础地址'),
  operations: bilingual('Operations', '接口'),
  pathParameters: bilingual('Path parameters', '路径参数'),
  body: bilingual('Request body', '请求内容'),
  field: bilingual('Field', '字段'),
  type: bilingual('Type', '类型'),
  required: bilingual('Required', '必填'),
  yes: bilingual('yes', '是'),
  no: bilingual('no', '否'),
  rules: bilingual('Rules', '规则'),
  example: bilingual('Example', '示例'),
  answers: bilingual('Answers', '响应'),
  errors: bilingual('Errors', '错误'),
  oneOf: bilingual('One of these shapes:', '以下形式之一：'),
  shape: bilingual('Shape', '形式'),
  defaultIs: bilingual('default', '默认'),
  atMost: bilingual('at most', '最多'),
  atLeast: bilingual('at least', '至少'),
  characters: bilingual('characters', '个字符'),
  items: bilingual('items', '项'),
  pattern: bilingual('pattern', '格式'),
  oneOfValues: bilingual('one of', '取值'),
  list: bilingual('list of', '列表：'),
};

type Json = Record<string, unknown>;

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** A schema's type in a few words: "string", "string or null", "list of object". */
function typeOf(schema: Json, lang: Locale): string {
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Json[]).map((choice) => typeOf(choice, lang)).join(' | ');
  if (schema.type === 'array') return `${words.list[lang]} ${typeOf((schema.items ?? {}) as Json, lang)}`;
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.enum)) return 'string';
  return '—';
}

/** The rules of a field that are not its type: lengths, pattern, values, default, and its words. */
function rulesOf(schema: Json, lang: Locale): string[] {
  const rules: string[] = [];
  const choices = Array.isArray(schema.anyOf) ? (schema.anyOf as Json[]) : [schema];
  for (const choice of choices) {
    if (choice.description && choice !== schema) rules.push(String(choice.description));
    if (Array.isArray(choice.enum)) rules.push(`${words.oneOfValues[lang]} ${(choice.enum as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`);
    if (typeof choice.minLength === 'number') rules.push(`${words.atLeast[lang]} ${choice.minLength} ${words.characters[lang]}`);
    if (typeof choice.maxLength === 'number') rules.push(`${words.atMost[lang]} ${choice.maxLength} ${words.characters[lang]}`);
    if (typeof choice.minItems === 'number') rules.push(`${words.atLeast[lang]} ${choice.minItems} ${words.items[lang]}`);
    if (typeof choice.maxItems === 'number') rules.push(`${words.atMost[lang]} ${choice.maxItems} ${words.items[lang]}`);
    if (typeof choice.pattern === 'string') rules.push(`${words.pattern[lang]} ${choice.pattern}`);
  }
  if (schema.default !== undefined) rules.push(`${words.defaultIs[lang]} ${JSON.stringify(schema.default)}`);
  if (schema.description) rules.unshift(String(schema.description));
  return rules;
}

/** One row per field, nested fields by their dotted path ("customer.externalId", "purchases[].amount"). */
function fieldRows(schema: Json, lang: Locale, prefix = ''): string[] {
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required ?? []) as string[]);
  const rows: string[] = [];
  for (const [name, property] of Object.entries(properties)) {
    const path = `${prefix}${name}`;
    rows.push(
      `<tr><td><code>${escape(path)}</code></td><td>${escape(typeOf(property, lang))}</td><td>${required.has(name) ? words.yes[lang] : words.no[lang]}</td><td>${rulesOf(property, lang).map(escape).join('<br>')}</td></tr>`,
    );
    if (property.type === 'object') rows.push(...fieldRows(property, lang, `${path}.`));
    const items = property.items as Json | undefined;
    if (property.type === 'array' && items?.type === 'object') rows.push(...fieldRows(items, lang, `${path}[].`));
  }
  return rows;
}

function fieldTable(schema: Json, lang: Locale): string {
  const head = `<tr><th>${words.field[lang]}</th><th>${words.type[lang]}</th><th>${words.required[lang]}</th><th>${words.rules[lang]}</th></tr>`;
  const rules = schema.description ? `<p>${escape(String(schema.description))}</p>` : '';
  return `${rules}<div class="scroll" tabindex="0"><table>${head}${fieldRows(schema, lang).join('')}</table></div>`;
}

function bodySection(schema: Json, lang: Locale): string {
  if (!Array.isArray(schema.anyOf)) return fieldTable(schema, lang);
  return `<p>${words.oneOf[lang]}</p>${(schema.anyOf as Json[]).map((choice, index) => `<h5>${words.shape[lang]} ${index + 1}</h5>${fieldTable(choice, lang)}`).join('')}`;
}

const pre = (value: unknown) => `<pre tabindex="0">${escape(JSON.stringify(value, null, 2))}</pre>`;

export function apiDocsPage(document: OpenApiDocument, lang: Locale): string {
  const other: Locale = lang === 'en' ? 'zh-CN' : 'en';
  const server = document.servers[0]!.url;
  const sections: string[] = [];
  const index: string[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const operation = raw as Json;
      const id = String(operation.operationId);
      index.push(`<li><a href="#${id}"><code>${method.toUpperCase()} ${escape(path)}</code></a> ${escape(String(operation.summary))}</li>`);
      const parameters = ((operation.parameters ?? []) as Json[]).filter((parameter) => parameter.in === 'path');
      const body = (operation.requestBody as Json).content as Record<string, Json>;
      const json = body['application/json']!;
      const examples = Object.values((json.examples ?? {}) as Record<string, Json>);
      const answers = Object.entries(operation.responses as Record<string, Json>);
      sections.push(`<section id="${id}" aria-labelledby="${id}-title">
<h3 id="${id}-title"><code class="method">${method.toUpperCase()}</code> <code>${escape(path)}</code></h3>
<p><strong>${escape(String(operation.summary))}</strong></p>
<p>${escape(String(operation.description))}</p>
${
  parameters.length === 0
    ? ''
    : `<h4>${words.pathParameters[lang]}</h4><div class="scroll" tabindex="0"><table><tr><th>${words.field[lang]}</th><th>${words.type[lang]}</th><th>${words.rules[lang]}</th></tr>${parameters
        .map((parameter) => `<tr><td><code>${escape(String(parameter.name))}</code></td><td>${escape(typeOf(parameter.schema as Json, lang))}</td><td>${rulesOf(parameter.schema as Json, lang).map(escape).join('<br>')}</td></tr>`)
        .join('')}</table></div>`
}
<h4>${words.body[lang]}</h4>
${bodySection(json.schema as Json, lang)}
${examples.map((example) => `<h5>${words.example[lang]}: ${escape(String(example.summary))}</h5>${pre(example.value)}`).join('')}
<h4>${words.answers[lang]}</h4>
<dl>${answers
        .map(([status, answer]) => {
          const content = (answer.content as Record<string, Json> | undefined)?.['application/json'];
          return `<dt><code>${status}</code></dt><dd>${escape(String(answer.description))}${content?.example === undefined ? '' : pre(content.example)}</dd>`;
        })
        .join('')}</dl>
</section>`);
    }
  }
  const errorSchema = document.components.schemas.Error as Json;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(document.info.title)}</title>
<style>
body{font:16px/1.5 system-ui,"Noto Sans CJK SC",sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1a1a1a;background:#fff}
code,pre{font-family:ui-monospace,monospace;font-size:.9em}
pre{background:#f4f4f4;padding:.75rem;overflow-x:auto;border-radius:4px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#eee;white-space:nowrap}
section{border-top:2px solid #ddd;margin-top:2rem}
.method{background:#1f4e8c;color:#fff;padding:.1rem .4rem;border-radius:3px}
a{color:#1f4e8c}
nav{display:flex;gap:1rem;flex-wrap:wrap}
</style>
</head>
<body>
<header>
<nav><a href="?lang=${other}" lang="${other}">${words.otherLanguage[lang]}</a><a href="openapi.json?lang=${lang}">${words.document[lang]}</a></nav>
<h1>${escape(document.info.title)}</h1>
</header>
<main>
<p>${escape(document.info.description)}</p>
<h2>${words.base[lang]}</h2>
<p><code>${escape(server)}</code></p>
<h2>${words.auth[lang]}</h2>
<p>${escape(document.components.securitySchemes.apiKey.description)}</p>
<h2>${words.errors[lang]}</h2>
${fieldTable(errorSchema, lang)}
<h2>${words.operations[lang]}</h2>
<ul>${index.join('')}</ul>
${sections.join('\n')}
</main>
</body>
</html>`;
}
