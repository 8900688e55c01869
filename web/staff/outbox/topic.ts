// What a message's topic says in words: the topics the product writes are ids joined by colons
// (campaign:<id>:invitation:<id>, campaign:<id>:reminder:<round>:<id>, insights.weekly-summary:<day>).
// Pure, so the reading is tested against the server's own topic builders.

export type TopicReading =
  | { kind: 'invitation'; campaignId: string }
  | { kind: 'reminder'; campaignId: string; round: number }
  | { kind: 'weeklySummary'; week: string }
  | { kind: 'other'; topic: string };

export function readTopic(topic: string): TopicReading {
  const parts = topic.split(':');
  if (parts[0] === 'campaign' && parts.length === 4 && parts[2] === 'invitation') return { kind: 'invitation', campaignId: parts[1]! };
  if (parts[0] === 'campaign' && parts.length === 5 && parts[2] === 'reminder' && /^\d+$/.test(parts[3]!)) {
    return { kind: 'reminder', campaignId: parts[1]!, round: Number(parts[3]) };
  }
  if (parts[0] === 'insights.weekly-summary' && parts.length === 2 && /^\d{4}-\d{2}-\d{2}$/.test(parts[1]!)) return { kind: 'weeklySummary', week: parts[1]! };
  return { kind: 'other', topic };
}
