import { Then } from '@cucumber/cucumber';
import { attestedReview } from '../src/probes/attestation.ts';
import type { ConformanceWorld } from './world.ts';

Then('a reviewer attests that {string} documentation exists and matches this version', function (this: ConformanceWorld, kind: string) {
  return this.record(attestedReview(this.session.config.attestations, this.guaranteeId, `${kind} documentation`, new Date()));
});
