// What the routes of every CSV import share: the new import's settings, the page of its rows, the upload of its
// file as the request body, and the download of its rejected rows.
import type { Context } from 'hono';
import * as v from 'valibot';
import { locales, type Locale, type LocalizedText } from '../../surveys/definition.ts';
import { bilingual, message } from '../../surveys/i18n.ts';
import { DomainError } from '../errors.ts';
import { declaredOver, localeOf, wholeNumber } from '../http.ts';

/** A page of an import's rows, in file order: those after row `after`. */
export const RowPageQuery = v.object({ after: wholeNumber(0, 0, 999_999_999), limit: wholeNumber(100, 1, 500) });

/** A new import: its file's name and size, and what is known of its encoding, delimiter and columns. */
export const newImportInput = <const Fields extends readonly string[]>(fields: Fields, unknownField: LocalizedText) =>
  v.object({
    fileName: v.pipe(
      v.string(message('Name the file.', '请提供文件名。')),
      v.trim(),
      v.nonEmpty(message('Name the file.', '请提供文件名。')),
      v.maxLength(255, message('The file name is too long.', '文件名过长。')),
    ),
    sizeBytes: v.pipe(v.number(), v.integer(), v.minValue(0)),
    encoding: v.optional(v.picklist(['utf-8', 'gb18030'], message('The encoding is utf-8 or gb18030.', '编码只能是 utf-8 或 gb18030。'))),
    delimiter: v.optional(v.picklist([',', '\t'], message('The delimiter is a comma or a tab.', '分隔符只能是逗号或制表符。'))),
    mapping: v.optional(v.array(v.nullable(v.picklist(fields, message(unknownField.en, unknownField['zh-CN']))))),
  });

export const fileTooLarge = (limitBytes: number) =>
  new DomainError(
    'too_large',
    bilingual(
      `The file is larger than ${limitBytes / 1024 / 1024} MB. Split it into smaller files and import each.`,
      `文件超过 ${limitBytes / 1024 / 1024} MB。请拆分为较小的文件分别导入。`,
    ),
  );

/** The whole file as the request body (text/csv or application/octet-stream), handed on to be read as it arrives. */
export function takeUpload<T>(
  c: Context,
  limitBytes: number,
  receive: (input: { id: string; body: ReadableStream<Uint8Array>; maxBytes: number; declaredBytes: number | undefined }) => Promise<T>,
): Promise<T> {
  if (declaredOver(c, limitBytes)) throw fileTooLarge(limitBytes);
  const body = c.req.raw.body;
  if (!body) throw new DomainError('bad_request', bilingual('Send the CSV file as the request body.', '请将 CSV 文件作为请求内容发送。'));
  const declared = c.req.header('content-length');
  return receive({ id: c.req.param('id')!, body, maxBytes: limitBytes, declaredBytes: declared === undefined ? undefined : Number(declared) });
}

/** The rejected rows as a CSV download. A plain link downloads it, so the language may come as ?lang= as well as from the headers. */
export async function rejectionDownload(
  c: Context,
  fileNamePrefix: string,
  report: (input: { importId: string; locale: Locale }) => Promise<ReadableStream<Uint8Array>>,
): Promise<Response> {
  const asked = c.req.query('lang');
  const locale = locales.find((candidate) => candidate === asked) ?? localeOf(c);
  const id = c.req.param('id')!;
  const body = await report({ importId: id, locale });
  return c.body(body, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${fileNamePrefix}-${id.slice(0, 8)}.csv"`,
    'cache-control': 'no-store',
  });
}
