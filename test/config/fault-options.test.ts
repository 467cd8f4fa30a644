import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/config/errors.ts';
import { parseFaultOptions } from '../../src/config/fault-options.ts';
import { validateConfig } from '../../src/config/load-config.ts';

describe('--fault', () => {
  it('reads a name alone as on, numbers, ranges and text', () => {
    assert.deepEqual(parseFaultOptions(['acceptWrongFulfilment', 'dropCallbacks=0.2', 'callbackDelayMs=100-900', 'callbackSource=rogue', 'seed=7']),
      { acceptWrongFulfilment: true, dropCallbacks: 0.2, callbackDelayMs: { min: 100, max: 900 }, callbackSource: 'rogue', seed: 7 });
  });

  it('says which value a fault that needs one takes', () => {
    assert.throws(() => parseFaultOptions(['crashAfterTransfers']), /--fault crashAfterTransfers needs a value: --fault crashAfterTransfers=100/);
  });

  it('refuses an unknown fault, listing the known ones', () => {
    assert.throws(() => parseFaultOptions(['dropEverything']), (error: unknown) => error instanceof UsageError && /"dropEverything" is no fault; known: callbackDelayMs, dropCallbacks/.test(error.message));
  });

  it('is refused for a target other than the embedded hub, which could not inject it', () => {
    assert.throws(() => validateConfig({ target: 'url', hub: { url: 'http://127.0.0.1:4000' }, embedded: { faults: { dropCallbacks: 1 } } }),
      /embedded\.faults: faults are injected by the embedded hub; a url target cannot be told to misbehave/);
  });

  it('leaves the values to the config validation, which names the field', () => {
    assert.throws(() => validateConfig({ embedded: { faults: parseFaultOptions(['dropCallbacks=2']) } }), /embedded\.faults\.dropCallbacks/);
    assert.throws(() => validateConfig({ embedded: { faults: parseFaultOptions(['callbackDelayMs=900-100']) } }), /embedded\.faults\.callbackDelayMs: min must not exceed max/);
  });
});
