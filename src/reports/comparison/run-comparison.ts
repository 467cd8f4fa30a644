import type { RecordedGuarantee, RecordedLoad, RecordedRun } from '../runs/recorded-run.ts';

type Verdict = RecordedGuarantee['verdict'];
type CertificateStatus = RecordedRun['certificate']['status'];

/**
 * - `regressed`: now FAIL where it was not, or no longer proven (PASS before, NOT EVALUATED or
 *   absent now) — what a CI gate against a baseline must stop on;
 * - `improved`: now PASS where it was not, or no longer FAIL;
 * - `same`, `added` (not in the baseline; never a regression on its own).
 */
export type Change = 'regressed' | 'improved' | 'same' | 'added';

export interface VerdictChange {
  id: string;
  title: string | null;
  before: Verdict | null;
  after: Verdict | null;
  change: Change;
}

export interface FigureChange {
  before: number;
  after: number;
  /** (after − before) / before; null when before is 0. */
  relative: number | null;
  /** Worse beyond the tolerance. */
  regressed: boolean;
}

export interface LoadChange {
  /** The load's id in the baseline and in the candidate (equal when matched by id). */
  before: string;
  after: string;
  matchedBy: 'id' | 'flow and rate';
  /** p99 in ms of each stage present in both (phases and `iterations`). */
  p99: Record<string, FigureChange>;
  achievedRate: FigureChange | null;
}

export interface RunComparison {
  before: RunSide;
  after: RunSide;
  tolerance: number;
  certificate: { before: CertificateStatus; after: CertificateStatus; regressed: boolean };
  verdicts: VerdictChange[];
  loads: LoadChange[];
  /** Loads only one side has, as "id (flow, rate/s)". */
  unmatchedLoads: { before: string[]; after: string[] };
  /** Why a comparison is thinner than it looks (different tiers, profiles, no load evidence). */
  notes: string[];
  regressions: string[];
}

interface RunSide {
  reference: string;
  runId: string | null;
  tier: string | null;
  profile: string | null;
  startedAt: string | null;
}

const CERTIFICATE_RANK: Record<CertificateStatus, number> = { NOT_CERTIFIED: 0, INCOMPLETE: 1, CERTIFIED: 2 };

function changeOf(before: Verdict | null, after: Verdict | null): Change {
  if (before === after) return 'same';
  if (before === null) return 'added';
  if (after === 'FAIL' || before === 'PASS') return 'regressed';
  return after === 'PASS' || before === 'FAIL' ? 'improved' : 'same';
}

/** A figure where bigger is worse (latency) or better (rate), judged against the tolerance. */
function figure(before: number, after: number, worse: 'higher' | 'lower', tolerance: number): FigureChange {
  const relative = before === 0 ? null : (after - before) / before;
  const regressed = worse === 'higher' ? after > before * (1 + tolerance) : after < before * (1 - tolerance);
  return { before, after, relative, regressed };
}

function describeLoad(load: RecordedLoad): string {
  return `${load.id} (${load.flow ?? 'flow ?'}, ${load.offered?.ratePerSecond ?? '?'}/s)`;
}

/** Loads matched by id first, then by flow and offered rate among those left (ids differ between versions or profiles). */
function matchLoads(before: readonly RecordedLoad[], after: readonly RecordedLoad[]): { pairs: Array<[RecordedLoad, RecordedLoad, LoadChange['matchedBy']]>; before: RecordedLoad[]; after: RecordedLoad[] } {
  const leftBefore = [...before];
  const leftAfter = [...after];
  const pairs: Array<[RecordedLoad, RecordedLoad, LoadChange['matchedBy']]> = [];
  const take = (matches: (a: RecordedLoad, b: RecordedLoad) => boolean, by: LoadChange['matchedBy']) => {
    for (const a of [...leftBefore]) {
      const index = leftAfter.findIndex((b) => matches(a, b));
      if (index < 0) continue;
      pairs.push([a, leftAfter[index]!, by]);
      leftAfter.splice(index, 1);
      leftBefore.splice(leftBefore.indexOf(a), 1);
    }
  };
  take((a, b) => a.id === b.id, 'id');
  take((a, b) => a.flow !== undefined && a.flow === b.flow && a.offered?.ratePerSecond !== undefined && a.offered.ratePerSecond === b.offered?.ratePerSecond, 'flow and rate');
  return { pairs, before: leftBefore, after: leftAfter };
}

function compareLoad(a: RecordedLoad, b: RecordedLoad, matchedBy: LoadChange['matchedBy'], tolerance: number): LoadChange {
  const p99: Record<string, FigureChange> = {};
  for (const [stage, evidence] of Object.entries(a.stages ?? {})) {
    const before = evidence?.percentilesMs?.['99'];
    const after = b.stages?.[stage]?.percentilesMs?.['99'];
    if (before !== undefined && after !== undefined) p99[stage] = figure(before, after, 'higher', tolerance);
  }
  const achievedRate = a.achievedRate !== undefined && b.achievedRate !== undefined ? figure(a.achievedRate, b.achievedRate, 'lower', tolerance) : null;
  return { before: a.id, after: b.id, matchedBy, p99, achievedRate };
}

function side(reference: string, run: RecordedRun): RunSide {
  return { reference, runId: run.runId ?? null, tier: run.tier, profile: run.profile, startedAt: run.startedAt ?? null };
}

/**
 * What changed from `before` (the baseline) to `after`: verdicts per guarantee, the certificate,
 * and for each load both ran, p99 per phase and the achieved rate. A figure regresses when it is
 * worse by more than `tolerance` (0.1 = 10 %): p99 higher, rate lower.
 */
export function compareRuns(before: { reference: string; run: RecordedRun }, after: { reference: string; run: RecordedRun }, tolerance: number): RunComparison {
  const a = before.run;
  const b = after.run;
  const notes: string[] = [];
  if (a.tier !== b.tier) notes.push(`the runs are of different tiers (${a.tier} and ${b.tier}): only guarantees both have are comparable`);
  if (a.profile !== b.profile) notes.push(`the runs used different profiles (${a.profile} and ${b.profile}): loads are matched by flow and offered rate only where both offered the same`);
  if (a.loads === undefined || b.loads === undefined) {
    notes.push(`no load evidence in ${[a.loads === undefined ? before.reference : '', b.loads === undefined ? after.reference : ''].filter(Boolean).join(' and ')} (a result.json before schema version 2): latency and rate are not compared`);
  }

  const afterById = new Map(b.guarantees.map((g) => [g.id, g]));
  const beforeIds = new Set(a.guarantees.map((g) => g.id));
  const verdicts: VerdictChange[] = [
    ...a.guarantees.map((g) => {
      const now = afterById.get(g.id);
      return { id: g.id, title: g.title ?? now?.title ?? null, before: g.verdict, after: now?.verdict ?? null, change: changeOf(g.verdict, now?.verdict ?? null) };
    }),
    ...b.guarantees.filter((g) => !beforeIds.has(g.id)).map((g) => ({ id: g.id, title: g.title ?? null, before: null, after: g.verdict, change: changeOf(null, g.verdict) })),
  ];

  const matched = matchLoads(a.loads ?? [], b.loads ?? []);
  const loads = matched.pairs.map(([x, y, by]) => compareLoad(x, y, by, tolerance));
  const certificate = { before: a.certificate.status, after: b.certificate.status, regressed: CERTIFICATE_RANK[b.certificate.status] < CERTIFICATE_RANK[a.certificate.status] };

  const regressions: string[] = [];
  if (certificate.regressed) regressions.push(`certificate ${certificate.before} → ${certificate.after}`);
  for (const v of verdicts.filter((change) => change.change === 'regressed')) regressions.push(`${v.id}: ${v.before} → ${v.after ?? 'absent'}`);
  for (const load of loads) {
    for (const [stage, change] of Object.entries(load.p99)) {
      if (change.regressed) regressions.push(`${load.after}: p99 ${stage} ${formatMs(change.before)} → ${formatMs(change.after)} (${formatRelative(change.relative)}, tolerance ${formatPercent(tolerance)})`);
    }
    if (load.achievedRate?.regressed) regressions.push(`${load.after}: achieved ${formatRate(load.achievedRate.before)} → ${formatRate(load.achievedRate.after)} (${formatRelative(load.achievedRate.relative)}, tolerance ${formatPercent(tolerance)})`);
  }
  return {
    before: side(before.reference, a), after: side(after.reference, b), tolerance, certificate, verdicts, loads,
    unmatchedLoads: { before: matched.before.map(describeLoad), after: matched.after.map(describeLoad) },
    notes, regressions,
  };
}

export function formatMs(ms: number): string {
  return `${Number.isInteger(ms) ? ms : ms.toFixed(1)} ms`;
}

export function formatRate(rate: number): string {
  return `${Number.isInteger(rate) ? rate : rate.toFixed(1)}/s`;
}

export function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(1))} %`;
}

export function formatRelative(relative: number | null): string {
  if (relative === null) return 'from 0';
  return `${relative >= 0 ? '+' : '−'}${formatPercent(Math.abs(relative))}`;
}

/** "10%", "10 %" or "10" (percent), "2.5%". A fraction like "0.1" is refused: it reads as 0.1 % to some and 10 % to others. */
export function parseTolerance(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  if (!match) return undefined;
  const percent = Number(match[1]);
  if (percent > 0 && percent < 1 && !text.includes('%')) return undefined;
  return percent / 100;
}
