// The four quadrants of importance against performance and their names in both languages: one list, read by
// the dashboard and written by its CSV export, so a download says what the screen says. Pure.

/** Stable keys of the quadrants. */
export type Quadrant = 'keep_up' | 'concentrate_here' | 'low_priority' | 'possible_overkill';

export const quadrantLabels: Record<Quadrant, { en: string; 'zh-CN': string }> = {
  keep_up: { en: 'Keep up the good work', 'zh-CN': '继续保持' },
  concentrate_here: { en: 'Concentrate here', 'zh-CN': '重点改进' },
  low_priority: { en: 'Low priority', 'zh-CN': '次要改进' },
  possible_overkill: { en: 'Possible overkill', 'zh-CN': '过度投入' },
};

/** The quadrants' names in one language, by key. */
export function quadrantNames(locale: 'en' | 'zh-CN'): Record<Quadrant, string> {
  return {
    keep_up: quadrantLabels.keep_up[locale],
    concentrate_here: quadrantLabels.concentrate_here[locale],
    low_priority: quadrantLabels.low_priority[locale],
    possible_overkill: quadrantLabels.possible_overkill[locale],
  };
}
