import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callbackEndpointValue, FSPIOP_CALLBACK_ENDPOINT_TYPES } from '../../src/fspiop/callback-endpoint-types.ts';
import { CALLBACK_BASE_URL, callbackUrl } from '../../src/hub/callback-routing.ts';

/** The endpoints a provisioned DFSP registers: every type under one base URL. */
const provisioned = new Map(FSPIOP_CALLBACK_ENDPOINT_TYPES.map((endpoint) => [endpoint.type, callbackEndpointValue('https://dfsp.example/fsp/', endpoint)]));

describe('where the reference hub delivers a callback', () => {
  it('fills central-ledger\'s templates from the path for each resource, sub-ids and errors included', () => {
    const at = (method: string, path: string) => callbackUrl((type) => provisioned.get(type), method, path);
    assert.equal(at('GET', '/parties/MSISDN/123'), 'https://dfsp.example/fsp/parties/MSISDN/123');
    assert.equal(at('PUT', '/parties/MSISDN/123/savings/error'), 'https://dfsp.example/fsp/parties/MSISDN/123/savings/error');
    assert.equal(at('PUT', '/participants/MSISDN/123'), 'https://dfsp.example/fsp/participants/MSISDN/123');
    assert.equal(at('PUT', '/participants/MSISDN/123/error'), 'https://dfsp.example/fsp/participants/MSISDN/123/error');
    assert.equal(at('POST', '/quotes'), 'https://dfsp.example/fsp/quotes', 'quotes are registered as the base URL');
    assert.equal(at('PUT', '/quotes/q1/error'), 'https://dfsp.example/fsp/quotes/q1/error');
    assert.equal(at('POST', '/transfers'), 'https://dfsp.example/fsp/transfers');
    assert.equal(at('PUT', '/transfers/t1'), 'https://dfsp.example/fsp/transfers/t1');
    assert.equal(at('PUT', '/transfers/t1/error'), 'https://dfsp.example/fsp/transfers/t1/error');
  });

  it('prefers the embedded onboarding\'s base URL, and has nowhere to deliver what the DFSP registered no endpoint for', () => {
    assert.equal(callbackUrl((type) => (type === CALLBACK_BASE_URL ? 'http://127.0.0.1:4100' : provisioned.get(type)), 'PUT', '/transfers/t1'), 'http://127.0.0.1:4100/transfers/t1');
    assert.equal(callbackUrl((type) => (type === 'FSPIOP_CALLBACK_URL_QUOTES' ? 'http://q' : undefined), 'PUT', '/transfers/t1'), undefined);
    assert.equal(callbackUrl(() => undefined, 'GET', '/parties/MSISDN/1'), undefined);
  });
});
