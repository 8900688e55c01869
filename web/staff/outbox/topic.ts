// What a message's topic says in words: the topics the product writes are ids joined by colons
// (campaign:<id>:invitation:<id>, campaign:<id>:reminder:<round>:<id>, insights.weekly-summary:<day>,
// staff-invite:<id>), and a complaint case's mail, by slashes (complaints/<case>/receipt, …/reply,
// …/at_risk, …/breached); a follow-up's email, follow-up:<kind>:<id>.
// Pure, so the reading is tested against the server's own topic builders.

export type TopicReading =
  | { kind: 'invitation'; campaignId: string }
  | { kind: 'reminder'; campaignId: string; round: number }
  | { kind: 'weeklySummary'; week: string }
  | { kind: 'staffInvite' }
  | { kind: 'followUp'; what: FollowUpMail }
  | { kind: 'complaint'; caseId: string; what: ComplaintMail }
  | { kind: 'other'; topic: string };

export const complaintMails = ['receipt', 'reply', 'at_risk', 'breached'] as const;
export type ComplaintMail = (typeof complaintMails)[number];

export const followUpMails = ['thank_you', 'vip', 'at_risk'] as const;
export type FollowUpMail = (typeof followUpMails)[number];

export function readTopic(topic: string): TopicReading {
  const parts = topic.split(':');
  if (parts[0] === 'campaign' && parts.length === 4 && parts[2] === 'invitation') return { kind: 'invitation', campaignId: parts[1]! };
  if (parts[0] === 'campaign' && parts.length === 5 && parts[2] === 'reminder' && /^\d+$/.test(parts[3]!)) {
    return { kind: 'reminder', campaignId: parts[1]!, round: Number(parts[3]) };
  }
  if (parts[0] === 'insights.weekly-summary' && parts.length === 2 && /^\d{4}-\d{2}-\d{2}$/.test(parts[1]!)) return { kind: 'weeklySummary', week: parts[1]! };
  if (parts[0] === 'staff-invite' && parts.length === 2 && parts[1] !== '') return { kind: 'staffInvite' };
  if (parts[0] === 'follow-up' && parts.length === 3 && (followUpMails as readonly string[]).includes(parts[1]!) && parts[2] !== '') {
    return { kind: 'followUp', what: parts[1] as FollowUpMail };
  }
  const complaint = /^complaints\/([^/]+)\/([a-z_]+)$/.exec(topic);
  if (complaint && (complaintMails as readonly string[]).includes(complaint[2]!)) {
    return { kind: 'complaint', caseId: complaint[1]!, what: complaint[2] as ComplaintMail };
  }
  return { kind: 'other', topic };
}
