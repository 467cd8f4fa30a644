import { Before } from '@cucumber/cucumber';
import { missingCapability } from '../src/run/capability-gate.ts';
import type { ConformanceWorld } from './world.ts';

Before(async function (this: ConformanceWorld, { pickle }) {
  const gap = missingCapability(pickle.tags.map((tag) => tag.name), this.session.environment);
  if (gap) return this.notEvaluated(gap.reason, gap.capability);
  return undefined;
});
