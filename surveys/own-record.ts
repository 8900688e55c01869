// A record schema that checks every own key of the object it is given. valibot's record() passes over keys
// named "__proto__", "constructor" and "prototype" (to keep them off the output's prototype chain), so a
// value under such a key was neither checked nor kept. Here each key goes through the key schema like any
// other, and the output is built with own properties only, so a name the key schema accepts is kept as sent.
import * as v from 'valibot';

type Message = v.ErrorMessage<v.CustomIssue | v.RawTransformIssue<unknown>>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

export function ownRecord<TValue extends v.GenericSchema>(
  key: v.GenericSchema<string, string>,
  value: TValue,
  options: { shape: Message; maxEntries?: { count: number; message: Message } },
) {
  return v.pipe(
    v.custom<Record<string, v.InferInput<TValue>>>(isPlainObject, options.shape),
    v.rawTransform<Record<string, v.InferInput<TValue>>, Record<string, v.InferOutput<TValue>>>(({ dataset, config, addIssue, NEVER }) => {
      const input = dataset.value;
      const keys = Object.keys(input);
      if (options.maxEntries && keys.length > options.maxEntries.count) {
        addIssue({ message: options.maxEntries.message });
        return NEVER;
      }
      const inner = { lang: config.lang, abortEarly: config.abortEarly, abortPipeEarly: config.abortPipeEarly };
      const output: Record<string, v.InferOutput<TValue>> = {};
      let valid = true;
      for (const name of keys) {
        const checkedKey = v.safeParse(key, name, inner);
        const checkedValue = v.safeParse(value, input[name], inner);
        const path = [{ type: 'object', origin: 'value', input, key: name, value: input[name] }] as [v.ObjectPathItem];
        for (const issue of [...(checkedKey.issues ?? []), ...(checkedValue.issues ?? [])]) {
          valid = false;
          addIssue({ message: issue.message, path: [...path, ...(issue.path ?? [])] as [v.IssuePathItem, ...v.IssuePathItem[]] });
        }
        if (valid && checkedKey.success && checkedValue.success) {
          // defineProperty, not assignment: a key such as "__proto__" stays an ordinary own property.
          Object.defineProperty(output, checkedKey.output, { value: checkedValue.output, enumerable: true, writable: true, configurable: true });
        }
      }
      return valid ? output : NEVER;
    }),
  );
}
