// A whole-page message instead of the form: thank you (with a complaint's reference), survey closed, survey not found.
import { onMount, Show, type JSX } from 'solid-js';
import type { Locale } from '../../surveys/definition.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import './survey.css';

export function Notice(props: {
  testId: string;
  locale: Locale;
  onLocaleChange: (locale: Locale) => void;
  title: string;
  body: string;
  /** The survey's own title, above the message, when it is known. */
  surveyTitle?: string;
  /** Move focus here when the notice replaces the form, so screen readers hear it. */
  takeFocus?: boolean;
  /** A check mark above the heading: the good ending. */
  done?: boolean;
  /** Shown under the message (a complaint's reference). */
  children?: JSX.Element;
}) {
  let heading: HTMLHeadingElement | undefined;
  onMount(() => {
    if (props.takeFocus) heading?.focus();
  });
  return (
    <div class="sv sv-notice" lang={props.locale} data-testid={props.testId}>
      <LanguageSwitch locale={props.locale} onChange={props.onLocaleChange} />
      <Show when={props.surveyTitle}>
        <p class="sv-notice-survey">{props.surveyTitle}</p>
      </Show>
      <Show when={props.done}>
        <svg class="sv-notice-mark" viewBox="0 0 48 48" aria-hidden="true">
          <circle cx="24" cy="24" r="22" />
          <path d="M14 25l7 7 13-15" />
        </svg>
      </Show>
      <h1 ref={heading} tabIndex={-1}>
        {props.title}
      </h1>
      <p class="sv-notice-body">{props.body}</p>
      {props.children}
    </div>
  );
}
