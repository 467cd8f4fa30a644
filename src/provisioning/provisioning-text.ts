import type { PlannedCall } from './hub-provisioner.ts';

/** A dry run as lines to print: each call with its body and why, or that nothing is missing. */
export function planLines(calls: readonly PlannedCall[]): string[] {
  if (calls.length === 0) return ['the hub is provisioned: nothing to do'];
  return calls.map((call) => `${call.method} ${call.path}${call.api === 'fspiop' ? ' (FSPIOP)' : ''} ${call.body} — ${call.why}`);
}
