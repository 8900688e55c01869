// Valid, varied responses to the demo survey for the load and the insert limit, with ids that carry a
// run tag so the rows one run stored can be counted apart from the demo's and other runs'.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Answers } from '../surveys/answers.ts';
import type { Locale, SurveyDefinition } from '../surveys/definition.ts';
import { demoAnswers } from '../server/cli/demo.ts';
import { seeded } from '../surveys/random.ts';

/** What /s/demo embeds and a submission needs. */
export interface SurveyUnderTest {
  versionId: string;
  definition: SurveyDefinition;
}

export interface ResponseTemplate {
  locale: Locale;
  answers: Answers;
}

/** `size` answer sets across moods and both languages; the load cycles through them. */
export function responsePool(definition: SurveyDefinition, size: number): ResponseTemplate[] {
  return Array.from({ length: size }, (_, index) => {
    const random = seeded(index + 1);
    const locale: Locale = random() < 0.7 ? 'zh-CN' : 'en';
    return { locale, answers: demoAnswers(definition, random, random(), locale) };
  });
}

/** 8 hex digits that start every id of one run. */
export function newRunTag() {
  return randomBytes(4).toString('hex');
}

/** A UUID v4 whose first group is the run tag. */
export function taggedId(runTag: string) {
  return runTag + randomUUID().slice(8);
}

/**
 * The JSON body of POST /api/public/responses for one answer set, as a function of the id and start time;
 * the rest is serialised once, so a load generator can make thousands of bodies a second cheaply.
 */
export function submissionBody(survey: SurveyUnderTest, template: ResponseTemplate): (id: string, startedAt: number) => string {
  const rest = JSON.stringify({ versionId: survey.versionId, locale: template.locale, answers: template.answers, channel: 'web' });
  const tail = rest.slice(1);
  return (id, startedAt) => `{"id":${JSON.stringify(id)},"startedAt":${Math.round(startedAt)},${tail}`;
}
