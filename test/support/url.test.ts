import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateConfig } from '../../src/config/load-config.ts';
import { redactUrl } from '../../src/support/url.ts';

describe('credentials in URLs', () => {
  it('are redacted before a URL is shown', () => {
    assert.equal(redactUrl('https://admin:s3cret@hub.example:8443/api'), 'https://***@hub.example:8443/api');
    assert.equal(redactUrl('http://127.0.0.1:4000'), 'http://127.0.0.1:4000');
    assert.equal(redactUrl('https://gw.example/fspiop/?apikey=K1&s3cret'), 'https://gw.example/fspiop/?apikey=***&***');
  });

  it('are refused in the config, naming the field but not echoing the secret', () => {
    assert.throws(() => validateConfig({ hub: { url: 'https://admin:s3cret@hub.example' } }), (error: Error) => {
      assert.match(error.message, /hub\.url: must not carry credentials/);
      assert.doesNotMatch(error.message, /s3cret/);
      return true;
    });
  });
});
