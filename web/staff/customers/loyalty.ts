// Pure helpers the loyalty panel and the timeline use to put numbers in plain words.
import type { LoyaltyParts } from '../../../server/loyalty/vocabulary.ts';

type Answer = NonNullable<LoyaltyParts['attitude']['repurchaseIntent']>;

/**
 * An answer against its scale, as a person reads it: 4 on "1-5" is "4/5", 9 on "0-10" is "9/10". A value
 * outside the scale is the answer scaled to 0-100 ("80/100").
 */
export function answerOutOf(answer: Pick<Answer, 'value' | 'scale'>): string {
  const range = answer.scale.match(/^\s*(-?\d+(?:\.\d+)?)\s*[-–~]\s*(\d+(?:\.\d+)?)\s*$/);
  const shown = Number.isInteger(answer.value) ? String(answer.value) : answer.value.toFixed(1);
  if (range && answer.value >= Number(range[1]) && answer.value <= Number(range[2])) return `${shown}/${range[2]}`;
  return `${Math.round(answer.value)}/100`;
}

/** A weight (0.35) as the percent shown beside a part (35). */
export const weightPercent = (weight: number) => Math.round(weight * 100);

/** A reason key the staff app has no words for, readable anyway: "no_purchase_in_gap" → "no purchase in gap". */
export const plainKey = (key: string) => key.replace(/[_.]+/g, ' ').trim();
