// The SurveyJS peer of our public page: the same survey, rendered by survey-core + survey-js-ui with
// SurveyJS's default theme, reading its JSON from the page as ours does.
import { Model } from 'survey-core';
import 'survey-core/i18n/simplified-chinese';
import 'survey-core/survey-core.fontless.css';
import { renderSurvey } from 'survey-js-ui';

const json: unknown = JSON.parse(document.getElementById('survey-json')?.textContent ?? '{}');
const survey = new Model(json);
survey.locale = navigator.language.toLowerCase().startsWith('zh') ? 'zh-cn' : 'en';
renderSurvey(survey, document.getElementById('survey')!);
