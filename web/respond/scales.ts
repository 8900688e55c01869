// The numbers a scale question offers and what its two ends say.
import type { Locale } from '../../surveys/definition.ts';
import type { Scale, ScaledQuestion } from '../../surveys/answers.ts';
import { localize, ui } from './i18n.ts';

export function scaleValues({ min, max }: Scale): number[] {
  return Array.from({ length: max - min + 1 }, (_, index) => min + index);
}

/** End labels: the author's, else a standard wording for the metric, else none (a plain rating). */
export function endLabels(question: ScaledQuestion, locale: Locale): [string, string] | undefined {
  if (question.labels) return [localize(question.labels.min, locale), localize(question.labels.max, locale)];
  const text = ui[locale];
  switch (question.type) {
    case 'nps':
      return text.npsEnds;
    case 'csat':
      return text.csatEnds;
    case 'ces':
      return text.cesEnds;
    case 'expectation_experience':
      return text.levelEnds;
    default:
      return undefined;
  }
}
