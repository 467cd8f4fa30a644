import { describeLoad } from '../../evidence/evidence.ts';
import { FspiopErrorCode } from '../../fspiop/error-codes.ts';
import { PHASES } from '../../load/load-runner.ts';
import type { LoadEvidence, LoadStage, StageEvidence } from '../load-evidence.ts';
import { escapeHtml } from './escape.ts';
import { histogram, lineChart, type HistogramBar } from './svg-charts.ts';

/** Stages in the order a p2p iteration goes through them, whole iterations last. */
export const STAGE_ORDER: readonly LoadStage[] = [...PHASES, 'iterations'];

/** More buckets than this are merged into wider ones: a bar a few pixels wide says nothing. */
export const MAX_HISTOGRAM_BARS = 40;

const PERCENTILE_COLOURS = { p50: '#009e73', p95: '#e69f00', p99: '#d55e00' } as const;

/** "error callback 3204" → "3204"; the FSPIOP error code a failure reason names, if any. */
export function fspiopErrorCode(reason: string): string | undefined {
  return /\berror callback (\d{4})\b/.exec(reason)?.[1];
}

const DESCRIPTIONS: ReadonlyMap<string, string> = new Map(Object.values(FspiopErrorCode).map((e) => [e.code, e.description]));

/**
 * A histogram's buckets (`[upper bound ms, count]`, ascending) as bars, merged into at most
 * `maxBars` wider buckets (each labelled by its upper bound) when there are more.
 */
export function histogramBars(buckets: ReadonlyArray<readonly [number, number]>, maxBars = MAX_HISTOGRAM_BARS): HistogramBar[] {
  const per = Math.max(1, Math.ceil(buckets.length / maxBars));
  const bars: HistogramBar[] = [];
  for (let i = 0; i < buckets.length; i += per) {
    const group = buckets.slice(i, i + per);
    bars.push({ label: `≤ ${formatMs(group.at(-1)![0])}`, value: group.reduce((sum, [, n]) => sum + n, 0) });
  }
  return bars;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(2))} s` : `${Number(ms.toFixed(ms < 10 ? 1 : 0))} ms`;
}

function seconds(ms: number): number {
  return ms / 1000;
}

function stagesOf(load: LoadEvidence): LoadStage[] {
  return STAGE_ORDER.filter((stage) => load.stages?.[stage] !== undefined);
}

function windowLabel(load: LoadEvidence): string {
  return `steady state ${seconds(load.window.startMs)} s–${seconds(load.window.endMs)} s`;
}

function rateChart(load: LoadEvidence): string {
  const series = load.series ?? [];
  const offered = load.offered.ratePerSecond;
  const lastSecond = Math.max(seconds(load.offered.durationMs), ...series.map((s) => s.second));
  return lineChart({
    title: 'Achieved vs offered, per second',
    xLabel: 'second of the load (s)',
    yLabel: 'iterations per second (/s)',
    series: [
      { name: 'started', points: series.map((s) => [s.second, s.started]), colour: '#56b4e9' },
      { name: 'succeeded', points: series.map((s) => [s.second, s.succeeded]), colour: '#009e73' },
      { name: 'failed', points: series.map((s) => [s.second, s.failed]), colour: '#d55e00' },
      ...(series.some((s) => (s.dropped ?? 0) > 0) ? [{ name: 'dropped', points: series.map((s) => [s.second, s.dropped ?? 0] as [number, number]), colour: '#cc79a7' }] : []),
      // Last, so the target stays visible on top of a rate that meets it.
      { name: `offered (${offered}/s)`, points: [[0, offered], [lastSecond, offered]], colour: '#000000', dashed: true },
    ],
    band: { from: seconds(load.window.startMs), to: seconds(load.window.endMs), label: windowLabel(load) },
  });
}

function latencyChart(load: LoadEvidence, stage: LoadStage): string {
  const points = (percentile: 'p50' | 'p95' | 'p99'): Array<[number, number]> => (load.latencyOverTime ?? [])
    .flatMap((second) => {
      const figures = second.stages?.[stage];
      return figures ? [[second.second, figures[percentile]] as [number, number]] : [];
    });
  return lineChart({
    title: `${stage}: latency over time`,
    xLabel: 'second of the load (s)',
    yLabel: 'latency (ms)',
    series: (['p50', 'p95', 'p99'] as const).map((percentile) => ({ name: percentile, points: points(percentile), colour: PERCENTILE_COLOURS[percentile] })),
    band: { from: seconds(load.window.startMs), to: seconds(load.window.endMs), label: windowLabel(load) },
  });
}

function stageHistogram(stage: LoadStage, evidence: StageEvidence): string {
  return histogram({
    title: `${stage}: successes by latency (steady state)`,
    xLabel: 'latency bucket (upper bound)',
    yLabel: 'successes',
    bars: histogramBars(evidence.histogram ?? []),
  });
}

function percentile(evidence: StageEvidence, key: string): string {
  const value = evidence.percentilesMs?.[key];
  return value === undefined ? '—' : `${value} ms`;
}

function stageTable(load: LoadEvidence): string {
  const rows = stagesOf(load).map((stage) => {
    const evidence = load.stages[stage];
    const failed = Object.values(evidence.failures ?? {}).reduce((sum, n) => sum + n, 0);
    return `<tr><th scope="row">${escapeHtml(stage)}</th><td class="num">${evidence.attempts}</td><td class="num">${evidence.successes}</td><td class="num">${failed}</td>`
      + `<td class="num">${percentile(evidence, '50')}</td><td class="num">${percentile(evidence, '95')}</td><td class="num">${percentile(evidence, '99')}</td><td class="num">${percentile(evidence, '99.9')}</td></tr>`;
  }).join('');
  return `<table class="stages"><caption>Steady state per phase (${escapeHtml(windowLabel(load))})</caption>`
    + '<thead><tr><th scope="col">phase</th><th scope="col">attempts</th><th scope="col">successes</th><th scope="col">failures</th><th scope="col">p50</th><th scope="col">p95</th><th scope="col">p99</th><th scope="col">p99.9</th></tr></thead>'
    + `<tbody>${rows}</tbody></table>`;
}

function failureTable(load: LoadEvidence): string {
  const rows = stagesOf(load).flatMap((stage) => Object.entries(load.stages[stage].failures ?? {})
    .sort(([, a], [, b]) => b - a)
    .map(([reason, count]) => {
      const code = fspiopErrorCode(reason);
      const described = code ? `${code}${DESCRIPTIONS.has(code) ? ` (${DESCRIPTIONS.get(code)})` : ''}` : '—';
      return `<tr><td>${escapeHtml(stage)}</td><td>${escapeHtml(reason)}</td><td>${escapeHtml(described)}</td><td class="num">${count}</td></tr>`;
    }));
  if (rows.length === 0) return '<p class="no-failures">No failures in the steady state.</p>';
  return '<table class="failures"><caption>Failures by reason and FSPIOP error code (steady state)</caption>'
    + '<thead><tr><th scope="col">phase</th><th scope="col">reason</th><th scope="col">FSPIOP error code</th><th scope="col">count</th></tr></thead>'
    + `<tbody>${rows.join('')}</tbody></table>`;
}

function faultLine(load: LoadEvidence): string {
  const fault = load.fault;
  if (!fault) return '';
  const what = fault.broke ? `broke ${fault.broke} at ${seconds(fault.atMs)} s` : `nothing was broken (at ${seconds(fault.atMs)} s)`;
  const aftermath = fault.aftermath
    ? `; replacement: ${fault.aftermath.replacement}${fault.aftermath.replacementReadyMs !== undefined ? `, ready after ${fault.aftermath.replacementReadyMs} ms` : ', not ready within the wait'}; ${fault.aftermath.data}` : '';
  return `<li>Fault: ${escapeHtml(`${what}${fault.problem ? ` — ${fault.problem}` : ''}${aftermath}`)}</li>`;
}

/** Whether the load offered less than its guarantees ask. */
export function isReduced(load: Pick<LoadEvidence, 'asked' | 'offered'>): boolean {
  return load.offered.ratePerSecond < load.asked.ratePerSecond || load.offered.durationMs < load.asked.durationMs;
}

/** One load: what was asked and offered, its figures, and its charts. */
export function renderLoad(load: LoadEvidence, index: number): string {
  const reduced = isReduced(load);
  const facts = [
    `<li>Asked by the guarantee${(load.guarantees?.length ?? 0) > 1 ? 's' : ''}: <strong>${escapeHtml(describeLoad(load.asked))}</strong></li>`,
    `<li>Offered (profile ${escapeHtml(load.profile)}): <strong>${escapeHtml(describeLoad(load.offered))}</strong>${reduced ? ' <span class="state state-REDUCED_LOAD">reduced load</span>' : ''}</li>`,
    `<li>Achieved: <strong>${escapeHtml(Number(load.achievedRate.toFixed(1)))}</strong> successful iterations/s over the ${escapeHtml(windowLabel(load))}</li>`,
    `<li>Scheduled ${escapeHtml(load.scheduled)}, dropped ${escapeHtml(load.dropped)} (${escapeHtml(load.droppedInWindow)} in the steady state)</li>`,
    `<li>Runner ${escapeHtml(load.runner)}, flow ${escapeHtml(load.flow)}${load.startedAt ? `, started ${escapeHtml(load.startedAt)}` : ''}</li>`,
    faultLine(load),
  ].join('');
  const stages = stagesOf(load);
  const charts = [
    `<figure>${rateChart(load)}</figure>`,
    ...stages.map((stage) => `<figure>${latencyChart(load, stage)}</figure>`),
    ...stages.map((stage) => `<figure>${stageHistogram(stage, load.stages[stage])}</figure>`),
  ].join('');
  return `<section class="load" id="load-${index}" data-load="${escapeHtml(load.id)}"><h3>Load ${escapeHtml(load.id)}</h3>`
    + `<p>Judged on it: ${(load.guarantees ?? []).map((id) => `<a href="#g-${escapeHtml(id)}">${escapeHtml(id)}</a>`).join(', ') || 'no guarantee'}</p>`
    + `<ul class="facts">${facts}</ul>${stageTable(load)}${failureTable(load)}<div class="charts">${charts}</div></section>`;
}
