// The staff app's language: the chosen locale (remembered per browser, sent to the server with every call; the
// signed-in account's saved language is applied and kept by session.ts), the
// translator each area builds over its words (its text.ts, with the shared ones of web/staff/text.ts), and text
// and dates shown in that language. The words themselves are not here.
import { flatten, resolveTemplate, translator, type BaseRecordDict, type Flatten, type Translator } from '@solid-primitives/i18n';
import { createEffect, createRoot, createSignal } from 'solid-js';
import type { Locale } from '../../surveys/definition.ts';
import { formatCount as formatCountIn } from '../numbers.ts';
import { setRequestLocale } from './request.ts';

const storageKey = 'staff.locale';

/** The language chosen in this browser before, if any (not the browser's own language). */
export function storedLocale(): Locale | null {
  try {
    const stored = localStorage.getItem(storageKey);
    if (stored === 'en' || stored === 'zh-CN') return stored;
  } catch {
    // Storage can be unavailable (private mode).
  }
  return null;
}

function initialLocale(): Locale {
  const stored = storedLocale();
  if (stored) return stored;
  // Nothing chosen in this browser yet: the browser's language.
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  return preferred[0]?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

const [locale, setLocaleSignal] = createSignal<Locale>(initialLocale());

export { locale };

export function setLocale(next: Locale) {
  setLocaleSignal(next);
  try {
    localStorage.setItem(storageKey, next);
  } catch {
    // Not remembered, but the switch still works for this visit.
  }
}

createRoot(() => {
  createEffect(() => {
    document.documentElement.lang = locale();
    setRequestLocale(locale());
  });
});
setRequestLocale(locale());

/** Fills a template, writing every number in it as the screen's language does ("10,003 responses"). */
function resolveWithNumbers(text: string, values?: Record<string, unknown>): string {
  if (!values) return text;
  const written = Object.fromEntries(
    Object.entries(values).map(([key, value]) => [key, typeof value === 'number' ? formatCountIn(value, locale()) : value]),
  );
  return resolveTemplate(text, written as Parameters<typeof resolveTemplate>[1]);
}

/** A translator over words in both languages (the same keys in each), in the language on screen. */
export function translatorOf<Words extends BaseRecordDict>(en: Words, zh: NoInfer<Words>): Translator<Flatten<Words>> {
  const flat = { en: flatten(en), 'zh-CN': flatten(zh) };
  return translator(() => flat[locale()], resolveWithNumbers as typeof resolveTemplate);
}

/** A count shown on its own (a table cell, a badge) as the screen's language writes it: "5,005". */
export function formatCount(value: number): string {
  return formatCountIn(value, locale());
}

/** Text in both languages shown in the screen's language (falls back to the other one when empty). */
export function localized(text: { 'zh-CN': string; en: string } | undefined): string {
  if (!text) return '';
  const other: Locale = locale() === 'en' ? 'zh-CN' : 'en';
  return text[locale()] || text[other];
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
