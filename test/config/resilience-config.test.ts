import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateConfig } from '../../src/config/load-config.ts';

describe('resilience.rto in the config', () => {
  it('is absent by default: the feature text states the recovery time objective', () => {
    assert.deepEqual(validateConfig({}).resilience, {});
  });

  it('takes an objective in ms with the source it comes from', () => {
    assert.deepEqual(validateConfig({ resilience: { rto: { maxMs: 20_000, source: 'operations SLO v2' } } }).resilience.rto, { maxMs: 20_000, source: 'operations SLO v2' });
  });

  it('refuses an objective without its source, or one that is no positive whole number of ms, naming the field', () => {
    assert.throws(() => validateConfig({ resilience: { rto: { maxMs: 20_000 } } }), /resilience\.rto\.source/);
    assert.throws(() => validateConfig({ resilience: { rto: { maxMs: 20_000, source: '  ' } } }), /resilience\.rto\.source: name where the objective comes from/);
    assert.throws(() => validateConfig({ resilience: { rto: { maxMs: 0, source: 'x' } } }), /resilience\.rto\.maxMs/);
    assert.throws(() => validateConfig({ resilience: { rto: { maxMs: 1.5, source: 'x' } } }), /resilience\.rto\.maxMs/);
  });
});
