import type { ConformanceConfig } from '../config/schema.ts';
import type { EnvironmentDescription } from '../environment/environment.ts';
import { secretFreeDigest } from '../support/secrets.ts';
import type { RunResult } from './result-schema.ts';

export type EnvironmentFingerprint = RunResult['fingerprint'];

/**
 * What ties a verdict to what produced it: the tool (version and the commit it ran from), Node,
 * the target and whatever it knows of what was tested, the config's digest with its secrets
 * removed, the profile and the runner, start and end.
 */
export function fingerprintOf(run: {
  tool: { name: string; version: string };
  gitCommit: string | null;
  config: ConformanceConfig;
  /** The run's first line: what it said it tests, before anything started. */
  targetDescription: string;
  /** The started environment's description; null when it never started. */
  environment: EnvironmentDescription | null;
  startedAt: Date;
  finishedAt: Date;
  profile: string;
  /** The runner the loads ran on; the config's choice (`auto`…) when no load ran. */
  runner: string | null;
}): EnvironmentFingerprint {
  return {
    tool: { ...run.tool, gitCommit: run.gitCommit },
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    target: {
      kind: run.config.target,
      description: run.targetDescription,
      summary: run.environment?.summary ?? null,
      tested: { ...run.environment?.tested },
    },
    configDigest: secretFreeDigest(run.config),
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt.toISOString(),
    profile: run.profile,
    runner: run.runner,
  };
}
