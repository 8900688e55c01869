// Attitude, the loyalty score's part A, read from one response: the customer's repurchase intent and their
// recommendation. Pure.
//
//   attitudeAnswers(definition, answers) → { repurchaseIntent: { value, scale } | null,
//                                            recommendation: { value, scale, raw0to10 } | null }
//
// Which questions count: repurchase intent is the rating question the survey marks with
// `measures: 'repurchase_intent'` (surveys/definition.ts; the ACSI template's loyal_repurchase and the
// complaint follow-up's buy_again carry it, and the survey editor sets it); the recommendation is an NPS
// question (0-10, "how likely are you to recommend us"), the first one answered. Each value is scaled to
// 0-100 from its own scale ((answer - min) / (max - min) × 100), so a 4 on 1-5 and a 7.75 on 1-10 both read 75;
// `scale` says what the customer answered on ("1-5", "0-10"). An unanswered question, or an answer that is not
// a whole number on its scale, counts as no answer.
import { scaleOf, type Answers } from '../../../surveys/answers.ts';
import type { Question, SurveyDefinition } from '../../../surveys/definition.ts';

export interface AttitudeAnswers {
  repurchaseIntent: { value: number; scale: string } | null;
  recommendation: { value: number; scale: string; raw0to10: number } | null;
}

function scaled(question: Question, answer: unknown): { value: number; raw: number; scale: string } | null {
  const scale = scaleOf(question);
  if (scale === null || typeof answer !== 'number' || !Number.isInteger(answer) || answer < scale.min || answer > scale.max) return null;
  return { value: ((answer - scale.min) / (scale.max - scale.min)) * 100, raw: answer, scale: `${scale.min}-${scale.max}` };
}

export function attitudeAnswers(definition: SurveyDefinition, answers: Answers): AttitudeAnswers {
  let repurchaseIntent: AttitudeAnswers['repurchaseIntent'] = null;
  let recommendation: AttitudeAnswers['recommendation'] = null;
  for (const question of definition.questions) {
    if (repurchaseIntent === null && question.type === 'rating' && question.measures === 'repurchase_intent') {
      const read = scaled(question, answers[question.id]);
      if (read) repurchaseIntent = { value: read.value, scale: read.scale };
    }
    if (recommendation === null && question.type === 'nps') {
      const read = scaled(question, answers[question.id]);
      if (read) recommendation = { value: read.value, scale: read.scale, raw0to10: read.raw };
    }
  }
  return { repurchaseIntent, recommendation };
}
