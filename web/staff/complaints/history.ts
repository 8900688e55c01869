// A case's history entry as the fields it changed, each as it was and as it became, for the case page to say
// in words (ids left out, a new assignee by name). Pure: no I/O, no signals.

export interface FieldChange {
  field: string;
  /** undefined: the field was not there before (it was set). */
  from: unknown;
  to: unknown;
}

/**
 * Fields an entry carries for the machine rather than the reader: ids (a person's name or a case's reference
 * travels with them), and the resolution cycle. The assignee is kept: the page names the person.
 */
export function isShown(field: string): boolean {
  if (field === 'assigneeId') return true;
  if (field === 'assigneeName') return false;
  return !field.endsWith('Id') && field !== 'mergedInto' && field !== 'cycle';
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The fields an event changed, in the order the event names them (after's first, then any only in before),
 * leaving out those that did not change.
 */
export function changesOf(before: Record<string, unknown> | null | undefined, after: Record<string, unknown> | null | undefined): FieldChange[] {
  const was = before ?? {};
  const now = after ?? {};
  const fields = [...new Set([...Object.keys(now), ...Object.keys(was)])].filter(isShown);
  return fields
    .filter((field) => !same(was[field], now[field]))
    .map((field) => ({
      field,
      from: field in was ? was[field] : undefined,
      // An assignment carries the new assignee's name beside the id.
      to: field === 'assigneeId' && typeof now.assigneeName === 'string' ? now.assigneeName : now[field],
    }));
}
