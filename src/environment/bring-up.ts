import { EnvironmentUnavailableError } from '../config/errors.ts';

// What every target that brings something up (a harness, a minimal core, a k3s cluster) needs
// while it waits: a bound, a way out on Ctrl-C, and a failure said in one line.

/** Rejects with `message` when `work` takes longer than `ms` (the work itself is not cancelled). */
export function within<T>(work: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new EnvironmentUnavailableError(message())), ms); }),
  ]);
}

/** Rejects with `message` when the run is interrupted (never, without a signal). */
export function interruptedBy(signal: AbortSignal | undefined, message: string): Promise<never> {
  return new Promise((_, reject) => {
    if (!signal) return;
    const stop = () => reject(new EnvironmentUnavailableError(message));
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
}

/** The first non-blank line of an error, cut at `maxLength` (an engine's pull error can run on for kilobytes). */
export function firstLine(error: unknown, maxLength = Infinity): string {
  const text = (error instanceof Error ? error.message : String(error)).split('\n').map((l) => l.trim()).find(Boolean) ?? 'unknown error';
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}

/** `running` once `step` (reaching the hub inside) has succeeded; stopped — nothing left behind — when it fails. */
export async function stoppedOnFailure<T extends { stop(): Promise<void> }>(running: T, step: () => Promise<void>): Promise<T> {
  try {
    await step();
  } catch (error) {
    await running.stop();
    throw error;
  }
  return running;
}
