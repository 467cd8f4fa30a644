import type { Profile } from '../config/schema.ts';
import type { LoadOffer } from './load-runner.ts';

/**
 * How each profile shapes the load an SLA scenario asks for. `certify` offers exactly what the
 * feature text says; `smoke` caps it so a run finishes in about a minute — and its SLA verdicts
 * are marked as judged below full threshold, so they can never certify a tier.
 */
export const LOAD_PROFILES: Record<Profile, { maxRatePerSecond: number; maxDurationMs: number }> = {
  smoke: { maxRatePerSecond: 20, maxDurationMs: 60_000 },
  certify: { maxRatePerSecond: Number.POSITIVE_INFINITY, maxDurationMs: Number.POSITIVE_INFINITY },
};

export function offerFor(profile: Profile, asked: LoadOffer): LoadOffer {
  const limits = LOAD_PROFILES[profile];
  return {
    ratePerSecond: Math.min(asked.ratePerSecond, limits.maxRatePerSecond),
    durationMs: Math.min(asked.durationMs, limits.maxDurationMs),
  };
}
