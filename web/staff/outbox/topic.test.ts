import { describe, expect, it } from 'vitest';
import { staffInviteTopic } from '../../../server/accounts/service.ts';
import { invitationTopic, reminderTopic } from '../../../server/campaigns/invitations.ts';
import { weeklySummaryKind } from '../../../server/insights/summary.ts';
import { alertTopic } from '../../../server/complaints/notifications.ts';
import { followUpTopic } from '../../../server/loyalty/follow-ups.ts';
import { readTopic } from './topic.ts';

describe('readTopic', () => {
  it('reads the topics the server writes', () => {
    expect(readTopic(invitationTopic('c-1', 'i-1'))).toEqual({ kind: 'invitation', campaignId: 'c-1' });
    expect(readTopic(reminderTopic('c-1', 2, 'i-1'))).toEqual({ kind: 'reminder', campaignId: 'c-1', round: 2 });
    expect(readTopic(`${weeklySummaryKind}:2026-11-30`)).toEqual({ kind: 'weeklySummary', week: '2026-11-30' });
    expect(readTopic(staffInviteTopic('9f2c'))).toEqual({ kind: 'staffInvite' });
    expect(readTopic(alertTopic('case-1', 'at_risk'))).toEqual({ kind: 'complaint', caseId: 'case-1', what: 'at_risk' });
    expect(readTopic(alertTopic('case-1', 'breached'))).toEqual({ kind: 'complaint', caseId: 'case-1', what: 'breached' });
    expect(readTopic('complaints/case-1/receipt')).toEqual({ kind: 'complaint', caseId: 'case-1', what: 'receipt' });
    expect(readTopic('complaints/case-1/reply')).toEqual({ kind: 'complaint', caseId: 'case-1', what: 'reply' });
    expect(readTopic(followUpTopic('thank_you', 'f-1'))).toEqual({ kind: 'followUp', what: 'thank_you' });
  });

  it('keeps any other topic as it is', () => {
    for (const topic of ['invitation:1', 'campaign:c-1', 'campaign:c-1:reminder:x:i-1', 'insights.weekly-summary:soon', 'staff-invite:', 'complaints/c-1/other', 'complaints//reply', 'follow-up:thank_you:', 'follow-up:party:f-1']) {
      expect(readTopic(topic)).toEqual({ kind: 'other', topic });
    }
  });
});
