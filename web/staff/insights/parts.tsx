// Pieces every dashboard section shares: reading a report by its API path, the CSV link, the section frame.
import { createResource, createSignal, onCleanup, Show, type JSX } from 'solid-js';
import { request } from '../request.ts';
import { locale } from '../i18n.ts';
import { t } from './text.ts';
import { Async } from '../ui.tsx';
import { csvHref } from './api.ts';
import { formatNumber, formatRate, type ScreenLocale } from './format.ts';
import type { Estimate } from './api.ts';

export const screenLocale = (): ScreenLocale => locale();

/** Whether the screen is phone-narrow, followed as it changes (diagrams turn upright there). */
export function useNarrowScreen(): () => boolean {
  const query = window.matchMedia('(max-width: 40rem)');
  const [narrow, setNarrow] = createSignal(query.matches);
  const follow = (event: MediaQueryListEvent) => setNarrow(event.matches);
  query.addEventListener('change', follow);
  onCleanup(() => query.removeEventListener('change', follow));
  return narrow;
}

/** Reads the report at an API path, again whenever the path changes; the last one stays shown meanwhile. */
export function Report<T>(props: { path: string; children: (report: T) => JSX.Element }) {
  const [report, { refetch }] = createResource(
    () => props.path,
    (path) => request<T>('GET', path),
  );
  return (
    <Async resource={report} onRetry={refetch}>
      {props.children}
    </Async>
  );
}

export function CsvLink(props: { path: string; what: string; testId: string }) {
  return (
    <a class="button button-small insights-csv" href={csvHref(props.path, locale())} download="" aria-label={t('insights.csvOf', { what: props.what })} data-testid={props.testId}>
      {t('insights.csv')}
    </a>
  );
}

/** A dashboard section: its heading, an optional line under it, the CSV link, and what it shows. */
export function Section(props: { id: string; title: string; intro?: string; csvPath?: string; testId: string; children: JSX.Element }) {
  return (
    <section class="insights-section" aria-labelledby={`${props.id}-heading`} data-testid={props.testId}>
      <div class="insights-section-header">
        <h2 id={`${props.id}-heading`}>{props.title}</h2>
        <Show when={props.csvPath}>{(path) => <CsvLink path={path()} what={props.title} testId={`${props.testId}-csv`} />}</Show>
      </div>
      <Show when={props.intro}>
        <p class="muted">{props.intro}</p>
      </Show>
      {props.children}
    </section>
  );
}

// ---- Figures in words, in the screen's language ----

/** A whole number, grouped as the screen's language writes it. */
export const countText = (value: number) => formatNumber(value, screenLocale(), 0);
/** A share's 95% interval as "12%–18%", or null without one. */
export const rateInterval = (e: Estimate) => (e.low === null || e.high === null ? null : `${formatRate(e.low, screenLocale())}–${formatRate(e.high, screenLocale())}`);
/** A figure with its interval after it in brackets, when there is one. */
export const withInterval = (value: string, interval: string | null) => (interval ? `${value} (${interval})` : value);
/** A share as a percentage estimate, for the interval charts. */
export const percentEstimate = (e: Estimate): Estimate => ({ n: e.n, value: e.value === null ? null : e.value * 100, low: e.low === null ? null : e.low * 100, high: e.high === null ? null : e.high * 100 });

/** A part of a section: its heading, a line under it, its CSV link, what it shows. */
export function Part(props: { title: string; intro?: string; csvPath: string; testId: string; children: JSX.Element; controls?: JSX.Element }) {
  return (
    <div class="complaints-part" data-testid={props.testId}>
      <div class="insights-section-header">
        <h3 class="subheading">{props.title}</h3>
        <CsvLink path={props.csvPath} what={props.title} testId={`${props.testId}-csv`} />
      </div>
      <Show when={props.intro}>
        <p class="muted small">{props.intro}</p>
      </Show>
      {props.controls}
      {props.children}
    </div>
  );
}
