// Pure helpers the loyalty panel and the timeline use to put numbers in plain words.
import type { LoyaltyParts } from '../../../server/loyalty/vocabulary.ts';

type Answer = NonNullable<LoyaltyParts['attitude']['repurchaseIntent']>;

/**
 * An answer as the customer gave it, against its scale: the score's parts keep each answer scaled to 0-100 with
 * the scale it was given on (server/loyalty/rules/attitude.ts), so 75 on "1-5" reads "4/5" and 90 on "0-10"
 * reads "9/10". Without a scale it can read, the scaled value out of 100.
 */
export function answerOutOf(answer: Pick<Answer, 'value' | 'scale'>): string {
  const range = answer.scale.match(/^\s*(-?\d+(?:\.\d+)?)\s*[-–~]\s*(-?\d+(?:\.\d+)?)\s*$/);
  const min = range ? Number(range[1]) : NaN;
  const max = range ? Number(range[2]) : NaN;
  if (!(max > min)) return `${Math.round(answer.value)}/100`;
  const given = Math.round((min + (answer.value / 100) * (max - min)) * 10) / 10;
  return `${given}/${max}`;
}

/** A weight (0.35) as the percent shown beside a part (35). */
export const weightPercent = (weight: number) => Math.round(weight * 100);

/** A reason key the staff app has no words for, readable anyway: "no_purchase_in_gap" → "no purchase in gap". */
export const plainKey = (key: string) => key.replace(/[_.]+/g, ' ').trim();
