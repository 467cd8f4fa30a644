import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingCapability } from '../../src/catalogue/capabilities.ts';
import { capabilitySource, providerOf, serves, type Providers, type ProvidingSource } from '../../src/environment/capability-providers.ts';

const target: ProvidingSource = {
  provides: {
    'fspiop-api': true,
    'hub-ledger': { adminUrl: 'http://admin.example', hubChanges: { record: async () => 'id', settle: async () => undefined } },
    'controlled-payee': undefined,
  },
  whyMissing: (capability) => `this target has no ${capability}`,
};

describe('capability providers', () => {
  it('derives the capabilities from what is served: a key left undefined is no capability', () => {
    assert.deepEqual([...capabilitySource(target).capabilities].sort(), ['fspiop-api', 'hub-ledger']);
    assert.equal(serves(target, 'controlled-payee'), false);
    assert.equal(missingCapability(['@needs:controlled-payee'], capabilitySource(target))?.notEvaluated,
      'needs a payee DFSP the framework controls (to make it misbehave, e.g. send a wrong fulfilment); this target has no controlled-payee');
  });

  it('hands over the provider of a capability served, typed by the capability', () => {
    assert.equal(providerOf(target, 'hub-ledger').adminUrl, 'http://admin.example');
    assert.equal(providerOf(target, 'fspiop-api'), true);
  });

  it('makes advertising a capability without its provider a type error (checked by tsc)', () => {
    // @ts-expect-error: hub-ledger is served by its admin URL and change recorder, not by a flag.
    const advertisedOnly: Providers = { 'hub-ledger': true };
    // @ts-expect-error: fault injection needs a FaultInjector.
    const wrongProvider: Providers = { 'fault-injection': { adminUrl: 'http://admin.example' } };
    assert.ok(advertisedOnly && wrongProvider);
  });

  it('treats reading a capability that is not served as a programming error that says how to gate it', () => {
    assert.throws(() => providerOf(target, 'kubernetes-inventory'),
      /^Error: programming error: kubernetes-inventory \(.*\) was read from a source that does not serve it; gate the scenario with @needs:kubernetes-inventory .*this target has no kubernetes-inventory/);
  });
});
