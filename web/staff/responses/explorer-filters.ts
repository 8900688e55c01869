// The explorer's filters as the page's address holds them, and the words a person reads for an answer filter.
// Pure, tested beside it.
import type { Question } from '../../../surveys/definition.ts';

export interface ExplorerFilters {
  from?: string;
  to?: string;
  channel: string[];
  campaign?: string;
  customer?: string;
  segment?: string;
  quality?: string;
  q?: string;
  answer: string[];
}

type Params = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;
const many = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]).filter(Boolean);

export function filtersOf(params: Params): ExplorerFilters {
  return {
    from: one(params.from),
    to: one(params.to),
    channel: (one(params.channel) ?? '').split(',').filter(Boolean),
    campaign: one(params.campaign),
    customer: one(params.customer),
    segment: one(params.segment),
    quality: one(params.quality),
    q: one(params.q),
    answer: many(params.answer),
  };
}

/** The filters as search parameters (for the router: a list repeats the name; empty ones are left out). */
export function paramsOf(filters: ExplorerFilters): Record<string, string | string[] | null> {
  return {
    from: filters.from || null,
    to: filters.to || null,
    channel: filters.channel.length > 0 ? filters.channel.join(',') : null,
    campaign: filters.campaign || null,
    customer: filters.customer || null,
    segment: filters.segment || null,
    quality: filters.quality || null,
    q: filters.q || null,
    answer: filters.answer.length > 0 ? filters.answer : null,
  };
}

/** The filters as the API's query string, in a fixed order so the same view makes the same request. */
export function queryOf(filters: ExplorerFilters): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(paramsOf(filters))) {
    if (value === null) continue;
    for (const each of Array.isArray(value) ? value : [value]) search.append(key, each);
  }
  return search.toString();
}

export const answerTests = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'answered', 'unanswered'] as const;
export type AnswerTest = (typeof answerTests)[number];
export const testSymbols: Record<AnswerTest, string> = { eq: '=', ne: '≠', lt: '<', le: '≤', gt: '>', ge: '≥', answered: '', unanswered: '' };

/** The tests a question's answers can be filtered by. */
export function testsFor(question: Question, part?: string): AnswerTest[] {
  switch (question.type) {
    case 'text':
      return ['answered', 'unanswered'];
    case 'single_choice':
    case 'multiple_choice':
    case 'consent':
      return ['eq', 'ne', 'answered', 'unanswered'];
    default:
      return part === 'c' ? ['lt', 'le', 'gt', 'ge'] : ['le', 'lt', 'eq', 'ne', 'ge', 'gt', 'answered', 'unanswered'];
  }
}

export interface ParsedAnswer {
  question: string;
  part?: string;
  test: AnswerTest;
  value?: string;
}

export function parseAnswer(filter: string): ParsedAnswer | null {
  const match = /^([A-Za-z][A-Za-z0-9_-]{0,63})(?:\.(expectation|experience|importance|c))?:(eq|ne|lt|le|gt|ge|answered|unanswered)(?::(.+))?$/.exec(filter);
  if (!match) return null;
  return { question: match[1]!, ...(match[2] ? { part: match[2] } : {}), test: match[3] as AnswerTest, ...(match[4] !== undefined ? { value: match[4] } : {}) };
}

export function answerFilter(parsed: ParsedAnswer): string {
  const head = parsed.part ? `${parsed.question}.${parsed.part}` : parsed.question;
  return parsed.test === 'answered' || parsed.test === 'unanswered' || parsed.value === undefined ? `${head}:${parsed.test}` : `${head}:${parsed.test}:${parsed.value}`;
}
