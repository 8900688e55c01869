// The fields every answered survey sends, whatever page it is answered on (an open link, a personal link, a
// case's status page): the page's own response id, so a retry finds the same row; the language it was answered
// in; the answers keyed by question id, each checked against the survey version by the service; when it began.
import * as v from 'valibot';
import { message } from '../../surveys/i18n.ts';

export const submissionEntries = {
  id: v.pipe(
    v.string(message('The response id is missing.', '缺少回答编号。')),
    v.uuid(message('The response id must be a UUID made by the page.', '回答编号必须是页面生成的 UUID。')),
  ),
  locale: v.picklist(['zh-CN', 'en'], message('The language must be zh-CN or en.', '语言必须是 zh-CN 或 en。')),
  answers: v.custom<Record<string, unknown>>(
    (input) => typeof input === 'object' && input !== null && !Array.isArray(input),
    message('Answers must be an object keyed by question id.', '回答必须是以题目编号为键的对象。'),
  ),
  startedAt: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
};
