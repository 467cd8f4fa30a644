import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** What the process may hold open (its soft `ulimit -n`), and how that was learnt. */
export interface DescriptorLimit {
  limit: number;
  source: string;
}

/** Assumed when the limit cannot be read: the common soft default of Linux. */
export const ASSUMED_DESCRIPTOR_LIMIT = 1024;

let known: DescriptorLimit | undefined;

/**
 * The soft limit on open descriptors, read once per process: `/proc/self/limits` on Linux, else
 * what `ulimit -n` prints in a shell started by this process (it inherits the limit), else an
 * assumption that says so. Every socket, file and pipe of the process — the embedded hub's worker
 * thread included — counts against it.
 */
export function descriptorLimit(): DescriptorLimit {
  known ??= fromProc() ?? fromShell() ?? { limit: ASSUMED_DESCRIPTOR_LIMIT, source: `assumed ${ASSUMED_DESCRIPTOR_LIMIT} (the limit could not be read)` };
  return known;
}

/** `Max open files  <soft>  <hard>  files` → the soft limit. */
export function parseProcLimits(text: string): number | undefined {
  const soft = /^Max open files\s+(\S+)/m.exec(text)?.[1];
  if (soft === undefined) return undefined;
  return soft === 'unlimited' ? Number.MAX_SAFE_INTEGER : positive(soft);
}

function fromProc(): DescriptorLimit | undefined {
  try {
    const limit = parseProcLimits(readFileSync('/proc/self/limits', 'utf8'));
    return limit === undefined ? undefined : { limit, source: `ulimit -n ${limit}` };
  } catch {
    return undefined;
  }
}

function fromShell(): DescriptorLimit | undefined {
  try {
    const text = execFileSync('/bin/sh', ['-c', 'ulimit -n'], { encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const limit = text === 'unlimited' ? Number.MAX_SAFE_INTEGER : positive(text);
    return limit === undefined ? undefined : { limit, source: `ulimit -n ${text}` };
  } catch {
    return undefined;
  }
}

function positive(text: string): number | undefined {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/** Descriptors this process holds open now (Linux: /proc/self/fd), undefined where that cannot be read. */
export function openDescriptors(): number | undefined {
  try {
    // The listing itself holds one descriptor while it reads.
    return readdirSync('/proc/self/fd').length - 1;
  } catch {
    return undefined;
  }
}
