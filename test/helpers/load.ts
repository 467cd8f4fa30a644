import type { LoadRequest, LoadRunner, LoadSummary, PhaseStats } from '../../src/load/load-runner.ts';

/** A phase whose successes all took `p99Ms` (unless `completedBelowMs` says otherwise), and whose failures are `failures`. */
export const stats = (attempts: number, p99Ms: number, failures: Record<string, number> = {}, completedBelowMs?: Array<[number, number]>): PhaseStats => {
  const failed = Object.values(failures).reduce((sum, n) => sum + n, 0);
  const successes = attempts - failed;
  return {
    attempts, successes, failures, percentilesMs: { 50: p99Ms / 2, 95: p99Ms * 0.9, 99: p99Ms, 99.9: p99Ms * 1.2 },
    completedBelowMs: completedBelowMs ?? (successes > 0 ? [[Math.floor(p99Ms) + 1, successes]] : []),
  };
};

/** What a runner would report for a request the hub served perfectly: every interval at the rate, fixed p99s. */
export function scriptedSummary(request: Omit<LoadRequest, 'fault'>, p99Ms: { lookups: number; quotes: number; transfers: number }, overrides: Partial<LoadSummary> = {}): LoadSummary {
  const window = { startMs: request.warmupMs, endMs: request.durationMs - request.drainMs };
  const inWindow = Math.round((request.ratePerSecond * (window.endMs - window.startMs)) / 1000);
  const intervals: LoadSummary['intervals'] = [];
  for (let startMs = window.startMs; startMs + request.intervalMs <= window.endMs; startMs += request.intervalMs) {
    intervals.push({ startMs, endMs: startMs + request.intervalMs, succeeded: Math.round((request.ratePerSecond * request.intervalMs) / 1000) });
  }
  return {
    runner: 'scripted runner', source: `scripted load runner (test), profile ${request.profile}`, request, window,
    scheduled: Math.round((request.ratePerSecond * request.durationMs) / 1000), dropped: 0, achievedRate: request.ratePerSecond, intervals,
    iterations: stats(inWindow, p99Ms.lookups + p99Ms.quotes + p99Ms.transfers),
    phases: { lookups: stats(inWindow, p99Ms.lookups), quotes: stats(inWindow, p99Ms.quotes), transfers: stats(inWindow, p99Ms.transfers) },
    series: [], committedSample: [],
    ...overrides,
  };
}

/** A runner that records what it was asked and answers with `scriptedSummary`. */
export function scriptedRunner(p99Ms: { lookups: number; quotes: number; transfers: number }): { runner: LoadRunner; requests: LoadRequest[] } {
  const requests: LoadRequest[] = [];
  return {
    requests,
    runner: {
      name: 'scripted runner',
      run: async (request) => {
        requests.push(request);
        const { fault, ...rest } = request;
        return scriptedSummary(rest, p99Ms);
      },
    },
  };
}
