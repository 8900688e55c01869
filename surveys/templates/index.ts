// Ready-made surveys a manager starts from. Each JSON file is already in parsed form (defaults written
// out), which index.test.ts checks, so the cast to SurveyDefinition below is safe.
import type { SurveyDefinition } from '../definition.ts';
import acsi from './acsi.json' with { type: 'json' };
import ces from './ces.json' with { type: 'json' };
import complaintForm from './complaint-form.json' with { type: 'json' };
import expectationExperience from './expectation-experience.json' with { type: 'json' };
import followUp from './follow-up.json' with { type: 'json' };
import relationshipNps from './relationship-nps.json' with { type: 'json' };
import transactionalCsat from './transactional-csat.json' with { type: 'json' };

export const templateIds = [
  'transactional-csat',
  'relationship-nps',
  'ces',
  'expectation-experience',
  'acsi',
  'complaint-form',
  'follow-up',
] as const;
export type TemplateId = (typeof templateIds)[number];

// JSON imports type "kind" as string, not the SurveyKind union, hence the cast.
export const templates = {
  'transactional-csat': transactionalCsat,
  'relationship-nps': relationshipNps,
  ces,
  'expectation-experience': expectationExperience,
  acsi,
  'complaint-form': complaintForm,
  'follow-up': followUp,
} as Record<TemplateId, SurveyDefinition>;
