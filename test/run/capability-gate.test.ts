import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateConfig } from '../../src/config/load-config.ts';
import type { Capability, StartedEnvironment } from '../../src/environment/environment.ts';
import { missingCapability } from '../../src/run/capability-gate.ts';
import { sessionCapabilities } from '../../src/run/session.ts';

const target = (capabilities: Capability[]) => ({
  capabilities: new Set(capabilities),
  whyMissing: (c: Capability) => `this target has no ${c}`,
}) as unknown as StartedEnvironment;

describe('capability gate', () => {
  it('names the first missing capability, what it is and why the target lacks it', () => {
    const gap = missingCapability(['@guarantee:X', '@needs:fspiop-api', '@needs:kubernetes-inventory'], target(['fspiop-api']));
    assert.equal(gap?.capability, 'kubernetes-inventory');
    assert.equal(gap?.reason, 'needs the workloads, services, ingresses and Helm releases of a Kubernetes cluster; this target has no kubernetes-inventory');
    assert.equal(missingCapability(['@needs:fspiop-api'], target(['fspiop-api'])), undefined);
  });

  it('treats an unknown capability tag as a defect of the feature files', () => {
    assert.throws(() => missingCapability(['@needs:telepathy'], target([])), /feature tag @needs:telepathy names no capability/);
  });

  it('grants human review when the config carries attestations, and the admin API when its URL is configured', () => {
    const bare = sessionCapabilities(target(['fspiop-api']), validateConfig({}));
    assert.equal(bare.capabilities.has('human-review'), false);
    assert.match(bare.whyMissing('human-review'), /no reviewer attestation/);
    const granted = sessionCapabilities(target(['fspiop-api']), validateConfig({
      hub: { adminUrl: 'http://127.0.0.1:3001' },
      attestations: [{ guarantee: 'CTH-DOC-01', reviewer: 'R', date: '2026-11-01', reference: 'docs v1' }],
    }));
    assert.ok(granted.capabilities.has('human-review'));
    assert.ok(granted.capabilities.has('admin-api'));
  });
});
