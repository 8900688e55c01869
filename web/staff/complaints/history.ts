// A case's history entry as the fields it changed, each as it was and as it became, for the case page to say
// in words. Pure: no I/O, no signals.

export interface FieldChange {
  field: string;
  /** undefined: the field was not there before (it was set). */
  from: unknown;
  to: unknown;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The fields an event changed, in the order the event names them (after's first, then any only in before),
 * leaving out those that did not change.
 */
export function changesOf(before: Record<string, unknown> | null | undefined, after: Record<string, unknown> | null | undefined): FieldChange[] {
  const was = before ?? {};
  const now = after ?? {};
  const fields = [...new Set([...Object.keys(now), ...Object.keys(was)])];
  return fields
    .filter((field) => !same(was[field], now[field]))
    .map((field) => ({ field, from: field in was ? was[field] : undefined, to: now[field] }));
}
