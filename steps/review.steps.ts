import { Then } from '@cucumber/cucumber';
import { judgeAttestation } from '../src/probes/attestation.ts';
import type { ConformanceWorld } from './world.ts';

Then('a reviewer attests that {string} documentation exists and matches this version', async function (this: ConformanceWorld, kind: string) {
  const attestation = this.session.config.attestations.find((a) => a.guarantee === this.guaranteeId);
  if (!attestation) return this.notEvaluated(`no reviewer attestation for ${this.guaranteeId} in the config (attestations)`, 'human-review');
  await this.record([judgeAttestation(attestation, `${kind} documentation`, new Date())]);
  return undefined;
});
