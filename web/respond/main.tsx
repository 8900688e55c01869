// Entry of the public respondent page: read the survey the server embedded, render it.
import { render } from 'solid-js/web';
import { RespondPage, type SurveyData } from './RespondPage.tsx';
import './page.css';

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
root.textContent = '';
render(() => <RespondPage data={readSurveyData()} />, root);
