// A survey's index model: which of its rating questions measure which construct, and the paths between
// constructs, for the ACSI-style 0-100 indices. Pure; the schema lives in definition.ts, which calls
// indexModelProblems from its own check so a bad model is reported where the survey is edited.
import { scaleOf } from './answers.ts';
import type { LocalizedText, Question, SurveyDefinition } from './definition.ts';
import { findCycle, type PlsModel, type WeightingScheme } from './indices/pls-model.ts';

export interface IndexConstruct {
  id: string;
  name: LocalizedText;
  /** Ids of the survey's rating questions that measure it. */
  items: string[];
}

export interface IndexModel {
  constructs: IndexConstruct[];
  /** [from, to]: `from` explains `to`. */
  paths: [string, string][];
  scheme: WeightingScheme;
}

/** A problem with the model: where it is (below indexModel) and what to do, as [English, Chinese]. */
export interface IndexModelProblem {
  path: (string | number)[];
  message: readonly [en: string, zh: string];
}

const itemTypes = new Set<Question['type']>(['rating', 'csat', 'nps', 'ces']);

/** The answer scale an item is rated on, as "min-max" for comparing and for messages. */
function scaleKey(question: Question): string | null {
  const scale = scaleOf(question);
  return scale ? `${scale.min}-${scale.max}` : null;
}

/**
 * Every problem with a model against its survey's questions: fewer than two constructs, a construct with no
 * items, an item that is not a rating question of the survey or measures two constructs, items on different
 * scales, paths naming unknown constructs or a construct itself, a construct in no path, and cycles.
 */
export function indexModelProblems(model: IndexModel, questions: readonly Question[]): IndexModelProblem[] {
  const problems: IndexModelProblem[] = [];
  const byId = new Map(questions.map((question) => [question.id, question]));
  if (model.constructs.length < 2) {
    problems.push({
      path: ['constructs'],
      message: ['an index model needs at least two constructs joined by a path', '指数模型至少需要两个由路径连接的潜变量。'],
    });
  }
  const constructIds = new Set<string>();
  const ownerOf = new Map<string, string>();
  let firstScale: { key: string; item: string } | null = null;
  model.constructs.forEach((construct, index) => {
    if (constructIds.has(construct.id)) {
      problems.push({ path: ['constructs', index, 'id'], message: [`construct id "${construct.id}" is used twice`, `潜变量 ID "${construct.id}" 重复了，请换一个 ID。`] });
    }
    constructIds.add(construct.id);
    if (construct.items.length === 0) {
      problems.push({
        path: ['constructs', index, 'items'],
        message: [`construct "${construct.id}" has no items; choose the rating questions that measure it`, `潜变量 "${construct.id}" 没有测量题目，请选择测量它的评分题。`],
      });
    }
    construct.items.forEach((item, itemIndex) => {
      const path = ['constructs', index, 'items', itemIndex];
      const question = byId.get(item);
      if (!question || !itemTypes.has(question.type)) {
        problems.push({
          path,
          message: question
            ? [`"${item}" is not a rating question and cannot measure construct "${construct.id}"`, `"${item}" 不是评分题，不能测量潜变量 "${construct.id}"。`]
            : [`construct "${construct.id}" names "${item}", which is not a question of this survey`, `潜变量 "${construct.id}" 引用的 "${item}" 不是本问卷的问题。`],
        });
        return;
      }
      const owner = ownerOf.get(item);
      if (owner !== undefined) {
        problems.push({
          path,
          message: [`question "${item}" already measures construct "${owner}"; a question measures one construct`, `问题 "${item}" 已用于潜变量 "${owner}"；每个问题只能测量一个潜变量。`],
        });
        return;
      }
      ownerOf.set(item, construct.id);
      const key = scaleKey(question)!;
      if (firstScale === null) firstScale = { key, item };
      else if (firstScale.key !== key) {
        problems.push({
          path,
          message: [
            `question "${item}" is rated ${key} but "${firstScale.item}" is rated ${firstScale.key}; every item of the model needs the same scale`,
            `问题 "${item}" 的量表为 ${key}，而 "${firstScale.item}" 为 ${firstScale.key}；模型中的所有题目必须使用同一量表。`,
          ],
        });
      }
    });
  });

  const connected = new Set<string>();
  const seen = new Set<string>();
  model.paths.forEach(([from, to], index) => {
    const unknown = [from, to].find((id) => !constructIds.has(id));
    if (unknown !== undefined) {
      problems.push({ path: ['paths', index], message: [`path ${from} → ${to} names "${unknown}", which is not a construct`, `路径 ${from} → ${to} 中的 "${unknown}" 不是潜变量。`] });
      return;
    }
    if (from === to) {
      problems.push({ path: ['paths', index], message: [`path ${from} → ${to} points a construct at itself`, `路径 ${from} → ${to} 指向了自身。`] });
      return;
    }
    const key = `${from}\u0000${to}`;
    if (seen.has(key)) problems.push({ path: ['paths', index], message: [`path ${from} → ${to} is listed twice`, `路径 ${from} → ${to} 重复了。`] });
    seen.add(key);
    connected.add(from).add(to);
  });
  model.constructs.forEach((construct, index) => {
    if (!connected.has(construct.id) && model.constructs.length >= 2) {
      problems.push({
        path: ['constructs', index],
        message: [`construct "${construct.id}" is in no path; connect it or remove it`, `潜变量 "${construct.id}" 不在任何路径中，请连接或删除它。`],
      });
    }
  });
  const valid = model.paths.filter(([from, to]) => from !== to && constructIds.has(from) && constructIds.has(to));
  const cycle = findCycle([...constructIds], valid);
  if (cycle) {
    problems.push({
      path: ['paths'],
      message: [
        `the paths form a cycle ${cycle.join(' → ')}; remove one of its paths`,
        `路径形成了循环 ${cycle.join(' → ')}，请删除其中一条路径。`,
      ],
    });
  }
  return problems;
}

/** The model as the PLS engine takes it: item columns named by question id, the items' common scale. */
export function plsModelOf(definition: SurveyDefinition & { indexModel: IndexModel }): PlsModel {
  const firstItem = definition.indexModel.constructs[0]?.items[0];
  const question = definition.questions.find((candidate) => candidate.id === firstItem);
  const scale = (question && scaleOf(question)) ?? { min: 1, max: 10 };
  return {
    constructs: Object.fromEntries(definition.indexModel.constructs.map((construct) => [construct.id, construct.items])),
    paths: definition.indexModel.paths,
    scheme: definition.indexModel.scheme,
    scaled: true,
    scale,
  };
}
