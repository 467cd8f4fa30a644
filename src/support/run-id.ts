import { randomBytes } from 'node:crypto';

/**
 * A run's id: its start in UTC to the millisecond, then 6 random hex digits —
 * `20261205T111130123Z-3fa9c1`. Ids sort as the runs started, and two runs started in the same
 * millisecond (concurrent runs in one process) still differ.
 */
export function newRunId(startedAt: Date, random: () => string = () => randomBytes(3).toString('hex')): string {
  return `${startedAt.toISOString().replace(/[-:.]/g, '')}-${random()}`;
}
