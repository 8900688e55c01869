// The ACSI-style index model: constructs measured by item columns, and the paths between constructs.
// One valibot schema for the JSON a manager or the CLI supplies (shared/fixtures/pls/mobi.model.json).
import * as v from 'valibot';
import { ownRecord } from '../own-record.ts';

export const weightingSchemes = ['path', 'centroid', 'factorial'] as const;
export type WeightingScheme = (typeof weightingSchemes)[number];

const Name = v.pipe(
  v.string('a construct or item name must be a string'),
  v.trim(),
  v.nonEmpty('a construct or item name must not be empty'),
);

const pathMessage = 'a path must be a pair ["From", "To"] of construct names';
const Path = v.pipe(v.array(v.unknown(), pathMessage), v.length(2, pathMessage), v.tuple([Name, Name]));

const ModelShape = v.strictObject({
  /** Construct → its item columns; every block is reflective (mode A). */
  constructs: ownRecord(Name, v.array(Name), { shape: 'constructs must be an object of construct names and their item columns' }),
  /** [from, to]: `from` explains `to`. */
  paths: v.array(Path),
  scheme: v.optional(v.picklist(weightingSchemes, 'scheme must be "path", "centroid" or "factorial"'), 'path'),
  /** Standardise the items before estimation (the usual choice); false keeps each item's own spread. */
  scaled: v.optional(v.boolean(), true),
  /** The items' answer scale, for the 0-100 index. */
  scale: v.pipe(
    v.strictObject({ min: v.pipe(v.number(), v.finite()), max: v.pipe(v.number(), v.finite()) }),
    v.check((scale) => scale.max > scale.min, 'scale.max must be greater than scale.min'),
  ),
});

export type PlsModel = v.InferOutput<typeof ModelShape>;
export type PlsModelInput = v.InferInput<typeof ModelShape>;

/**
 * The model schema. Given the data's column names it also checks that every item is one of them.
 * Structural problems it reports, each naming the construct: a construct without items, an item in two
 * constructs, a path to an unknown construct, a construct in no path, and paths that form a cycle.
 */
export function plsModelSchema(columns?: readonly string[]) {
  const available = columns ? new Set(columns) : null;
  return v.pipe(
    ModelShape,
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      for (const message of modelProblems(dataset.value, available)) addIssue({ message });
    }),
  );
}

export type ParsedModel = { ok: true; model: PlsModel } | { ok: false; issues: string[] };

/** Parse an unknown value (e.g. JSON.parse of a model file); issue messages name the field or construct. */
export function parsePlsModel(input: unknown, columns?: readonly string[]): ParsedModel {
  const result = v.safeParse(plsModelSchema(columns), input);
  if (result.success) return { ok: true, model: result.output };
  return {
    ok: false,
    issues: result.issues.map((issue) => {
      const path = v.getDotPath(issue);
      return path ? `${path}: ${issue.message}` : issue.message;
    }),
  };
}

function modelProblems(model: PlsModel, columns: ReadonlySet<string> | null): string[] {
  const problems: string[] = [];
  const names = Object.keys(model.constructs);
  if (names.length < 2) problems.push('a model needs at least two constructs joined by a path');
  const ownerOf = new Map<string, string>();
  for (const [construct, items] of Object.entries(model.constructs)) {
    if (items.length === 0) problems.push(`construct "${construct}" has no items; list at least one item column`);
    for (const item of items) {
      const owner = ownerOf.get(item);
      if (owner === construct) problems.push(`construct "${construct}" lists item "${item}" twice`);
      else if (owner !== undefined) {
        problems.push(`item "${item}" is in both "${owner}" and "${construct}"; an item measures one construct`);
      } else ownerOf.set(item, construct);
      if (columns && !columns.has(item)) {
        problems.push(`item "${item}" of construct "${construct}" is not a column of the data`);
      }
    }
  }
  const known = new Set(names);
  const seenPaths = new Set<string>();
  const connected = new Set<string>();
  for (const [from, to] of model.paths) {
    const label = `path "${from}" -> "${to}"`;
    const unknown = [from, to].filter((name) => !known.has(name));
    if (unknown.length > 0) {
      problems.push(`${label} names an unknown construct "${unknown[0]}" (constructs: ${names.join(', ')})`);
      continue;
    }
    if (from === to) problems.push(`${label} points construct "${from}" at itself`);
    if (seenPaths.has(`${from}\u0000${to}`)) problems.push(`${label} is listed twice`);
    seenPaths.add(`${from}\u0000${to}`);
    connected.add(from).add(to);
  }
  for (const name of names) {
    if (!connected.has(name)) problems.push(`construct "${name}" is in no path; connect it to the model or remove it`);
  }
  const cycle = findCycle(names, model.paths.filter(([from, to]) => known.has(from) && known.has(to) && from !== to));
  if (cycle) {
    problems.push(`the paths form a cycle ${cycle.join(' -> ')}; construct "${cycle[0]}" cannot explain itself (remove one path)`);
  }
  return problems;
}

/** The first cycle found, as [A, B, …, A], or null when the paths form a DAG. */
export function findCycle(constructs: readonly string[], paths: readonly (readonly [string, string])[]): string[] | null {
  const successors = new Map<string, string[]>(constructs.map((name) => [name, []]));
  for (const [from, to] of paths) successors.get(from)?.push(to);
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | null => {
    state.set(name, 'open');
    stack.push(name);
    for (const next of successors.get(name) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(name, 'done');
    return null;
  };
  for (const name of constructs) {
    if (!state.has(name)) {
      const found = visit(name);
      if (found) return found;
    }
  }
  return null;
}
