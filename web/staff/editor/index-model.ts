// Editing a survey's index model in the staff editor: which rating questions measure which construct and the
// paths between constructs. The functions change the model in place (the page calls them through the store's
// `produce`); the checks themselves live in surveys/index-model.ts.
import type { IndexConstruct, IndexModel } from '../../../surveys/index-model.ts';
import type { QuestionType } from '../../../surveys/definition.ts';
import type { QuestionDraft, TextDraft } from './model.ts';

const itemTypes = new Set<QuestionType>(['rating', 'csat', 'nps', 'ces']);

/** Whether answers to this type of question can measure a construct. */
export const isItemType = (type: QuestionType) => itemTypes.has(type);

/** The survey's questions that can measure a construct, in survey order. */
export const ratingQuestions = (questions: readonly QuestionDraft[]) => questions.filter((question) => isItemType(question.type));

/** A model needs at least two rating questions to be worth offering; one already there stays editable. */
export const offersIndexModel = (questions: readonly QuestionDraft[], model: IndexModel | null) =>
  model !== null || ratingQuestions(questions).length >= 2;

function unusedConstructId(constructs: readonly IndexConstruct[]): string {
  const ids = new Set(constructs.map((construct) => construct.id));
  let n = constructs.length + 1;
  while (ids.has(`construct${n}`)) n += 1;
  return `construct${n}`;
}

const emptyName = (): TextDraft => ({ 'zh-CN': '', en: '' });

/** A new model: two constructs to name and fill, no paths yet, the default path weighting. */
export function newIndexModel(): IndexModel {
  const model: IndexModel = { constructs: [], paths: [], scheme: 'path' };
  addConstruct(model);
  addConstruct(model);
  return model;
}

export function addConstruct(model: IndexModel) {
  model.constructs.push({ id: unusedConstructId(model.constructs), name: emptyName(), items: [] });
}

/** Removes a construct and every path that names it. */
export function removeConstruct(model: IndexModel, index: number) {
  const removed = model.constructs[index];
  if (!removed) return;
  model.constructs.splice(index, 1);
  if (model.constructs.some((construct) => construct.id === removed.id)) return;
  model.paths = model.paths.filter(([from, to]) => from !== removed.id && to !== removed.id);
}

/** Changes a construct's id and the paths that name it, unless another construct shares the old id. */
export function renameConstruct(model: IndexModel, index: number, id: string) {
  const construct = model.constructs[index];
  if (!construct) return;
  const previous = construct.id;
  construct.id = id;
  if (model.constructs.some((other, i) => i !== index && other.id === previous)) return;
  for (const path of model.paths) {
    if (path[0] === previous) path[0] = id;
    if (path[1] === previous) path[1] = id;
  }
}

/** Ticks or unticks a question as an item of a construct; items keep the survey's question order. */
export function setItem(model: IndexModel, constructIndex: number, questionId: string, measured: boolean, questions: readonly QuestionDraft[]) {
  const construct = model.constructs[constructIndex];
  if (!construct) return;
  const others = construct.items.filter((item) => item !== questionId);
  if (!measured) {
    construct.items = others;
    return;
  }
  const order = new Map(questions.map((question, index) => [question.id, index]));
  const position = (item: string) => order.get(item) ?? Number.MAX_SAFE_INTEGER;
  construct.items = [...others, questionId].sort((a, b) => position(a) - position(b));
}

export interface OfferedItem {
  questionId: string;
  /** The question, or null when the construct names one the survey no longer has as a rating question. */
  question: QuestionDraft | null;
  /** Where in the construct's items it sits when ticked (the index of its problems), else null. */
  itemIndex: number | null;
  /** The other construct this question already measures, if any: it is shown but not offered again. */
  usedBy: string | null;
}

/**
 * The items a construct can choose from: every rating question of the survey, each marked with the other
 * construct that already uses it, then any item the construct names that is not (or no longer) one of them.
 */
export function offeredItems(model: IndexModel, constructIndex: number, questions: readonly QuestionDraft[]): OfferedItem[] {
  const construct = model.constructs[constructIndex];
  if (!construct) return [];
  const ownerOf = new Map<string, string>();
  model.constructs.forEach((other, index) => {
    if (index === constructIndex) return;
    for (const item of other.items) if (!ownerOf.has(item)) ownerOf.set(item, other.id);
  });
  const indexOf = (questionId: string) => {
    const index = construct.items.indexOf(questionId);
    return index < 0 ? null : index;
  };
  const rating = ratingQuestions(questions);
  const offered: OfferedItem[] = rating.map((question) => {
    const itemIndex = indexOf(question.id);
    return { questionId: question.id, question, itemIndex, usedBy: itemIndex === null ? ownerOf.get(question.id) ?? null : null };
  });
  const ratingIds = new Set(rating.map((question) => question.id));
  construct.items.forEach((item, itemIndex) => {
    if (!ratingIds.has(item)) offered.push({ questionId: item, question: null, itemIndex, usedBy: null });
  });
  return offered;
}

/** Adds a path between two constructs that no path joins yet (the first two constructs when all pairs are taken). */
export function addPath(model: IndexModel) {
  const ids = model.constructs.map((construct) => construct.id);
  const taken = new Set(model.paths.map(([from, to]) => `${from}\u0000${to}`));
  for (const from of ids) {
    for (const to of ids) {
      if (from !== to && !taken.has(`${from}\u0000${to}`) && !taken.has(`${to}\u0000${from}`)) {
        model.paths.push([from, to]);
        return;
      }
    }
  }
  model.paths.push([ids[0] ?? '', ids[1] ?? '']);
}

export function removePath(model: IndexModel, index: number) {
  model.paths.splice(index, 1);
}

/** Sets one end of a path: 0 is the construct that explains, 1 the one explained. */
export function setPathEnd(model: IndexModel, index: number, end: 0 | 1, constructId: string) {
  const path = model.paths[index];
  if (path) path[end] = constructId;
}

/** The construct ids a path's select offers: every construct, plus the path's own end if no construct has it. */
export function pathEndChoices(model: IndexModel, current: string): string[] {
  const ids = [...new Set(model.constructs.map((construct) => construct.id).filter((id) => id.trim() !== ''))];
  return current !== '' && !ids.includes(current) ? [...ids, current] : ids;
}
