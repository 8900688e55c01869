// One ECharts chart drawn as SVG: made on mount, given each new option, made again when the language changes
// (ECharts' own words such as the aria description follow it), resized with its box, disposed on cleanup.
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { init, use, type EChartsCoreOption, type EChartsType } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { createEffect, on, onCleanup, onMount } from 'solid-js';
import { locale } from '../i18n.ts';

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

export function Chart(props: { option: EChartsCoreOption; label: string; height?: number; class?: string; testId?: string }) {
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

  return (
    <div
      ref={box}
      class={props.class ? `chart ${props.class}` : 'chart'}
      style={{ height: `${props.height ?? 280}px` }}
      role="img"
      aria-label={props.label}
      data-testid={props.testId}
    />
  );
}
