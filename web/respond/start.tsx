// The public respondent page's app, loaded by main.ts once the page is parsed: read the survey the server
// embedded, render it.
import { render } from 'solid-js/web';
import { earlyAnswers } from './early-answers.ts';
import { serverIdPrefix } from './render-prefix.ts';
import { RespondPage, type SurveyData } from './RespondPage.tsx';

function readSurveyData(): SurveyData {
  const embedded = document.getElementById('survey-data')?.textContent;
  if (!embedded) return { state: 'unknown' };
  try {
    const data = JSON.parse(embedded) as SurveyData;
    return data && (data.state === 'open' || data.state === 'closed') ? data : { state: 'unknown' };
  } catch {
    return { state: 'unknown' };
  }
}

const root = document.getElementById('app')!;
const data = readSurveyData();
// The server sent the form as HTML; keep anything answered in it before this script ran.
const early = data.state === 'open' ? earlyAnswers(root, data.definition, serverIdPrefix) : {};
root.textContent = '';
render(() => <RespondPage data={data} earlyAnswers={early} />, root);
