// Aligned text tables and the number formats the bench prints.

export type Cell = string | number;

/** Every table printed in this process, in order, for the results file (writeResults). */
const printed: { title: string; rows: Record<string, Cell>[] }[] = [];

/** Prints rows as a table: columns from the first row's keys; columns of figures right-aligned. */
export function printTable(title: string, rows: Record<string, Cell>[]) {
  printed.push({ title, rows });
  console.log(`\n${title}`);
  if (rows.length === 0) {
    console.log('  (no rows)');
    return;
  }
  const headers = Object.keys(rows[0]!);
  const cells = rows.map((row) => headers.map((header) => String(row[header] ?? '')));
  const widths = headers.map((header, column) => Math.max(header.length, ...cells.map((line) => line[column]!.length)));
  const numeric = headers.map((_, column) => cells.every((row) => /^\d/.test(row[column]!)));
  const line = (values: string[]) =>
    '  ' + values.map((value, column) => (numeric[column] ? value.padStart(widths[column]!) : value.padEnd(widths[column]!))).join('  ');
  console.log(line(headers));
  console.log('  ' + widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of cells) console.log(line(row));
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const formatCount = (value: number) => whole.format(value);
/** kB as Chrome DevTools shows it: 1 kB = 1,000 bytes. */
export const formatKb = (bytes: number) => `${oneDecimal.format(bytes / 1000)} kB`;
/** Memory as /proc counts it (kB of 1,024 bytes), in MB; '?' where /proc had no answer. */
export const formatMb = (kb: number | undefined) => (kb === undefined ? '?' : `${whole.format(kb / 1024)} MB`);
export const formatMs = (ms: number) => `${ms < 100 ? oneDecimal.format(ms) : whole.format(ms)} ms`;
export const formatRate = (perSecond: number) => `${whole.format(perSecond)}/s`;
export const formatRatio = (ratio: number) => `${ratio < 0.1 ? ratio.toFixed(3) : ratio.toFixed(2)}×`;

const escapeCell = (value: Cell) => String(value).replaceAll('|', '\\|').replaceAll('\n', ' ');

/** One table as Markdown, columns from the first row's keys. */
export function markdownTable(rows: Record<string, Cell>[]): string {
  if (rows.length === 0) return '(no rows)\n';
  const headers = Object.keys(rows[0]!);
  const line = (values: Cell[]) => `| ${values.map(escapeCell).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map((row) => line(headers.map((header) => row[header] ?? '')))].join('\n') + '\n';
}

/** Every table printed so far, each under its title, as Markdown. */
export function printedTablesMarkdown(): string {
  return printed.map(({ title, rows }) => `### ${escapeCell(title)}\n\n${markdownTable(rows)}`).join('\n');
}

export const generatedStart = '<!-- bench:summary:start (written by npm run bench; do not edit by hand) -->';
export const generatedEnd = '<!-- bench:summary:end -->';

/** Replaces the text between the generated-block markers; the text is returned unchanged without them. */
export function replaceGeneratedBlock(text: string, block: string): string {
  const start = text.indexOf(generatedStart);
  const end = text.indexOf(generatedEnd);
  if (start < 0 || end < start) return text;
  return `${text.slice(0, start + generatedStart.length)}\n${block.trim()}\n${text.slice(end)}`;
}
