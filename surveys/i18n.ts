// Small helpers for text that exists in both languages.
import type { Locale, LocalizedText } from './definition.ts';

export function bilingual(en: string, zh: string): LocalizedText {
  return { en, 'zh-CN': zh };
}

/** A valibot message that follows the `lang` given to parse: `v.safeParse(schema, input, { lang })`. */
export function message(en: string, zh: string) {
  return (issue: { lang?: string | undefined }) => (issue.lang === 'zh-CN' ? zh : en);
}

/** zh, zh-CN, zh-Hans… → zh-CN; anything else → en. Accepts an Accept-Language header or a list. */
export function pickLocale(preferred: string | readonly string[] | null | undefined): Locale {
  const first = (Array.isArray(preferred) ? preferred : String(preferred ?? '').split(','))
    .map((tag) => tag.trim().split(';')[0]!.toLowerCase())
    .find((tag) => tag !== '' && tag !== '*');
  return first?.startsWith('zh') ? 'zh-CN' : 'en';
}
