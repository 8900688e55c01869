// 中文 / English, each name written in its own language so either reader finds it.
import type { Locale } from '../../surveys/definition.ts';
import { ui } from './i18n.ts';

export function LanguageSwitch(props: { locale: Locale; onChange: (locale: Locale) => void }) {
  const choice = (locale: Locale, name: string, testId: string) => (
    <button
      type="button"
      lang={locale}
      data-testid={testId}
      aria-pressed={props.locale === locale ? 'true' : 'false'}
      onClick={() => props.onChange(locale)}
    >
      {name}
    </button>
  );
  return (
    <div class="sv-lang" role="group" aria-label={ui[props.locale].language}>
      {choice('zh-CN', '中文', 'lang-zh')}
      {choice('en', 'English', 'lang-en')}
    </div>
  );
}
