// The column mapping of every CSV import, pure (the staff app checks it on the preview as the server does): which
// field each column fills, proposed from the header's names and checked as a whole before any row is read.
import type { LocalizedText } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';

/** Compared without case, spaces, _, - or . */
const headerKey = (text: string) => text.normalize('NFKC').toLowerCase().replace(/[\s_\-.]/g, '');

/**
 * Proposes, for a header, the field each column names (by the field's own name or one of its other names, in
 * English and Chinese); a field named twice is taken by its first column only.
 */
export function mappingProposer<Field extends string>(fields: readonly Field[], aliases: Record<Field, string[]>) {
  const fieldByHeader = new Map<string, Field>(fields.flatMap((field) => [field, ...aliases[field]].map((name) => [headerKey(name), field] as const)));
  return (header: readonly string[]): (Field | null)[] => {
    const taken = new Set<Field>();
    return header.map((name) => {
      const field = fieldByHeader.get(headerKey(name));
      if (!field || taken.has(field)) return null;
      taken.add(field);
      return field;
    });
  };
}

/**
 * What is wrong with any mapping: a column count other than the file's, a name that is no field, a field filled
 * twice. Also the fields it fills, for the area to check the ones it needs.
 */
export function mappingShapeProblems(
  mapping: readonly (string | null)[],
  columnCount: number,
  fields: readonly string[],
  notAField: (field: string) => LocalizedText,
): { problems: LocalizedText[]; seen: Set<string> } {
  const problems: LocalizedText[] = [];
  if (mapping.length !== columnCount) {
    problems.push(
      bilingual(
        `The mapping names ${mapping.length} columns but the file has ${columnCount}. Check the delimiter.`,
        `列对应设置了 ${mapping.length} 列，但文件有 ${columnCount} 列。请检查分隔符。`,
      ),
    );
  }
  const seen = new Set<string>();
  for (const field of mapping) {
    if (field === null) continue;
    if (!fields.includes(field)) {
      problems.push(notAField(field));
    } else if (seen.has(field)) {
      problems.push(bilingual(`Two columns fill "${field}"; choose one.`, `有两列都对应 “${field}”，请只保留一列。`));
    }
    seen.add(field);
  }
  return { problems, seen };
}

/** The header of the column filling a field, or the field's own name when no column does. */
export function columnName<Field extends string>(field: Field, mapping: readonly (Field | null)[], header: readonly string[]): string {
  const column = mapping.indexOf(field);
  return column >= 0 ? (header[column] ?? field) : field;
}

/** A row whose cells do not line up with the header, read as the file's rows are: none when they do. */
export function cellCountProblems(cells: readonly string[], header: readonly string[]): { ok: false; problems: LocalizedText[] } | null {
  if (cells.length === header.length) return null;
  return {
    ok: false,
    problems: [
      bilingual(
        `it has ${cells.length} cells but the header has ${header.length}; check the delimiter and the quotes`,
        `该行有 ${cells.length} 个单元格，而表头有 ${header.length} 个；请检查分隔符和引号`,
      ),
    ],
  };
}
