// Hidden fields: values an open link carries for the response (e.g. /s/demo?store=123&src=qr).
// The public page reads them from its own address; the server checks the same limits and stores them.

export type HiddenFields = Record<string, string>;

export const hiddenFieldLimits = { count: 20, valueLength: 200 } as const;
export const hiddenFieldKey = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

/**
 * The hidden fields in a query string, such as location.search. Parameters the server would refuse (a bad
 * name, a value too long, any beyond the first 20) are left out rather than blocking the submission;
 * a repeated name keeps its last value. Undefined when there are none.
 */
export function hiddenFieldsFrom(search: string): HiddenFields | undefined {
  const fields = new Map<string, string>();
  new URLSearchParams(search).forEach((value, key) => {
    if (!hiddenFieldKey.test(key) || value.length > hiddenFieldLimits.valueLength) return;
    if (!fields.has(key) && fields.size >= hiddenFieldLimits.count) return;
    fields.set(key, value);
  });
  return fields.size > 0 ? Object.fromEntries(fields) : undefined;
}
