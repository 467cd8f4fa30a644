import { tagValue } from '../catalogue/tags.ts';
import { describeFailures, describeLoad, formatMeasuredValue, type EvidenceRecord, type Measurement, type OfferedLoad } from '../evidence/evidence.ts';

export type Verdict = 'PASS' | 'FAIL' | 'NOT_EVALUATED';

/**
 * Cucumber's outcome of one scenario, plus 'NOT_RUN' for scenarios an interrupted run never
 * reached and 'NOT_SELECTED' for those a tag filter left out.
 */
export type ScenarioStatus = 'PASSED' | 'FAILED' | 'SKIPPED' | 'PENDING' | 'UNDEFINED' | 'AMBIGUOUS' | 'UNKNOWN' | 'NOT_RUN' | 'NOT_SELECTED';

/** A scenario as the run saw it: the input of the verdict. */
export interface ScenarioOutcome {
  id: string;
  title: string;
  tags: string[];
  location: string;
  status: ScenarioStatus;
  /** First line of the failure, for FAILED / UNDEFINED / AMBIGUOUS. */
  message?: string;
  /** Class of the error that failed the scenario ("AssertionError" when a measurement was out of threshold). */
  errorType?: string;
  evidence: EvidenceRecord[];
}

export interface GuaranteeVerdict {
  id: string;
  title: string;
  verdict: Verdict;
  /** What was measured, in words; null when nothing was. */
  measured: string | null;
  /** What the guarantee demands, in words; null when not evaluated. */
  threshold: string | null;
  /** Why it failed or was not evaluated; null for PASS. */
  reason: string | null;
  /** Whether it was judged at the tier's full threshold (false for SLA guarantees under a profile that does not certify, or any load the profile reduced: such a verdict is FAIL or NOT EVALUATED, never PASS). */
  fullThreshold: boolean;
  concern: string | null;
  location: string;
  evidence: Measurement[];
  /** Present when the profile offered less load than the guarantee states: what was asked and what was offered. */
  reducedLoad?: { profile: string; asked: OfferedLoad; offered: OfferedLoad };
}

export interface VerdictContext {
  profile: string;
  /** The profile offers the load the feature text asks (`certifies` in scenarios/<profile>.yaml). */
  profileCertifies: boolean;
  interrupted?: boolean;
  /** The tag expression that selected the scenarios, if any. */
  tags?: string;
}

/**
 * A threshold measured under a reduced load names that load and the one the guarantee asks, so
 * "≥ 20 transfers/s" is never read as the guarantee's own threshold.
 */
function thresholdUnder(reduced: EvidenceRecord | undefined, profile: string): string {
  if (reduced?.type !== 'reduced-load') return '';
  return ` — measured under the load profile ${profile} offered (${describeLoad(reduced.offered)}); the guarantee asks ${describeLoad(reduced.asked)}`;
}

/** A pass under a reduced load: its own state in every summary (NOT EVALUATED, holding only what was offered), never counted among plain NOT EVALUATED. */
export function isReducedLoadResult(verdict: Pick<GuaranteeVerdict, 'verdict' | 'reducedLoad'>): boolean {
  return verdict.verdict === 'NOT_EVALUATED' && verdict.reducedLoad !== undefined;
}

/**
 * The one place evidence becomes a verdict. A guarantee PASSES only if its scenario passed and
 * recorded at least one measurement, all of them within threshold; a guarantee with no
 * measurement is never PASS. Under a load reduced below what the guarantee asks, what would pass
 * is NOT EVALUATED (holding 20 transfers/s says nothing about 1000), with what was held as the
 * evidence; what fails is FAIL (a hub that fails at 20 transfers/s fails at 1000), naming the
 * load it was measured at.
 */
export function judge(outcome: ScenarioOutcome, context: VerdictContext): GuaranteeVerdict {
  const measurements = outcome.evidence.flatMap((record) => (record.type === 'measurements' ? record.measurements : []));
  const notEvaluated = outcome.evidence.find((record) => record.type === 'not-evaluated');
  const reduced = outcome.evidence.find((record) => record.type === 'reduced-load');
  const base = {
    ...(reduced?.type === 'reduced-load' ? { reducedLoad: { profile: context.profile, asked: reduced.asked, offered: reduced.offered } } : {}),
    id: outcome.id,
    title: outcome.title,
    concern: tagValue(outcome.tags, 'concern') ?? null,
    location: outcome.location,
    fullThreshold: !outcome.evidence.some((record) => record.type === 'reduced-load')
      && !(outcome.tags.includes('@sla') && !context.profileCertifies),
    evidence: measurements,
    measured: measurements.length > 0 ? measurements.map((m) => `${m.name}: ${formatMeasuredValue(m)}`).join('; ') : null,
    threshold: measurements.length > 0 ? measurements.map((m) => `${m.name} ${m.threshold}`).join('; ') + thresholdUnder(reduced, context.profile) : null,
  };
  const failed = measurements.filter((m) => !m.ok);
  const load = reduced?.type === 'reduced-load' ? reduced : undefined;
  const measuredAt = load ? `; measured at ${describeLoad(load.offered)} (profile ${context.profile}), the guarantee asks ${describeLoad(load.asked)}` : '';

  if (notEvaluated?.type === 'not-evaluated' && outcome.status !== 'FAILED') {
    return { ...base, verdict: 'NOT_EVALUATED', reason: notEvaluated.reason };
  }
  // recordFinding reports the step of a reduced-load pass as skipped, so Cucumber may say SKIPPED here.
  if (load && measurements.length > 0 && failed.length === 0 && (outcome.status === 'PASSED' || outcome.status === 'SKIPPED')) {
    return {
      ...base, verdict: 'NOT_EVALUATED',
      reason: `held ${describeLoad(load.offered)} (profile ${context.profile}): ${base.measured}; the guarantee asks ${describeLoad(load.asked)}, so a pass at this load proves nothing about it`,
    };
  }
  switch (outcome.status) {
    case 'PASSED':
      if (measurements.length === 0) return { ...base, verdict: 'NOT_EVALUATED', reason: 'the scenario passed but recorded no measurement, so nothing was proven' };
      if (failed.length > 0) return { ...base, verdict: 'FAIL', reason: `${describeFailures(failed)}${measuredAt}` };
      return { ...base, verdict: 'PASS', reason: null };
    case 'FAILED':
      if (failed.length > 0) return { ...base, verdict: 'FAIL', reason: `${describeFailures(failed)}${measuredAt}` };
      if (outcome.errorType === 'AssertionError') return { ...base, verdict: 'FAIL', reason: outcome.message ?? 'an assertion failed' };
      // An error that is no out-of-threshold measurement is the tool's or the infrastructure's, not the hub's.
      return { ...base, verdict: 'NOT_EVALUATED', reason: `could not be measured: ${outcome.message ?? 'the scenario errored'}` };
    case 'UNDEFINED':
      return { ...base, verdict: 'NOT_EVALUATED', reason: `a step has no definition in this version of the tool${outcome.message ? `: ${outcome.message}` : ''}` };
    case 'PENDING':
      return { ...base, verdict: 'NOT_EVALUATED', reason: 'a step is pending in this version of the tool' };
    case 'AMBIGUOUS':
      return { ...base, verdict: 'NOT_EVALUATED', reason: `a step matches several definitions (a defect of the tool)${outcome.message ? `: ${outcome.message}` : ''}` };
    case 'NOT_SELECTED':
      return { ...base, verdict: 'NOT_EVALUATED', reason: `not selected by the tag filter${context.tags ? ` "${context.tags}"` : ''}` };
    case 'NOT_RUN':
      return { ...base, verdict: 'NOT_EVALUATED', reason: context.interrupted ? 'the run was interrupted before this guarantee was evaluated' : 'the scenario did not run' };
    case 'SKIPPED':
    case 'UNKNOWN':
      return { ...base, verdict: 'NOT_EVALUATED', reason: 'the scenario was skipped without a recorded reason' };
  }
}
