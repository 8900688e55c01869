// /api/insights: the managers' dashboard figures (each also as CSV with ?format=csv), its settings, and the
// weekly-summary subscription.
import type { Context } from 'hono';
import { Hono } from 'hono';
import * as v from 'valibot';
import { message } from '../../surveys/i18n.ts';
import { bucketUnits } from '../../surveys/indices/periods.ts';
import { requireRole } from '../accounts/guard.ts';
import type { AppEnv } from '../env.ts';
import { localeOf, readJson, readQuery } from '../http.ts';
import { compareCsv, driversCsv, levelsCsv, modelCsv, overviewCsv, trendCsv } from './csv.ts';
import { FilterQuery, insightContext, metricKeyText, options, resolveFilter, splitText, unitText, type FilterInput, type InsightContext } from './filter.ts';
import { compare, drivers, levels, model, overview, trend } from './reports.ts';
import { InsightSettingsSchema, readInsightSettings, readSubscription, saveInsightSettings, saveSubscription, SubscriptionSchema } from './settings.ts';
import { splits, type InsightFilter } from './types.ts';

const managers = requireRole('admin', 'manager');
const admins = requireRole('admin');

const format = {
  format: v.optional(v.picklist(['json', 'csv'], message('format is json or csv.', 'format 只能是 json 或 csv。')), 'json'),
  /** The CSV's language, for a download link that cannot send x-locale. */
  lang: v.optional(v.picklist(['zh-CN', 'en'], message('lang is zh-CN or en.', 'lang 只能是 zh-CN 或 en。'))),
};
const metric = v.pipe(v.string(metricKeyText), v.trim(), v.nonEmpty(metricKeyText), v.maxLength(200, metricKeyText));
const unit = v.optional(v.picklist(bucketUnits, unitText), 'month');
const split = v.optional(v.picklist(splits, splitText), 'none');

const Plain = v.object({ ...FilterQuery.entries, ...format });
const TrendQuery = v.object({ ...FilterQuery.entries, ...format, metric, unit, split });
const CompareQuery = v.object({ ...FilterQuery.entries, ...format, metric, split });
const DriversQuery = v.object({
  ...FilterQuery.entries,
  ...format,
  importance: v.optional(v.picklist(['correlation', 'relative_weight'], message('importance is correlation or relative_weight.', 'importance 只能是 correlation 或 relative_weight。')), 'relative_weight'),
});

/** Reads the filter, builds the report, answers JSON or a CSV download. */
async function answer<TSchema extends v.GenericSchema, TReport extends { filter: { from: string; to: string } }>(
  c: Context<AppEnv>,
  schema: TSchema,
  name: string,
  build: (context: InsightContext, filter: InsightFilter, query: v.InferOutput<TSchema>) => Promise<TReport>,
  csv: (report: TReport, locale: 'zh-CN' | 'en') => string,
) {
  const query = readQuery(c, schema) as v.InferOutput<TSchema> & FilterInput & { format: 'json' | 'csv'; lang?: 'zh-CN' | 'en' };
  const context = await insightContext(c.var.db);
  const filter = resolveFilter(query, context.today, context.surveys);
  const report = await build(context, filter, query);
  if (query.format === 'json') return c.json(report);
  c.header('content-type', 'text/csv; charset=utf-8');
  c.header('content-disposition', `attachment; filename="insights-${name}-${report.filter.from}-${report.filter.to}.csv"`);
  return c.body(csv(report, query.lang ?? localeOf(c)));
}

export const insightRoutes = new Hono<AppEnv>()
  .get('/insights/options', managers, async (c) => c.json(await options(await insightContext(c.var.db))))
  .get('/insights/overview', managers, (c) => answer(c, Plain, 'overview', overview, overviewCsv))
  .get('/insights/trend', managers, (c) =>
    answer(c, TrendQuery, 'trend', (context, filter, query) => trend(context, filter, query.metric, query.unit, query.split), trendCsv),
  )
  .get('/insights/compare', managers, (c) =>
    answer(c, CompareQuery, 'compare', (context, filter, query) => compare(context, filter, query.metric, query.split), compareCsv),
  )
  .get('/insights/drivers', managers, (c) =>
    answer(c, DriversQuery, 'drivers', (context, filter, query) => drivers(context, filter, query.importance), driversCsv),
  )
  .get('/insights/levels', managers, (c) => answer(c, Plain, 'levels', levels, levelsCsv))
  .get('/insights/model', managers, (c) => answer(c, Plain, 'model', model, modelCsv))
  .get('/insights/settings', managers, async (c) => c.json(await readInsightSettings(c.var.db)))
  .put('/insights/settings', admins, async (c) => {
    const input = await readJson(c, InsightSettingsSchema);
    await saveInsightSettings(c.var.db, input, c.var.user!.id);
    return c.json(input);
  })
  // None saved yet: the language offered is the one saved with the account, else the one on screen.
  .get('/insights/subscription', managers, async (c) =>
    c.json(await readSubscription(c.var.db, c.var.user!.id, c.var.user!.locale ?? localeOf(c))),
  )
  .put('/insights/subscription', managers, async (c) => {
    const input = await readJson(c, SubscriptionSchema);
    await saveSubscription(c.var.db, c.var.user!.id, input);
    return c.json(input);
  });
