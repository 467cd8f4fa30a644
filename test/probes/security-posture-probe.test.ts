import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateConfig } from '../../src/config/load-config.ts';
import type { Exchange, PayerDfsp } from '../../src/fspiop/payer-dfsp.ts';
import { SecurityPostureProbe } from '../../src/probes/security-posture-probe.ts';

const config = validateConfig({});
const base: Exchange = { operation: 'lookup', method: 'GET', url: 'https://hub.example/parties/MSISDN/1', path: '/parties/MSISDN/1', requestHeaders: {}, correlationKey: 'k', startedAt: '', ack: { status: 202, body: '', ms: 1 }, timedOut: false };

const probeAnswering = (exchange: Partial<Exchange>, hubUrl = 'https://hub.example') =>
  new SecurityPostureProbe(fakePayer({ hubUrl, lookupParty: async () => ({ ...base, ...exchange }) }), config);

/** A payer whose variants without credentials or signature are itself: the answer is the test's. */
function fakePayer(payer: { hubUrl: string; lookupParty: () => Promise<Exchange> }): PayerDfsp {
  return { ...payer, withoutCredentials: () => payer, withoutSignature: () => payer } as unknown as PayerDfsp;
}

const refused = async (without: 'credentials' | 'signature', exchange: Partial<Exchange>, hubUrl?: string) => {
  const probe = probeAnswering(exchange, hubUrl);
  await probe.sendWithout(without);
  return probe.refused();
};

const measured = (result: ReturnType<SecurityPostureProbe['refused']>) => {
  assert.ok(Array.isArray(result), `expected a measurement, got ${JSON.stringify(result)}`);
  return result[0]!;
};

// Mutual TLS is probed over a real TLS connection: see mutual-tls.test.ts.
describe('SecurityPostureProbe.refused (signatures)', () => {
  it('does not take an unreachable hub for a refusal', async () => {
    const m = measured(await refused('signature', { ack: { error: 'connection refused by hub.example — is the hub running there?', ms: 1 } }, 'http://hub.example'));
    assert.equal(m.ok, false);
  });

  it('takes only error 3105 (Invalid signature) as refusing an unsigned request', async () => {
    const callback = (code: string) => ({ key: 'k', kind: 'error' as const, path: '/', headers: {}, receivedAt: 0, body: { errorInformation: { errorCode: code, errorDescription: 'x' } } });
    assert.equal(measured(await refused('signature', { callback: callback('3105') })).ok, true);
    assert.equal(measured(await refused('signature', { callback: callback('3204') })).ok, false);
    assert.equal(measured(await refused('signature', { ack: { status: 400, body: JSON.stringify({ errorInformation: { errorCode: '3105', errorDescription: 'Invalid signature' } }), ms: 1 } })).ok, true);
    assert.equal(measured(await refused('signature', { ack: { status: 400, body: '{}', ms: 1 } })).ok, false);
  });

  it('does not evaluate signatures when the hub refuses us before any signature check', async () => {
    const result = await refused('signature', { ack: { status: 401, body: '', ms: 1 } });
    assert.ok(!Array.isArray(result) && /before any signature check/.test(result.notEvaluated));
  });

  it('fails an accepted request for a tier that must refuse it, and passes it for a zero-security tier', async () => {
    const probe = probeAnswering({ callback: { key: 'k', kind: 'success', path: '/', headers: {}, receivedAt: 0, body: {} } });
    await probe.sendWithout('signature');
    assert.equal(measured(probe.refused()).ok, false);
    assert.equal(probe.accepted()[0]!.ok, true);
  });
});
