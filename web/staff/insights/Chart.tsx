// One ECharts chart drawn as SVG: made on mount, given each new option, made again when the language changes
// (ECharts' own words such as the aria description follow it), resized with its box, disposed on cleanup.
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { init, use, type EChartsCoreOption, type EChartsType } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { createEffect, createSignal, on, onCleanup, onMount, Show } from 'solid-js';
import { locale } from '../i18n.ts';
import { t } from './text.ts';

use([
  LineChart,
  ScatterChart,
  BarChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  MarkAreaComponent,
  AriaComponent,
  SVGRenderer,
]);

/**
 * A chart whose points can be visited by keyboard: arrow keys (and Home/End) step through the points of one
 * series, showing each one's tooltip as the pointer would and saying its full text to a screen reader.
 */
export type KeyboardPoints = { count: number; describe: (index: number) => string; seriesIndex?: number };

const stepKeys: Record<string, (index: number, count: number) => number> = {
  ArrowRight: (index, count) => (index + 1) % count,
  ArrowDown: (index, count) => (index + 1) % count,
  ArrowLeft: (index, count) => (index - 1 + count) % count,
  ArrowUp: (index, count) => (index - 1 + count) % count,
  Home: () => 0,
  End: (_, count) => count - 1,
};

export function Chart(props: { option: EChartsCoreOption; label: string; height?: number; class?: string; testId?: string; points?: KeyboardPoints }) {
  let box!: HTMLDivElement;
  let chart: EChartsType | undefined;

  const draw = () => {
    chart?.dispose();
    chart = init(box, undefined, { renderer: 'svg', locale: locale() === 'zh-CN' ? 'ZH' : 'EN' });
    chart.setOption(props.option, { notMerge: true });
  };

  onMount(() => {
    draw();
    const observer = new ResizeObserver(() => chart?.resize());
    observer.observe(box);
    onCleanup(() => {
      observer.disconnect();
      chart?.dispose();
      chart = undefined;
    });
  });
  createEffect(on(locale, () => draw(), { defer: true }));
  createEffect(on(() => props.option, (option) => chart?.setOption(option, { notMerge: true }), { defer: true }));

  const [visited, setVisited] = createSignal<number | null>(null);
  const visit = (index: number) => {
    const points = props.points;
    if (!chart || !points) return;
    const seriesIndex = points.seriesIndex ?? 0;
    chart.dispatchAction({ type: 'downplay', seriesIndex });
    chart.dispatchAction({ type: 'highlight', seriesIndex, dataIndex: index });
    chart.dispatchAction({ type: 'showTip', seriesIndex, dataIndex: index });
    setVisited(index);
  };
  const leave = () => {
    chart?.dispatchAction({ type: 'downplay', seriesIndex: props.points?.seriesIndex ?? 0 });
    chart?.dispatchAction({ type: 'hideTip' });
    setVisited(null);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const step = stepKeys[event.key];
    const count = props.points?.count ?? 0;
    if (!step || count === 0) return;
    event.preventDefault();
    visit(step(visited() ?? -1, count));
  };

  const keyboard = () => (props.points?.count ?? 0) > 0;
  return (
    <>
      <div
        ref={box}
        class={props.class ? `chart ${props.class}` : 'chart'}
        style={{ height: `${props.height ?? 280}px` }}
        role={keyboard() ? 'group' : 'img'}
        tabindex={keyboard() ? 0 : undefined}
        aria-label={keyboard() ? `${props.label}. ${t('insights.chart.pointsHint')}` : props.label}
        data-testid={props.testId}
        onFocus={() => keyboard() && visit(visited() ?? 0)}
        onBlur={leave}
        onKeyDown={onKeyDown}
      />
      <Show when={keyboard()}>
        <p class="sr-only" aria-live="polite" data-testid={props.testId ? `${props.testId}-point` : undefined}>
          {visited() === null ? '' : (props.points?.describe(visited()!) ?? '')}
        </p>
      </Show>
    </>
  );
}
