// How a survey is named wherever one is picked (the dashboard filter, a campaign's survey): its title, its
// link name and its status, so two surveys with the same title can be told apart.
import type { LocalizedText } from '../../surveys/definition.ts';
import { localized } from './i18n.ts';
import type { SurveyStatus } from './surveys/api.ts';
import { t } from './text.ts';

export function surveyChoiceLabel(survey: { title: LocalizedText; slug: string; status: SurveyStatus }): string {
  return t('surveyChoice', { title: localized(survey.title), slug: survey.slug, status: t(`status.${survey.status}`) });
}
