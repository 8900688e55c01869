import { describe, expect, it } from 'vitest';
import { invitationTopic, reminderTopic } from '../../../server/campaigns/invitations.ts';
import { weeklySummaryKind } from '../../../server/insights/summary.ts';
import { readTopic } from './topic.ts';

describe('readTopic', () => {
  it('reads the topics the server writes', () => {
    expect(readTopic(invitationTopic('c-1', 'i-1'))).toEqual({ kind: 'invitation', campaignId: 'c-1' });
    expect(readTopic(reminderTopic('c-1', 2, 'i-1'))).toEqual({ kind: 'reminder', campaignId: 'c-1', round: 2 });
    expect(readTopic(`${weeklySummaryKind}:2026-11-30`)).toEqual({ kind: 'weeklySummary', week: '2026-11-30' });
  });

  it('keeps any other topic as it is', () => {
    for (const topic of ['invitation:1', 'campaign:c-1', 'campaign:c-1:reminder:x:i-1', 'insights.weekly-summary:soon']) {
      expect(readTopic(topic)).toEqual({ kind: 'other', topic });
    }
  });
});
