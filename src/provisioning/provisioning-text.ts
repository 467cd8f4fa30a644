import type { PlannedCall, ProvisioningEntry, ProvisioningOutcome, ProvisioningReport } from './hub-provisioner.ts';

/** A dry run as lines to print: each call with its body and why, or that nothing is missing. */
export function planLines(calls: readonly PlannedCall[]): string[] {
  if (calls.length === 0) return ['the hub is provisioned: nothing to do'];
  return calls.map((call) => `${call.method} ${call.path}${call.api === 'fspiop' ? ' (FSPIOP)' : ''} ${call.body} — ${call.why}`);
}

const ORDER: readonly ProvisioningOutcome[] = ['created', 'changed', 'skipped', 'kept', 'already there'];

/** A provisioning run as lines to print: what it created, changed, skipped, kept, found there, then how to remove what it created. */
export function reportLines(report: ProvisioningReport): string[] {
  const lines = [`provisioned ${report.adminUrl}:`];
  for (const outcome of ORDER) {
    const entries = report.entries.filter((entry) => entry.outcome === outcome);
    if (entries.length === 0) continue;
    lines.push(`  ${outcome} (${entries.length}):`, ...entries.map((entry: ProvisioningEntry) => `    ${entry.subject}: ${entry.detail}`));
  }
  if (report.removal.length > 0) lines.push('  to remove what this run created:', ...report.removal.map((line) => `    ${line}`));
  return lines;
}
