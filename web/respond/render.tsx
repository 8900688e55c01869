// Server entry (built with `vite build --ssr`): the open survey's form as HTML, so the first question can be
// answered as soon as the page arrives, before any script runs. main.tsx then takes over with the same form.
import { renderToString } from 'solid-js/web';
import { visibleQuestions } from '../../surveys/answers.ts';
import type { Locale, SurveyDefinition } from '../../surveys/definition.ts';
import { firstScreenCount } from './first-screen.ts';
import { serverIdPrefix } from './render-prefix.ts';
import { SurveyForm } from './SurveyForm.tsx';

export function renderOpenSurvey(definition: SurveyDefinition, locale: Locale): string {
  return renderToString(() => (
    <main class="sv-page">
      <SurveyForm
        definition={definition}
        locale={locale}
        onLocaleChange={() => {}}
        idPrefix={serverIdPrefix}
        firstQuestions={firstScreenCount(visibleQuestions(definition, {}))}
      />
    </main>
  ));
}
