import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTick, histogram, lineChart, linearScale, niceTicks } from '../../../src/reports/html/svg-charts.ts';

/** The numbers of every `<path d="M x y L x y …">` of a chart, as [x, y] pairs. */
function pathPoints(svg: string): Array<Array<[number, number]>> {
  return [...svg.matchAll(/<path d="([^"]+)"/g)].map((match) => [...match[1]!.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])] as [number, number]));
}

function tickLabels(svg: string, axis: 'x' | 'y'): string[] {
  const group = new RegExp(`<g class="axis axis-${axis}">(.*?)</g>`).exec(svg)?.[1] ?? '';
  return [...group.matchAll(/<text class="tick"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
}

describe('linearScale', () => {
  it('maps the domain onto the range, inverted ranges included (SVG y grows downwards)', () => {
    const y = linearScale([0, 100], [250, 50]);
    assert.equal(y(0), 250);
    assert.equal(y(100), 50);
    assert.equal(y(50), 150);
  });

  it('maps a domain of zero width to the middle of the range instead of dividing by zero', () => {
    assert.equal(linearScale([5, 5], [0, 100])(5), 50);
  });
});

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten and covers the data', () => {
    assert.deepEqual(niceTicks(0, 75, 8), [0, 10, 20, 30, 40, 50, 60, 70, 80]);
    assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepEqual(niceTicks(3, 347, 5), [0, 100, 200, 300, 400]);
  });

  it('has no float noise in its values', () => {
    for (const tick of niceTicks(0, 0.7, 7)) assert.equal(String(tick).length <= 4, true, `tick ${tick}`);
  });

  it('gives two ticks around a single value, and [0, 1] for zero or non-finite bounds', () => {
    const single = niceTicks(20, 20);
    assert.ok(single.length >= 2 && single[0]! <= 20 && single.at(-1)! >= 20, `ticks ${single}`);
    assert.deepEqual(niceTicks(0, 0), [0, 1]);
    assert.deepEqual(niceTicks(Number.NaN, 5), [0, 1]);
    assert.deepEqual(niceTicks(0, Number.POSITIVE_INFINITY), [0, 1]);
  });

  it('stays a handful of ticks for huge values', () => {
    const ticks = niceTicks(0, 3.2e12, 5);
    assert.ok(ticks.length <= 8, `${ticks.length} ticks`);
    assert.ok(ticks.at(-1)! >= 3.2e12);
  });
});

describe('formatTick', () => {
  it('is short whatever the magnitude', () => {
    assert.deepEqual([0, 0.25, 2.5, 40, 1500, 2e6, 3e9, 4e12].map(formatTick), ['0', '0.25', '2.5', '40', '1.5 k', '2 M', '3 G', '4 T']);
  });
});

describe('lineChart', () => {
  const spec = {
    title: 'latency', xLabel: 'second of the load (s)', yLabel: 'latency (ms)',
    series: [{ name: 'p50', points: [[0, 10], [10, 20], [20, 30]] as Array<[number, number]> }, { name: 'p99', points: [[0, 40], [10, 80], [20, 60]] as Array<[number, number]> }],
    band: { from: 5, to: 15, label: 'steady state 5 s–15 s' },
    width: 600, height: 300,
  };

  it('draws each series left to right inside the plot, larger values higher up', () => {
    const svg = lineChart(spec);
    const [p50, p99] = pathPoints(svg);
    assert.equal(p50!.length, 3);
    for (const [x, y] of [...p50!, ...p99!]) {
      assert.ok(x >= 64 && x <= 600 - 16, `x ${x} inside the plot`);
      assert.ok(y >= 0 && y <= 300 - 44, `y ${y} inside the plot`);
    }
    assert.ok(p50![0]![0] < p50![1]![0] && p50![1]![0] < p50![2]![0]);
    assert.ok(p99![1]![1] < p50![1]![1], 'p99 (80) is drawn above p50 (20)');
  });

  it('has a title for screen readers, axis labels with units, ticks, a legend and the marked band', () => {
    const svg = lineChart(spec);
    assert.match(svg, /^<svg [^>]*role="img" aria-label="latency"><title>latency<\/title>/);
    assert.match(svg, /latency \(ms\)/);
    assert.match(svg, /second of the load \(s\)/);
    assert.deepEqual(tickLabels(svg, 'x'), ['0', '5', '10', '15', '20']);
    assert.deepEqual(tickLabels(svg, 'y'), ['0', '20', '40', '60', '80']);
    assert.match(svg, /<g class="legend">.*p50.*p99.*steady state 5 s–15 s/);
    const band = /<rect class="band" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/.exec(svg);
    assert.ok(band, 'the band is drawn');
    const [p50] = pathPoints(svg);
    // The band spans x 5..15, between the first (0) and last (20) points.
    assert.ok(Number(band[1]) > p50![0]![0] && Number(band[1]) + Number(band[2]) < p50![2]![0]);
  });

  it('is deterministic: the same input gives the same markup', () => {
    assert.equal(lineChart(spec), lineChart(structuredClone(spec)));
  });

  it('says "no data" for no points, and draws nothing from non-finite ones', () => {
    const empty = lineChart({ ...spec, series: [{ name: 'p50', points: [] }], band: undefined });
    assert.match(empty, /<text class="chart-empty"[^>]*>no data<\/text>/);
    assert.doesNotMatch(empty, /<path/);
    const junk = lineChart({ ...spec, series: [{ name: 'p50', points: [[Number.NaN, 1], [1, Number.POSITIVE_INFINITY]] }], band: undefined });
    assert.match(junk, /no data/);
  });

  it('shows a single point as a dot', () => {
    const svg = lineChart({ ...spec, series: [{ name: 'one', points: [[3, 7]] }], band: undefined });
    assert.match(svg, /<circle cx="[\d.]+" cy="[\d.]+" r="3"/);
    assert.doesNotMatch(svg, /NaN|Infinity/);
  });

  it('keeps huge values on the plot with short tick labels', () => {
    const svg = lineChart({ ...spec, series: [{ name: 'big', points: [[0, 1e12], [1, 3e12]] }], band: undefined });
    for (const [, y] of pathPoints(svg)[0]!) assert.ok(y >= 0 && y <= 300, `y ${y}`);
    assert.ok(tickLabels(svg, 'y').every((label) => label.length <= 6), `labels ${tickLabels(svg, 'y')}`);
    assert.doesNotMatch(svg, /e\+/);
  });

  it('escapes the names it shows', () => {
    const svg = lineChart({ ...spec, title: '<script>alert(1)</script>', series: [{ name: '"><script>', points: [[0, 1]] }] });
    assert.doesNotMatch(svg, /<script>/);
    assert.match(svg, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });
});

describe('histogram', () => {
  const bars = [{ label: '≤ 5 ms', value: 10 }, { label: '≤ 10 ms', value: 40 }, { label: '≤ 20 ms', value: 5 }];

  it('draws one bar per bucket, heights in proportion, from the axis', () => {
    const svg = histogram({ title: 'h', xLabel: 'latency bucket', yLabel: 'successes', bars, width: 600, height: 260 });
    const rects = [...svg.matchAll(/<g class="bar"><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => m.slice(1).map(Number));
    assert.equal(rects.length, 3);
    const heights = rects.map((r) => r[3]!);
    assert.ok(Math.abs(heights[1]! / heights[0]! - 4) < 0.05, `heights ${heights}`);
    for (const r of rects) assert.ok(Math.abs(r[1]! + r[3]! - (260 - 44)) < 0.2, 'each bar stands on the x axis');
    assert.match(svg, /<title>≤ 10 ms: 40<\/title>/);
    assert.match(svg, /data-bars="3"/);
  });

  it('says "no data" with no bars', () => {
    assert.match(histogram({ title: 'h', xLabel: 'x', yLabel: 'y', bars: [] }), /no data/);
  });

  it('labels only every n-th bar when there are more bars than room', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ label: `b${i}`, value: i }));
    const svg = histogram({ title: 'h', xLabel: 'x', yLabel: 'y', bars: many, width: 400 });
    const labels = tickLabels(svg.replace(/<g class="bars"[^]*$/, ''), 'y');
    assert.ok(labels.length > 0);
    const barLabels = [...svg.matchAll(/<g class="bar">[^]*?<\/g>/g)].filter((m) => m[0].includes('class="tick"')).length;
    assert.ok(barLabels < 40 && barLabels > 1, `${barLabels} labelled bars`);
  });
});
