import type { GuaranteeVerdict } from '../../verdict/guarantee-verdict.ts';

/**
 * How a guarantee is shown. A verdict held under a load the profile reduced is its own state, never
 * green: holding 20 transfers/s says nothing about the 1000 the guarantee asks. A PASS that was not
 * judged at the full threshold cannot come out of `judge`, but if a document says so it is shown as
 * reduced too — the page never lets a reader take it for a pass.
 */
export type DisplayState = 'PASS' | 'FAIL' | 'NOT_EVALUATED' | 'REDUCED_LOAD';

export const DISPLAY_STATES: readonly DisplayState[] = ['PASS', 'FAIL', 'REDUCED_LOAD', 'NOT_EVALUATED'];

export const STATE_LABEL: Record<DisplayState, string> = {
  PASS: 'Passed',
  FAIL: 'Failed',
  REDUCED_LOAD: 'Reduced load — not evaluated',
  NOT_EVALUATED: 'Not evaluated',
};

export function displayState(verdict: Pick<GuaranteeVerdict, 'verdict' | 'fullThreshold' | 'reducedLoad'>): DisplayState {
  if (verdict.verdict === 'FAIL') return 'FAIL';
  if (verdict.verdict === 'PASS') return verdict.fullThreshold === false || verdict.reducedLoad ? 'REDUCED_LOAD' : 'PASS';
  return verdict.reducedLoad ? 'REDUCED_LOAD' : 'NOT_EVALUATED';
}

export function countStates(verdicts: ReadonlyArray<Pick<GuaranteeVerdict, 'verdict' | 'fullThreshold' | 'reducedLoad'>>): Record<DisplayState, number> {
  const counts: Record<DisplayState, number> = { PASS: 0, FAIL: 0, REDUCED_LOAD: 0, NOT_EVALUATED: 0 };
  for (const verdict of verdicts) counts[displayState(verdict)] += 1;
  return counts;
}
