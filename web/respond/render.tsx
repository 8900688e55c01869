// Server entry (built with `vite build --ssr`): the open survey's form as HTML, so the first question can be
// answered as soon as the page arrives, before any script runs. main.tsx then takes over with the same form.
import { renderToString } from 'solid-js/web';
import type { Locale, SurveyDefinition } from '../../surveys/definition.ts';
import { serverIdPrefix } from './render-prefix.ts';
import { SurveyForm } from './SurveyForm.tsx';

/** Enough to fill a phone's screen; the rest arrive with the script, below the fold, a moment later. */
const serverQuestions = 3;

export function renderOpenSurvey(definition: SurveyDefinition, locale: Locale): string {
  return renderToString(() => (
    <main class="sv-page">
      <SurveyForm
        definition={definition}
        locale={locale}
        onLocaleChange={() => {}}
        idPrefix={serverIdPrefix}
        firstQuestions={serverQuestions}
      />
    </main>
  ));
}
