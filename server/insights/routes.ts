// /api/insights: the managers' dashboard figures (each also as CSV with ?format=csv), the complaint figures
// (a CSV per chart with &chart=), the loyalty figures (the same), its settings, and the weekly-summary subscription.
import type { Context } from 'hono';
import { Hono } from 'hono';
import * as v from 'valibot';
import { message } from '../../surveys/i18n.ts';
import { bucketUnits } from '../../surveys/indices/periods.ts';
import { requireRole } from '../accounts/guard.ts';
import type { AppEnv } from '../env.ts';
import { localeOf, readJson, readQuery } from '../http.ts';
import { complaintCharts, complaintCsv } from '../complaints/figures-csv.ts';
import { complaintReport, complaintTrendUnits } from '../complaints/figures.ts';
import { loyaltyCharts, loyaltyCsv } from '../loyalty/figures-csv.ts';
import { atRiskOrders, loyaltyReport } from '../loyalty/figures.ts';
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
const ComplaintQuery = v.object({
  ...FilterQuery.entries,
  ...format,
  unit: v.optional(v.picklist(complaintTrendUnits, message('The unit of the complaint trend is week or month.', '投诉趋势的时间单位只能是 week 或 month。')), 'week'),
  /** Which chart's CSV (JSON answers every chart at once). */
  chart: v.optional(v.picklist(complaintCharts, message(`chart is one of ${complaintCharts.join(', ')}.`, `chart 只能是 ${complaintCharts.join('、')} 之一。`)), 'trend'),
});
const LoyaltyQuery = v.object({
  ...FilterQuery.entries,
  ...format,
  /** The at-risk list's order: by value in the base currency, highest or lowest first. */
  order: v.optional(v.picklist(atRiskOrders, message('order is value_desc or value_asc.', 'order 只能是 value_desc 或 value_asc。')), 'value_desc'),
  chart: v.optional(v.picklist(loyaltyCharts, message(`chart is one of ${loyaltyCharts.join(', ')}.`, `chart 只能是 ${loyaltyCharts.join('、')} 之一。`)), 'tarp'),
});
const DriversQuery = v.object({
  ...FilterQuery.entries,
  ...format,
  importance: v.optional(v.picklist(['correlation', 'relative_weight'], message('importance is correlation or relative_weight.', 'importance 只能是 correlation 或 relative_weight。')), 'relative_weight'),
});

/** Reads the filter, builds the report, answers JSON or a CSV download. */
async function answer<TSchema extends v.GenericSchema, TReport extends { filter: { from: string; to: string } }>(
  c: Context<AppEnv>,
  schema: TSchema,
  name: string | ((query: v.InferOutput<TSchema>) => string),
  build: (context: InsightContext, filter: InsightFilter, query: v.InferOutput<TSchema>) => Promise<TReport>,
  csv: (report: TReport, locale: 'zh-CN' | 'en', query: v.InferOutput<TSchema>) => string,
) {
  const query = readQuery(c, schema) as v.InferOutput<TSchema> & FilterInput & { format: 'json' | 'csv'; lang?: 'zh-CN' | 'en' };
  const context = await insightContext(c.var.db);
  const filter = resolveFilter(query, context.today, context.surveys);
  const report = await build(context, filter, query);
  if (query.format === 'json') return c.json(report);
  c.header('content-type', 'text/csv; charset=utf-8');
  c.header('content-disposition', `attachment; filename="insights-${typeof name === 'string' ? name : name(query)}-${report.filter.from}-${report.filter.to}.csv"`);
  return c.body(csv(report, query.lang ?? localeOf(c), query));
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
  .get('/insights/complaints', managers, (c) =>
    answer(
      c,
      ComplaintQuery,
      (query) => `complaints-${query.chart}`,
      (context, filter, query) => complaintReport(context, filter, query.unit),
      (report, locale, query) => complaintCsv(report, query.chart, locale),
    ),
  )
  .get('/insights/loyalty', managers, (c) =>
    answer(
      c,
      LoyaltyQuery,
      (query) => `loyalty-${query.chart}`,
      (context, filter, query) => loyaltyReport(context, filter, query.order),
      (report, locale, query) => loyaltyCsv(report, query.chart, locale),
    ),
  )
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
