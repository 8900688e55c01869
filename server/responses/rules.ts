// The responses explorer's rules, pure: how a response's answers are coded for the index (one character per
// answer part, so a filter is a character test and a summary a count of characters), how comments are made
// searchable (Chinese split into single characters, searched as phrases), which filters a request may carry
// and what they mean for a survey, and the per-question summary of a filtered set.
import * as v from 'valibot';
import { answerTo, scaleOf, type Answers } from '../../surveys/answers.ts';
import type { LocalizedText, Question, SurveyDefinition } from '../../surveys/definition.ts';
import { bilingual, message } from '../../surveys/i18n.ts';
import { csatFromCounts, npsFromCounts } from '../../surveys/indices/metrics.ts';
import { meanFromSums, wilsonInterval } from '../../surveys/indices/stats.ts';
import { qualityFlags } from '../../surveys/indices/quality.ts';

// ---------------------------------------------------------------------------------------------------------
// Coding answers

/** One coded part of an answer: a rating's value, one side of a pair, whether an option was chosen. */
export interface Slot {
  question: string;
  part: 'value' | 'expectation' | 'experience' | 'importance' | 'answered' | 'other' | `option:${string}`;
}

/** A code is one character: 48 ('0') plus the value; a part not answered is a space. */
export const codeBase = 48;
export const missingCode = ' ';
const code = (value: number) => String.fromCharCode(codeBase + value);

function slotsOfQuestion(question: Question): Slot[] {
  const id = question.id;
  switch (question.type) {
    case 'rating':
    case 'nps':
    case 'csat':
    case 'ces':
    case 'consent':
      return [{ question: id, part: 'value' }];
    case 'expectation_experience':
      return [
        { question: id, part: 'expectation' },
        { question: id, part: 'experience' },
        ...(question.withImportance ? [{ question: id, part: 'importance' } as const] : []),
      ];
    case 'single_choice':
      return question.options.map((option) => ({ question: id, part: `option:${option.id}` as const }));
    case 'multiple_choice':
      return [
        ...question.options.map((option) => ({ question: id, part: `option:${option.id}` as const })),
        ...(question.allowOther ? [{ question: id, part: 'other' } as const] : []),
      ];
    case 'text':
      return [{ question: id, part: 'answered' }];
  }
}

const slotKey = (slot: Slot) => `${slot.question}\u0000${slot.part}`;

/**
 * A survey's slots with this version's added at the end. Slots are never moved or dropped, so the codes
 * stored for earlier responses keep their meaning; returns the same array when nothing was added.
 */
export function withVersionSlots(slots: readonly Slot[], definition: SurveyDefinition): readonly Slot[] {
  const known = new Set(slots.map(slotKey));
  const added = definition.questions.flatMap(slotsOfQuestion).filter((slot) => !known.has(slotKey(slot)));
  return added.length === 0 ? slots : [...slots, ...added];
}

/** The codes of one response, one character per slot. */
export function codesOf(slots: readonly Slot[], answers: Answers): string {
  let codes = '';
  for (const slot of slots) {
    const answer = answerTo(answers, slot.question);
    codes += answer === undefined ? missingCode : codeOf(slot, answer);
  }
  return codes;
}

function codeOf(slot: Slot, answer: unknown): string {
  if (slot.part === 'value') {
    if (typeof answer === 'number' && Number.isInteger(answer) && answer >= 0) return code(answer);
    if (typeof answer === 'boolean') return code(answer ? 1 : 0);
    return missingCode;
  }
  if (slot.part === 'expectation' || slot.part === 'experience' || slot.part === 'importance') {
    const value = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>)[slot.part] : undefined;
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? code(value) : missingCode;
  }
  if (slot.part === 'answered') return typeof answer === 'string' && answer.trim() !== '' ? code(1) : missingCode;
  if (slot.part === 'other') {
    const other = typeof answer === 'object' && answer !== null ? (answer as { other?: unknown }).other : undefined;
    return code(typeof other === 'string' && other.trim() !== '' ? 1 : 0);
  }
  const option = slot.part.slice('option:'.length);
  if (typeof answer === 'string') return code(answer === option ? 1 : 0);
  const selected = typeof answer === 'object' && answer !== null ? (answer as { selected?: unknown }).selected : undefined;
  return Array.isArray(selected) ? code(selected.includes(option) ? 1 : 0) : missingCode;
}

// ---------------------------------------------------------------------------------------------------------
// Searching comments

// Chinese, Japanese and Korean script: written without spaces, so each character is made a word of its own
// and a search for "服务" becomes the phrase "服 务" (those two characters next to each other).
const cjk = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])/gu;

/** Text as the search index stores it: each CJK character set apart by spaces. */
export function searchableText(text: string): string {
  return text.replace(cjk, ' $1 ').replace(/\s+/g, ' ').trim();
}

/** Every comment of a response (text answers, "other" entries), made searchable; '' when it has none. */
export function commentsOf(definition: SurveyDefinition, answers: Answers): string {
  const parts: string[] = [];
  for (const question of definition.questions) {
    const answer = answerTo(answers, question.id);
    if (question.type === 'text' && typeof answer === 'string') parts.push(answer);
    if (question.type === 'multiple_choice' && typeof answer === 'object' && answer !== null && 'other' in answer && typeof answer.other === 'string') {
      parts.push(answer.other);
    }
  }
  return searchableText(parts.join('\n'));
}

/**
 * What a person typed as an FTS5 query: every word must appear (Chinese words as phrases of their
 * characters), a Latin word also matching longer words it begins (deliv → delivery). Null when nothing
 * searchable was typed.
 */
export function searchQuery(typed: string): string | null {
  const terms = typed
    .split(/\s+/)
    .map((term) => searchableText(term))
    .filter((term) => /[\p{L}\p{N}]/u.test(term))
    .map((term) => {
      const phrase = `"${term.replace(/"/g, '""')}"`;
      return /[A-Za-z0-9]$/.test(term) ? `${phrase}*` : phrase;
    });
  return terms.length === 0 ? null : terms.join(' ');
}

// ---------------------------------------------------------------------------------------------------------
// Filters

export const responseChannels = ['web', 'mail', 'phone', 'onsite'] as const;
export const qualityChoices = ['clean', 'flagged', ...qualityFlags] as const;
export type QualityChoice = (typeof qualityChoices)[number];
export const answerOps = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'answered', 'unanswered'] as const;
export type AnswerOp = (typeof answerOps)[number];
const pairParts = ['expectation', 'experience', 'importance', 'c'] as const;
type PairPart = (typeof pairParts)[number];

const dayText = message('Dates are written YYYY-MM-DD, e.g. 2026-03-31.', '日期格式为 YYYY-MM-DD，例如 2026-03-31。');
const Day = v.pipe(v.string(dayText), v.regex(/^\d{4}-\d{2}-\d{2}$/, dayText), v.check((day) => !Number.isNaN(Date.parse(`${day}T00:00:00Z`)), dayText));
const channelText = message('The channel is one or more of web, mail, phone, onsite, separated by commas.', '渠道为 web、mail、phone、onsite 中的一个或多个，用逗号分隔。');
const idText = message('An id has at most 64 characters.', '编号最多 64 个字符。');
const Id = v.pipe(v.string(idText), v.trim(), v.nonEmpty(idText), v.maxLength(64, idText));
const answerText = message(
  'An answer filter is written question:test:value, e.g. nps:le:6, visit_reason:eq:store, ee_service.c:lt:1 or comment:answered (tests: eq, ne, lt, le, gt, ge, answered, unanswered).',
  '答案筛选的格式为 题目:条件:值，例如 nps:le:6、visit_reason:eq:store、ee_service.c:lt:1 或 comment:answered（条件：eq、ne、lt、le、gt、ge、answered、unanswered）。',
);
const answerPattern = /^([A-Za-z][A-Za-z0-9_-]{0,63})(?:\.(expectation|experience|importance|c))?:(eq|ne|lt|le|gt|ge|answered|unanswered)(?::(.{1,100}))?$/;
const searchText = message('The search has at most 200 characters.', '搜索内容最多 200 个字符。');

/** The filters of a request, as they stand in the page's address and the API's query string. */
export const ExplorerQuery = v.object({
  from: v.optional(Day),
  to: v.optional(Day),
  channel: v.optional(
    v.pipe(
      v.string(channelText),
      v.transform((text) => [...new Set(text.split(',').map((part) => part.trim()).filter(Boolean))]),
      v.array(v.picklist(responseChannels, channelText)),
    ),
  ),
  campaign: v.optional(Id),
  customer: v.optional(Id),
  segment: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100, message('A segment has at most 100 characters.', '客户分群最多 100 个字符。')))),
  quality: v.optional(
    v.picklist(
      qualityChoices,
      message(
        'quality is clean (no flag), flagged (any flag), speeder, straight_liner or duplicate.',
        'quality 只能是 clean（无标记）、flagged（有任一标记）、speeder、straight_liner 或 duplicate。',
      ),
    ),
  ),
  q: v.optional(v.pipe(v.string(searchText), v.trim(), v.maxLength(200, searchText))),
  answer: v.optional(
    v.pipe(
      v.array(v.pipe(v.string(answerText), v.trim(), v.regex(answerPattern, answerText))),
      v.maxLength(10, message('At most 10 answer filters at once.', '最多同时使用 10 个答案筛选。')),
    ),
    [],
  ),
});
export type ExplorerQuery = v.InferOutput<typeof ExplorerQuery>;

/** A test on coded parts; a comparison or ratio holds only where the part is answered. */
export type SlotTest =
  | { kind: 'compare'; slot: number; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: number }
  | { kind: 'answered'; slot: number; answered: boolean }
  | { kind: 'ratio'; expectation: number; experience: number; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: number };

const comparison = { eq: '=', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' } as const;

/** Why an answer filter does not fit the survey (both languages), or its tests on the coded parts. */
export function answerTests(
  filter: string,
  questions: readonly Question[],
  slots: readonly Slot[],
): { ok: true; tests: SlotTest[] } | { ok: false; error: LocalizedText } {
  const match = answerPattern.exec(filter);
  if (!match) return { ok: false, error: bilingual(answerText({ lang: 'en' }), answerText({ lang: 'zh-CN' })) };
  const [, questionId, part, op, value] = match as unknown as [string, string, PairPart | undefined, AnswerOp, string | undefined];
  const question = questions.find((candidate) => candidate.id === questionId);
  if (!question) {
    return { ok: false, error: bilingual(`This survey has no question "${questionId}".`, `该问卷没有题目 "${questionId}"。`) };
  }
  const slotOf = (slotPart: Slot['part']) => slots.findIndex((slot) => slot.question === question.id && slot.part === slotPart);
  const title = `"${question.id}" (${question.title.en})`;
  const zhTitle = `"${question.id}"（${question.title['zh-CN']}）`;
  if (part !== undefined && question.type !== 'expectation_experience') {
    return { ok: false, error: bilingual(`Only expectation–experience questions have parts such as .${part}; ${title} has none.`, `只有期望–体验题才有 .${part} 等部分；${zhTitle} 没有。`) };
  }
  // A part no indexed response has yet has no slot (-1): its tests hold for no response ("unanswered" for all).
  const firstSlot = slots.findIndex((slot) => slot.question === question.id);
  if (op === 'answered' || op === 'unanswered') {
    if (value !== undefined) return { ok: false, error: bilingual(`"${op}" takes no value (write ${question.id}:${op}).`, `"${op}" 不带取值（写作 ${question.id}:${op}）。`) };
    return { ok: true, tests: [{ kind: 'answered', slot: firstSlot, answered: op === 'answered' }] };
  }
  if (value === undefined) return { ok: false, error: bilingual(`Give a value to compare ${title} with, e.g. ${question.id}:${op}:6.`, `请给出与 ${zhTitle} 比较的值，例如 ${question.id}:${op}:6。`) };

  switch (question.type) {
    case 'text':
      return { ok: false, error: bilingual(`A comment question (${title}) can only be tested with answered or unanswered; use the search for its words.`, `文本题 ${zhTitle} 只能用 answered 或 unanswered 筛选；请用搜索查找其中的词语。`) };
    case 'single_choice':
    case 'multiple_choice': {
      if (op !== 'eq' && op !== 'ne') {
        return { ok: false, error: bilingual(`Choose options of ${title} with eq or ne, e.g. ${question.id}:eq:${question.options[0]!.id}.`, `请用 eq 或 ne 选择 ${zhTitle} 的选项，例如 ${question.id}:eq:${question.options[0]!.id}。`) };
      }
      const slot = slotOf(`option:${value}`);
      if (!question.options.some((option) => option.id === value)) {
        const ids = question.options.map((option) => option.id).join(', ');
        return { ok: false, error: bilingual(`"${value}" is not an option of ${title}; its options are ${ids}.`, `"${value}" 不是 ${zhTitle} 的选项；可选：${ids}。`) };
      }
      return { ok: true, tests: [{ kind: 'compare', slot, op: '=', value: op === 'eq' ? 1 : 0 }] };
    }
    case 'consent': {
      if ((op !== 'eq' && op !== 'ne') || (value !== 'yes' && value !== 'no')) {
        return { ok: false, error: bilingual(`Test consent ${title} with eq:yes or eq:no.`, `同意题 ${zhTitle} 请用 eq:yes 或 eq:no 筛选。`) };
      }
      const yes = (value === 'yes') === (op === 'eq');
      return { ok: true, tests: [{ kind: 'compare', slot: firstSlot, op: '=', value: yes ? 1 : 0 }] };
    }
    default: {
      const number = Number(value);
      const isRatio = question.type === 'expectation_experience' && part === 'c';
      if (!Number.isFinite(number) || (!isRatio && !Number.isInteger(number))) {
        return { ok: false, error: bilingual(`Compare ${title} with ${isRatio ? 'a number, e.g. 1' : 'a whole number'} (got "${value}").`, `请用${isRatio ? '数字（例如 1）' : '整数'}与 ${zhTitle} 比较（当前为 "${value}"）。`) };
      }
      if (isRatio) {
        return { ok: true, tests: [{ kind: 'ratio', expectation: slotOf('expectation'), experience: slotOf('experience'), op: comparison[op], value: number }] };
      }
      const scale = scaleOf(question);
      if (scale && (number < scale.min || number > scale.max)) {
        return { ok: false, error: bilingual(`${title} is answered from ${scale.min} to ${scale.max} (got ${number}).`, `${zhTitle} 的答案范围是 ${scale.min} 到 ${scale.max}（当前为 ${number}）。`) };
      }
      if (question.type === 'expectation_experience' && part === 'importance' && !question.withImportance) {
        return { ok: false, error: bilingual(`${title} does not ask how important the attribute is.`, `${zhTitle} 没有询问该属性的重要性。`) };
      }
      const slot = question.type === 'expectation_experience' ? slotOf(part === undefined || part === 'c' ? 'experience' : part) : firstSlot;
      return { ok: true, tests: [{ kind: 'compare', slot, op: comparison[op], value: number }] };
    }
  }
}

/** A survey's questions over all its versions: the newest version's in its order, then those only older ones asked. */
export function questionsOf(definitionsNewestFirst: readonly SurveyDefinition[]): Question[] {
  const seen = new Set<string>();
  const questions: Question[] = [];
  for (const definition of definitionsNewestFirst) {
    for (const question of definition.questions) {
      if (seen.has(question.id)) continue;
      seen.add(question.id);
      questions.push(question);
    }
  }
  return questions;
}

// ---------------------------------------------------------------------------------------------------------
// Summaries

export interface Estimate {
  n: number;
  mean: number | null;
  low: number | null;
  high: number | null;
}
export interface Share {
  /** An option's id, or a scale value as text. */
  value: string;
  label: LocalizedText;
  count: number;
  /** 95% Wilson interval of the share, 0 to 1. */
  low: number | null;
  high: number | null;
}
export type QuestionSummary =
  | {
      id: string;
      type: Question['type'];
      title: LocalizedText;
      n: number;
      kind: 'scale';
      scale: { min: number; max: number };
      mean: Estimate;
      /** The industry figure of an NPS or CSAT question (the NPS score, % satisfied), with its 95% interval. */
      headline: { figure: 'nps' | 'csat'; value: number | null; low: number | null; high: number | null } | null;
      distribution: Share[];
    }
  | {
      id: string;
      type: 'expectation_experience';
      title: LocalizedText;
      n: number;
      kind: 'pair';
      scale: { min: number; max: number };
      expectation: Estimate;
      experience: Estimate;
      importance: Estimate | null;
      /** c = experience ÷ expectation per response, averaged; with how many fell short of expectations. */
      c: Estimate;
      below: number;
      distribution: Share[];
    }
  | { id: string; type: Question['type']; title: LocalizedText; n: number; kind: 'choice'; distribution: Share[] }
  | { id: string; type: 'text'; title: LocalizedText; n: number; kind: 'text' };

const estimate = (n: number, sum: number, squares: number): Estimate => {
  const { mean, low, high } = meanFromSums(n, sum, squares);
  return { n, mean, low, high };
};

const yesNo = { yes: bilingual('Yes', '是'), no: bilingual('No', '否') };

/**
 * Every question's summary over the coded rows of a filtered set (`rows`: each response's codes, one row
 * per line, as bytes: every code is ASCII), counted in one pass.
 */
export function summarize(questions: readonly Question[], slots: readonly Slot[], rows: Uint8Array): QuestionSummary[] {
  const width = slots.length;
  const counts = new Uint32Array(Math.max(1, width) * 128);
  const pairs = questions
    .filter((question) => question.type === 'expectation_experience')
    .map((question) => ({
      id: question.id,
      expectation: slots.findIndex((slot) => slot.question === question.id && slot.part === 'expectation'),
      experience: slots.findIndex((slot) => slot.question === question.id && slot.part === 'experience'),
      n: 0,
      sum: 0,
      squares: 0,
      below: 0,
    }));
  let position = 0;
  for (let i = 0; i < rows.length; i++) {
    const byte = rows[i]!;
    if (byte === 10) {
      if (pairs.length > 0) tallyPairs(rows, i - position, position, pairs);
      position = 0;
      continue;
    }
    if (position < width) counts[(position << 7) | (byte & 127)]! += 1;
    position += 1;
  }
  if (rows.length > 0 && rows[rows.length - 1] !== 10 && pairs.length > 0) tallyPairs(rows, rows.length - position, position, pairs);

  const count = (slot: number, value: number) => (slot < 0 ? 0 : counts[slot * 128 + codeBase + value]!);
  const answeredIn = (slot: number) => {
    if (slot < 0) return 0;
    let n = 0;
    for (let c = codeBase; c < 128; c++) n += counts[slot * 128 + c]!;
    return n;
  };
  const scaleEstimate = (slot: number, min: number, max: number) => {
    let n = 0;
    let sum = 0;
    let squares = 0;
    for (let value = min; value <= max; value++) {
      const k = count(slot, value);
      n += k;
      sum += k * value;
      squares += k * value * value;
    }
    return estimate(n, sum, squares);
  };
  const shares = (n: number, entries: { value: string; label: LocalizedText; count: number }[]): Share[] =>
    entries.map((entry) => ({ ...entry, ...wilsonInterval(entry.count, n) }));
  const slotOf = (question: string, part: Slot['part']) => slots.findIndex((slot) => slot.question === question && slot.part === part);

  return questions.map((question): QuestionSummary => {
    const base = { id: question.id, title: question.title };
    switch (question.type) {
      case 'rating':
      case 'nps':
      case 'csat':
      case 'ces': {
        const scale = scaleOf(question);
        const slot = slotOf(question.id, 'value');
        const mean = scaleEstimate(slot, scale.min, scale.max);
        const values = Array.from({ length: scale.max - scale.min + 1 }, (_, i) => scale.min + i);
        const byValue = Array.from({ length: scale.max + 1 }, (_, value) => count(slot, value));
        let headline: Extract<QuestionSummary, { kind: 'scale' }>['headline'] = null;
        if (question.type === 'nps') {
          const figure = npsFromCounts(byValue);
          headline = { figure: 'nps', value: figure.score, low: figure.low, high: figure.high };
        } else if (question.type === 'csat') {
          const figure = csatFromCounts(byValue);
          headline = { figure: 'csat', value: figure.percent, low: figure.low, high: figure.high };
        }
        return {
          ...base,
          type: question.type,
          kind: 'scale',
          n: mean.n,
          scale,
          mean,
          headline,
          distribution: shares(mean.n, values.map((value) => ({ value: String(value), label: bilingual(String(value), String(value)), count: count(slot, value) }))),
        };
      }
      case 'expectation_experience': {
        const scale = scaleOf(question);
        const experienceSlot = slotOf(question.id, 'experience');
        const experience = scaleEstimate(experienceSlot, scale.min, scale.max);
        const pair = pairs.find((entry) => entry.id === question.id)!;
        const values = Array.from({ length: scale.max - scale.min + 1 }, (_, i) => scale.min + i);
        return {
          ...base,
          type: 'expectation_experience',
          kind: 'pair',
          n: experience.n,
          scale,
          expectation: scaleEstimate(slotOf(question.id, 'expectation'), scale.min, scale.max),
          experience,
          importance: question.withImportance ? scaleEstimate(slotOf(question.id, 'importance'), scale.min, scale.max) : null,
          c: estimate(pair.n, pair.sum, pair.squares),
          below: pair.below,
          distribution: shares(experience.n, values.map((value) => ({ value: String(value), label: bilingual(String(value), String(value)), count: count(experienceSlot, value) }))),
        };
      }
      case 'single_choice':
      case 'multiple_choice': {
        const first = slotOf(question.id, `option:${question.options[0]!.id}`);
        const n = answeredIn(first);
        const entries = question.options.map((option) => ({ value: option.id, label: option.label, count: count(slotOf(question.id, `option:${option.id}`), 1) }));
        if (question.type === 'multiple_choice' && question.allowOther) {
          entries.push({ value: 'other', label: bilingual('Other', '其他'), count: count(slotOf(question.id, 'other'), 1) });
        }
        return { ...base, type: question.type, kind: 'choice', n, distribution: shares(n, entries) };
      }
      case 'consent': {
        const slot = slotOf(question.id, 'value');
        const n = count(slot, 0) + count(slot, 1);
        return { ...base, type: 'consent', kind: 'choice', n, distribution: shares(n, [{ value: 'yes', label: yesNo.yes, count: count(slot, 1) }, { value: 'no', label: yesNo.no, count: count(slot, 0) }]) };
      }
      case 'text':
        return { ...base, type: 'text', kind: 'text', n: count(slotOf(question.id, 'answered'), 1) };
    }
  });
}

function tallyPairs(rows: Uint8Array, start: number, length: number, pairs: { expectation: number; experience: number; n: number; sum: number; squares: number; below: number }[]) {
  for (const pair of pairs) {
    if (pair.expectation < 0 || pair.experience < 0 || pair.expectation >= length || pair.experience >= length) continue;
    const expectation = rows[start + pair.expectation]! - codeBase;
    const experience = rows[start + pair.experience]! - codeBase;
    if (expectation <= 0 || experience < 0) continue;
    const c = experience / expectation;
    pair.n += 1;
    pair.sum += c;
    pair.squares += c * c;
    if (c < 1) pair.below += 1;
  }
}
