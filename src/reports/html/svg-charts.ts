/**
 * The report's charts as inline SVG strings, drawn by hand: a line chart (several series, an
 * optional marked band) and a bar histogram, each with axes, ticks, unit-labelled axis titles, a
 * legend and a `<title>` for screen readers. Why by hand and not a charting library: the report must
 * open with no network and be reproducible byte for byte (same input, same file — a digest over it
 * means something), and the two shapes it needs take a few hundred lines; a library would add a
 * dependency, a script to run before anything shows, and output that changes with its version.
 * Everything here is pure: numbers in, markup out.
 */

import { escapeHtml } from './escape.ts';

export interface ChartSeries {
  name: string;
  /** [x, y]; points with a non-finite coordinate are left out. */
  points: ReadonlyArray<readonly [number, number]>;
  /** A CSS colour; by default the next of the palette. */
  colour?: string;
  dashed?: boolean;
}

export interface MarkedBand {
  from: number;
  to: number;
  label: string;
}

export interface LineChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly ChartSeries[];
  band?: MarkedBand;
  width?: number;
  height?: number;
}

export interface HistogramBar {
  /** What the bar stands for, e.g. "≤ 25 ms". */
  label: string;
  value: number;
}

export interface HistogramSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  bars: readonly HistogramBar[];
  colour?: string;
  width?: number;
  height?: number;
}

/** Colour-blind-safe (Okabe–Ito), in the order series are given. */
export const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#d55e00', '#56b4e9', '#000000'] as const;

/** Room for the title (and the legend's rows below it) above the plot, the ticks and axis titles around it. */
const MARGIN = { top: 32, right: 16, bottom: 44, left: 64 };
const LEGEND_TOP = 36;
const LEGEND_ROW = 18;

/** Maps a domain linearly onto a range; a domain of zero width maps everything to the range's middle. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (d1 === d0) return () => (r0 + r1) / 2;
  const factor = (r1 - r0) / (d1 - d0);
  return (value) => r0 + (value - d0) * factor;
}

/**
 * Round tick values (1, 2 or 5 times a power of ten apart) covering [min, max] with about `count`
 * steps; the first tick ≤ min and the last ≥ max, so the axis can be extended to them. A degenerate
 * or non-finite domain still yields at least two ticks.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    if (min === 0) return [0, 1];
    const pad = Math.abs(min) * 0.5;
    return niceTicks(min - pad, max + pad, count);
  }
  const step = niceStep((max - min) / Math.max(1, count));
  const first = Math.floor(min / step) * step;
  const last = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  // Index-based, so rounding errors do not accumulate; bounded for safety.
  for (let i = 0; i <= 1000; i += 1) {
    const tick = roundTo(first + i * step, step);
    ticks.push(tick);
    if (tick >= last) break;
  }
  return ticks;
}

function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** Removes float noise (0.30000000000000004) at the precision of the step. */
function roundTo(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(value.toFixed(Math.min(decimals, 20)));
}

/** A tick label: "0", "2.5", "1.2 k", "3 M", "4 G" — short enough for an axis, whatever the magnitude. */
export function formatTick(value: number): string {
  const magnitude = Math.abs(value);
  const units: Array<[number, string]> = [[1e12, ' T'], [1e9, ' G'], [1e6, ' M'], [1e3, ' k']];
  for (const [size, suffix] of units) {
    if (magnitude >= size) return `${trimNumber(value / size)}${suffix}`;
  }
  return trimNumber(value);
}

function trimNumber(value: number): string {
  if (value === 0) return '0';
  const text = Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toPrecision(2);
  return text.includes('.') && !text.includes('e') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

interface Frame {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
}

function frameFor(width: number, height: number, legendRows: number): Frame {
  const top = legendRows > 0 ? LEGEND_TOP + legendRows * LEGEND_ROW : MARGIN.top;
  return { width, height, plot: { left: MARGIN.left, right: width - MARGIN.right, top, bottom: height - MARGIN.bottom } };
}

function svgOpen(frame: Frame, title: string, kind: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-${kind}" viewBox="0 0 ${frame.width} ${frame.height}" width="${frame.width}" height="${frame.height}" role="img" aria-label="${escapeHtml(title)}">`
    + `<title>${escapeHtml(title)}</title>`
    + `<text class="chart-title" x="${MARGIN.left}" y="18">${escapeHtml(title)}</text>`;
}

function noData(frame: Frame, title: string, kind: string, what: string): string {
  return `${svgOpen(frame, title, kind)}<text class="chart-empty" x="${frame.width / 2}" y="${frame.height / 2}" text-anchor="middle">${escapeHtml(what)}</text></svg>`;
}

function yAxis(frame: Frame, ticks: readonly number[], y: (v: number) => number, label: string): string {
  const { left, right, top, bottom } = frame.plot;
  const lines = ticks.map((tick) => {
    const at = fixed(y(tick));
    return `<line class="grid" x1="${left}" x2="${right}" y1="${at}" y2="${at}"/>`
      + `<text class="tick" x="${left - 6}" y="${at}" text-anchor="end" dominant-baseline="middle">${escapeHtml(formatTick(tick))}</text>`;
  }).join('');
  const middle = fixed((top + bottom) / 2);
  return `<g class="axis axis-y">${lines}<line class="axis-line" x1="${left}" x2="${left}" y1="${top}" y2="${bottom}"/>`
    + `<text class="axis-label" transform="translate(14 ${middle}) rotate(-90)" text-anchor="middle">${escapeHtml(label)}</text></g>`;
}

function xAxisLabel(frame: Frame, label: string): string {
  return `<text class="axis-label" x="${fixed((frame.plot.left + frame.plot.right) / 2)}" y="${frame.height - 6}" text-anchor="middle">${escapeHtml(label)}</text>`;
}

function legend(entries: ReadonlyArray<{ name: string; colour: string; dashed?: boolean | undefined; band?: boolean }>, width: number): { rows: number; markup: string } {
  let x = MARGIN.left;
  let row = 0;
  const items: string[] = [];
  for (const entry of entries) {
    const itemWidth = 28 + entry.name.length * 7 + 16;
    if (x + itemWidth > width - MARGIN.right && x > MARGIN.left) { row += 1; x = MARGIN.left; }
    const y = LEGEND_TOP + row * LEGEND_ROW;
    const swatch = entry.band
      ? `<rect class="band-swatch" x="${x}" y="${y - 6}" width="22" height="12"/>`
      : `<line x1="${x}" x2="${x + 22}" y1="${y}" y2="${y}" stroke="${entry.colour}" stroke-width="3"${entry.dashed ? ' stroke-dasharray="5 3"' : ''}/>`;
    items.push(`<g class="legend-item">${swatch}<text x="${x + 28}" y="${y}" dominant-baseline="middle">${escapeHtml(entry.name)}</text></g>`);
    x += itemWidth;
  }
  return { rows: row + 1, markup: `<g class="legend">${items.join('')}</g>` };
}

function fixed(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/**
 * Several series over a shared numeric x axis, y from zero (or below, if a value is negative), the
 * band (e.g. the steady-state window) shaded behind them and named in the legend.
 */
export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 540;
  const height = spec.height ?? 300;
  const series = spec.series.map((s, i) => ({
    ...s,
    colour: s.colour ?? PALETTE[i % PALETTE.length]!,
    points: s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)),
  }));
  const all = series.flatMap((s) => s.points);
  const legendEntries = [
    ...series.map((s) => ({ name: s.name, colour: s.colour, dashed: s.dashed })),
    ...(spec.band ? [{ name: spec.band.label, colour: '', band: true }] : []),
  ];
  const { rows, markup: legendMarkup } = legend(legendEntries, width);
  const frame = frameFor(width, height, rows);
  if (all.length === 0) return noData(frame, spec.title, 'line', 'no data');

  const xs = all.map(([x]) => x).concat(spec.band ? [spec.band.from, spec.band.to].filter(Number.isFinite) : []);
  const ys = all.map(([, y]) => y);
  const xTicks = niceTicks(Math.min(...xs), Math.max(...xs), 8);
  const yTicks = niceTicks(Math.min(0, ...ys), Math.max(...ys), 5);
  const { left, right, top, bottom } = frame.plot;
  const x = linearScale([xTicks[0]!, xTicks.at(-1)!], [left, right]);
  const y = linearScale([yTicks[0]!, yTicks.at(-1)!], [bottom, top]);

  const band = spec.band && Number.isFinite(spec.band.from) && Number.isFinite(spec.band.to)
    ? `<rect class="band" x="${fixed(x(Math.min(spec.band.from, spec.band.to)))}" y="${top}" width="${fixed(Math.abs(x(spec.band.to) - x(spec.band.from)))}" height="${bottom - top}"><title>${escapeHtml(spec.band.label)}</title></rect>`
    : '';
  const xAxis = `<g class="axis axis-x">${xTicks.map((tick) => {
    const at = fixed(x(tick));
    return `<line class="tick-mark" x1="${at}" x2="${at}" y1="${bottom}" y2="${bottom + 5}"/>`
      + `<text class="tick" x="${at}" y="${bottom + 17}" text-anchor="middle">${escapeHtml(formatTick(tick))}</text>`;
  }).join('')}<line class="axis-line" x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}"/>${xAxisLabel(frame, spec.xLabel)}</g>`;
  const lines = series.filter((s) => s.points.length > 0).map((s) => {
    const path = s.points.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${fixed(x(px))} ${fixed(y(py))}`).join(' ');
    // A single point draws no visible line: a dot shows it.
    const dots = s.points.length === 1 ? `<circle cx="${fixed(x(s.points[0]![0]))}" cy="${fixed(y(s.points[0]![1]))}" r="3" fill="${s.colour}"/>` : '';
    return `<g class="series" data-series="${escapeHtml(s.name)}" data-points="${s.points.length}"><title>${escapeHtml(s.name)}</title>`
      + `<path d="${path}" fill="none" stroke="${s.colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>${dots}</g>`;
  }).join('');
  return `${svgOpen(frame, spec.title, 'line')}${legendMarkup}${band}${yAxis(frame, yTicks, y, spec.yLabel)}${xAxis}${lines}</svg>`;
}

/**
 * Bars of equal width in the order given (a histogram's buckets ascending), y from zero; with more
 * bars than fit a label each, every n-th is labelled. Each bar carries its label and value in a
 * `<title>`, so a reader hovering (or a screen reader) gets the exact figure.
 */
export function histogram(spec: HistogramSpec): string {
  const width = spec.width ?? 540;
  const height = spec.height ?? 260;
  const colour = spec.colour ?? PALETTE[0];
  const bars = spec.bars.filter((bar) => Number.isFinite(bar.value));
  const frame = frameFor(width, height, 0);
  if (bars.length === 0) return noData(frame, spec.title, 'histogram', 'no data');
  const { left, right, top, bottom } = frame.plot;
  const yTicks = niceTicks(Math.min(0, ...bars.map((b) => b.value)), Math.max(...bars.map((b) => b.value)), 5);
  const y = linearScale([yTicks[0]!, yTicks.at(-1)!], [bottom, top]);
  const slot = (right - left) / bars.length;
  const gap = Math.min(2, slot * 0.15);
  const labelEvery = Math.max(1, Math.ceil(bars.length / Math.max(1, Math.floor((right - left) / 64))));
  const zero = y(0);
  let labelEnd = Number.NEGATIVE_INFINITY;
  const drawn = bars.map((bar, i) => {
    const x0 = left + i * slot + gap / 2;
    const yTop = Math.min(y(bar.value), zero);
    const barHeight = Math.abs(zero - y(bar.value));
    const centre = x0 + (slot - gap) / 2;
    // A label near the right edge ends at its bar instead of running off the chart; one that would
    // overlap the label before it is left out (the bar's <title> still names it).
    const halfWidth = bar.label.length * 3.5;
    const nearEdge = centre + halfWidth > width;
    const start = nearEdge ? x0 + slot - gap - 2 * halfWidth : centre - halfWidth;
    const labelled = i % labelEvery === 0 && start > labelEnd + 4;
    if (labelled) labelEnd = start + 2 * halfWidth;
    const label = labelled
      ? `<text class="tick" x="${fixed(nearEdge ? x0 + slot - gap : centre)}" y="${bottom + 17}" text-anchor="${nearEdge ? 'end' : 'middle'}">${escapeHtml(bar.label)}</text>` : '';
    return `<g class="bar"><rect x="${fixed(x0)}" y="${fixed(yTop)}" width="${fixed(Math.max(0.5, slot - gap))}" height="${fixed(barHeight)}" fill="${colour}">`
      + `<title>${escapeHtml(`${bar.label}: ${bar.value}`)}</title></rect>${label}</g>`;
  }).join('');
  const xAxis = `<g class="axis axis-x"><line class="axis-line" x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}"/>${xAxisLabel(frame, spec.xLabel)}</g>`;
  return `${svgOpen(frame, spec.title, 'histogram')}${yAxis(frame, yTicks, y, spec.yLabel)}${xAxis}<g class="bars" data-bars="${bars.length}">${drawn}</g></svg>`;
}
