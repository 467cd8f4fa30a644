import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingCapability, type Capability, type CapabilitySource } from '../../src/catalogue/capabilities.ts';

const target = (capabilities: Capability[]): CapabilitySource => ({
  capabilities: new Set(capabilities),
  whyMissing: (c: Capability) => `this target has no ${c}`,
});

describe('capability gate', () => {
  it('names the first missing capability, what it is and why the target lacks it', () => {
    const gap = missingCapability(['@guarantee:X', '@needs:fspiop-api', '@needs:kubernetes-inventory'], target(['fspiop-api']));
    assert.equal(gap?.capability, 'kubernetes-inventory');
    assert.equal(gap?.notEvaluated, 'needs the workloads, services, ingresses and Helm releases of a Kubernetes cluster; this target has no kubernetes-inventory');
    assert.equal(missingCapability(['@needs:fspiop-api'], target(['fspiop-api'])), undefined);
  });

  it('treats an unknown capability tag as a defect of the feature files', () => {
    assert.throws(() => missingCapability(['@needs:telepathy'], target([])), /feature tag @needs:telepathy names no capability/);
  });
});
