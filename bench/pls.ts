// PLS path modelling at scale: the ECSI model (7 constructs, 24 items, 12 paths) on generated answers from
// 100,000 respondents, timed in process. The data follow the model's paths, so the estimate is realistic.
import { readFileSync } from 'node:fs';
import { estimatePls, itemTable } from '../surveys/indices/pls.ts';
import type { PlsModelInput } from '../surveys/indices/pls-model.ts';
import { mobiModelPath } from '../surveys/indices/mobi-reference.ts';
import { seeded } from '../surveys/random.ts';
import { median } from './report.ts';

export interface PlsTiming {
  respondents: number;
  items: number;
  /** Each run's time, warm (after one unmeasured run). */
  runsMs: number[];
  medianMs: number;
  iterations: number;
  satisfactionIndex: number;
}

/** A standard normal draw from two uniform ones (Box–Muller). */
function normal(random: () => number) {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export function generateAnswers(model: PlsModelInput, respondents: number, seed = 1) {
  const random = seeded(seed);
  const constructs = Object.keys(model.constructs);
  const paths = model.paths as [string, string][];
  const predecessors = new Map(constructs.map((name) => [name, paths.filter(([, to]) => to === name).map(([from]) => from)]));
  const columns: Record<string, Float64Array> = {};
  for (const items of Object.values(model.constructs)) for (const item of items) columns[item] = new Float64Array(respondents);
  const latent = new Map<string, number>();
  for (let row = 0; row < respondents; row++) {
    latent.clear();
    // The paths form no cycle, so visiting constructs until all are set terminates.
    while (latent.size < constructs.length) {
      for (const name of constructs) {
        const from = predecessors.get(name)!;
        if (latent.has(name) || from.some((other) => !latent.has(other))) continue;
        const explained = from.reduce((sum, other) => sum + 0.45 * latent.get(other)!, 0);
        latent.set(name, explained + normal(random) * (from.length === 0 ? 1 : 0.7));
      }
    }
    for (const [name, items] of Object.entries(model.constructs)) {
      for (const item of items) {
        const answer = Math.round(7 + 1.4 * latent.get(name)! + normal(random) * 1.1);
        columns[item]![row] = Math.max(1, Math.min(10, answer));
      }
    }
  }
  return itemTable(columns);
}

export function measurePls(respondents = 100_000, runs = 5): PlsTiming {
  const model = JSON.parse(readFileSync(mobiModelPath, 'utf8')) as PlsModelInput;
  const data = generateAnswers(model, respondents);
  let result = estimatePls(data, model);
  const runsMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    result = estimatePls(data, model);
    runsMs.push(performance.now() - started);
  }
  return {
    respondents,
    items: Object.keys(data.columns).length,
    runsMs,
    medianMs: median(runsMs),
    iterations: result.iterations,
    satisfactionIndex: result.indices.Satisfaction ?? Number.NaN,
  };
}
