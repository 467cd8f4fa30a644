import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../config/errors.ts';
import { PROJECT_ROOT } from '../config/project.ts';
import type { Profile } from '../config/schema.ts';
import type { LoadOffer } from './load-runner.ts';

/**
 * A load profile as `scenarios/<name>.yaml` states it. Durations (asked, capped or replaced) are
 * the steady state judged; the run adds the profile's warm-up before it and drain after it.
 */
const LoadProfileSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().min(1),
  /** Caps on what a scenario asks for (smoke). */
  maxRatePerSecond: z.number().positive().optional(),
  maxDurationMs: z.number().int().positive().optional(),
  /** Scales the asked rate (soak). */
  rateFactor: z.number().positive().max(1).optional(),
  /** Replaces the asked steady-state duration (soak). */
  durationMs: z.number().int().positive().optional(),
  warmupMs: z.number().int().min(0),
  drainMs: z.number().int().min(0),
  intervalMs: z.number().int().positive(),
  /** Only a profile that offers exactly what the feature text asks may certify an SLA. */
  certifies: z.boolean(),
}).refine((p) => !p.certifies || (p.maxRatePerSecond === undefined && p.maxDurationMs === undefined && p.rateFactor === undefined && p.durationMs === undefined), {
  message: 'a profile that certifies must offer the asked load unchanged (no caps, factor or duration)',
});

export type LoadProfile = z.infer<typeof LoadProfileSchema>;

const profiles = new Map<string, LoadProfile>();

/** The profile in `scenarios/<name>.yaml`, read and validated once per process. */
export function loadProfile(name: Profile): LoadProfile {
  let profile = profiles.get(name);
  if (!profile) {
    const file = join(PROJECT_ROOT, 'scenarios', `${name}.yaml`);
    const parsed = LoadProfileSchema.safeParse(parseYaml(readFileSync(file, 'utf8')));
    if (!parsed.success) {
      throw new ConfigError(`load profile ${file} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ')}`);
    }
    if (parsed.data.name !== name) throw new ConfigError(`load profile ${file} is named "${parsed.data.name}", not "${name}"`);
    profile = parsed.data;
    profiles.set(name, profile);
  }
  return profile;
}

/** What the profile offers for what a scenario asks: a rate held for a steady-state duration. */
export function offerFor(profile: LoadProfile, asked: LoadOffer): LoadOffer {
  return {
    ratePerSecond: Math.min(asked.ratePerSecond * (profile.rateFactor ?? 1), profile.maxRatePerSecond ?? Number.POSITIVE_INFINITY),
    durationMs: profile.durationMs ?? Math.min(asked.durationMs, profile.maxDurationMs ?? Number.POSITIVE_INFINITY),
  };
}
