// How every page of ours writes a number: Intl.NumberFormat of the reader's language ("10,003" / "10,003",
// "72.4"), one cached formatter per language and number of decimals. Pure: the language is passed in.
export type NumberLocale = 'zh-CN' | 'en';

const formats = new Map<string, Intl.NumberFormat>();

/** The formatter for a language, with exactly `digits` decimals (any up to three when undefined), signed or not. */
export function numberFormat(locale: NumberLocale, digits?: number, signed = false): Intl.NumberFormat {
  const key = `${locale}|${digits ?? ''}|${signed}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      ...(digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits }),
      signDisplay: signed ? 'exceptZero' : 'auto',
    });
    formats.set(key, format);
  }
  return format;
}

/** A count or any other number as the language writes it: "5,005 customers", not "5005". */
export function formatCount(value: number, locale: NumberLocale): string {
  return numberFormat(locale).format(value);
}
