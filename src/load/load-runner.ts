/** The load an SLA scenario offers, already scaled to the run's profile. */
export interface LoadOffer {
  ratePerSecond: number;
  durationMs: number;
}

export type Phase = 'lookups' | 'quotes' | 'transfers';

export interface PhaseStats {
  count: number;
  failures: number;
  /** Latency percentiles in ms, keyed by percentile ("50", "95", "99", "99.9"). */
  percentilesMs: Record<string, number>;
}

/** What a load runner reports for the steady-state window of an open-model run. */
export interface LoadSummary {
  /** Runner and window, e.g. "builtin runner, steady state 300 s–3480 s". */
  source: string;
  offeredRate: number;
  windowMs: number;
  achievedRate: number;
  droppedIterations: number;
  phases: Record<Phase, PhaseStats>;
  /** With a fault injected mid-run: how long transfers failed, and whether committed ones survived. */
  recovery?: { fault: string; outageMs: number; committedChecked: number; committedLost: number };
}

/** Drives P2P transfers open-model at the offered rate (builtin, k6, k6-operator); `fault` runs once, mid-run. */
export interface LoadRunner {
  run(offer: LoadOffer, options?: { fault?: () => Promise<void> }): Promise<LoadSummary>;
}

/** Kills one pod or container of a component during a load and says which. */
export interface FaultInjector {
  killOne(component: string): Promise<string>;
}
