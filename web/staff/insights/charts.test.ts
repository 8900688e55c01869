import { describe, expect, test } from 'vitest';
import { compareOption, diagramNode, driverBounds, layoutModel, modelDiagram, sharedRange } from './charts.ts';

describe('chart layout', () => {
  test('small multiples share one tidy range covering every interval, within the figure scale', () => {
    const points = [
      { n: 10, value: 72, low: 66, high: 78 },
      { n: 0, value: null, low: null, high: null },
      { n: 12, value: 91, low: 84, high: 98.5 },
    ];
    expect(sharedRange(points, 'csat')).toEqual({ min: 60, max: 100 });
    expect(sharedRange([{ n: 5, value: 5, low: null, high: null }, { n: 9, value: 9, low: null, high: null }], 'responses')).toEqual({ min: 0, max: 10 });
    expect(sharedRange([{ n: 0, value: null, low: null, high: null }], 'nps')).toBeNull();
  });

  test('constructs are laid out in columns by path depth, each column centred', () => {
    const positions = layoutModel(
      [{ id: 'expectations' }, { id: 'quality' }, { id: 'value' }, { id: 'satisfaction' }, { id: 'loyalty' }],
      [
        { from: 'expectations', to: 'quality', coefficient: 0.5 },
        { from: 'expectations', to: 'value', coefficient: 0.2 },
        { from: 'quality', to: 'value', coefficient: 0.6 },
        { from: 'quality', to: 'satisfaction', coefficient: 0.4 },
        { from: 'value', to: 'satisfaction', coefficient: 0.3 },
        { from: 'satisfaction', to: 'loyalty', coefficient: 0.7 },
      ],
    );
    expect(Object.fromEntries([...positions].map(([id, place]) => [id, place.column]))).toEqual({
      expectations: 0,
      quality: 1,
      value: 2,
      satisfaction: 3,
      loyalty: 4,
    });
    const parallel = layoutModel([{ id: 'a' }, { id: 'b' }, { id: 'c' }], [
      { from: 'a', to: 'c', coefficient: 1 },
      { from: 'b', to: 'c', coefficient: 1 },
    ]);
    expect(parallel.get('a')).toMatchObject({ column: 0, y: 0 });
    expect(parallel.get('b')).toMatchObject({ column: 0, y: 100 });
    expect(parallel.get('c')).toMatchObject({ column: 1, y: 50 });
  });

  test('a cycle does not hang the layout', () => {
    const positions = layoutModel([{ id: 'a' }, { id: 'b' }], [
      { from: 'a', to: 'b', coefficient: 1 },
      { from: 'b', to: 'a', coefficient: 1 },
    ]);
    expect(positions.size).toBe(2);
  });

  test('the drivers chart leaves room around the points and both split lines', () => {
    const bounds = driverBounds(
      [
        { label: 'Speed', performance: 60, importance: 0.3 },
        { label: 'Staff', performance: 80, importance: 0.6 },
      ],
      70,
      0.45,
    );
    expect(bounds.x.min).toBeLessThan(60);
    expect(bounds.x.max).toBeGreaterThan(80);
    expect(bounds.x.max).toBeLessThanOrEqual(100);
    expect(bounds.y.min).toBeLessThan(0.3);
    expect(bounds.y.max).toBeGreaterThan(0.6);
  });

  test('the path diagram zigzags a chain, stands upright on narrow screens, and ends arrows at the boxes', () => {
    const chain = [{ id: 'quality' }, { id: 'satisfaction' }, { id: 'loyalty' }];
    const paths = [
      { from: 'quality', to: 'satisfaction', coefficient: 0.6 },
      { from: 'satisfaction', to: 'loyalty', coefficient: 0.8 },
    ];
    const wide = modelDiagram(chain, paths, false);
    expect(wide.width).toBeGreaterThan(wide.height);
    expect(new Set(wide.nodes.map((node) => node.y)).size).toBe(2);
    const upright = modelDiagram(chain, paths, true);
    expect(upright.height).toBeGreaterThan(upright.width);
    const [first] = wide.edges;
    const quality = wide.nodes.find((node) => node.id === 'quality')!;
    const onBox = Math.abs(first!.x1 - quality.x) === diagramNode.width / 2 || Math.abs(first!.y1 - quality.y) === diagramNode.height / 2;
    expect(onBox).toBe(true);
    expect(wide.edges.map((edge) => edge.coefficient)).toEqual([0.6, 0.8]);
  });

  test('counts compare as bars from zero; rates and means as points with their intervals', () => {
    const estimate = (value: number, low: number | null, high: number | null) => ({ n: 40, value, low, high });
    const input = { label: 'NPS', categories: ['Phone', 'Web'], currentName: 'This period', previousName: 'Previous period', tooltips: [[], []] };
    const bars = compareOption({ ...input, intervals: false, current: [estimate(84, null, null), estimate(80, null, null)], previous: [estimate(79, null, null), estimate(78, null, null)] }) as {
      xAxis: { min: number; scale?: boolean };
      series: { type: string }[];
    };
    expect(bars.xAxis.min).toBe(0);
    expect(bars.xAxis.scale).toBeUndefined();
    expect(bars.series.map((series) => series.type)).toEqual(['bar', 'bar']);

    const points = compareOption({ ...input, intervals: true, current: [estimate(40, 31, 49), estimate(20, 12, 28)], previous: [estimate(35, 27, 43), { n: 0, value: null, low: null, high: null }] }) as {
      xAxis: { min: number; max: number };
      series: { type: string; data: unknown[]; markLine: { data: [{ coord: number[] }, { coord: number[] }][] } }[];
    };
    expect(points.series.map((series) => series.type)).toEqual(['scatter', 'scatter']);
    expect(points.xAxis.min).toBeLessThanOrEqual(12);
    expect(points.xAxis.max).toBeGreaterThanOrEqual(49);
    // Each period's interval is a line through its point; an empty group has neither.
    expect(points.series[0]!.markLine.data.map(([from, to]) => [from.coord[0], to.coord[0]])).toEqual([[31, 49], [12, 28]]);
    expect(points.series[1]!.markLine.data).toHaveLength(1);
    expect(points.series[1]!.data[1]).toBeNull();
  });
});
