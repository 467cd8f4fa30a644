import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureText } from '../../src/load/load-contract.ts';
import { firstFailed, lookupChecks, quoteChecks, transferChecks } from '../../src/load/p2p-rules.ts';

const words = (checks: Parameters<typeof firstFailed>[0]) => {
  const failed = firstFailed(checks);
  return failed && failureText(failed.reason, failed.detail);
};

describe('the P2P rules every runner applies', () => {
  const payee = { type: 'MSISDN', id: '27713803912' };

  it('a lookup must name the party asked for, held by the payee DFSP', () => {
    assert.equal(words(lookupChecks({ partyIdType: 'MSISDN', partyIdentifier: '27713803912', fspId: 'payeefsp' }, payee, 'payeefsp')), undefined);
    assert.equal(words(lookupChecks({ partyIdType: 'MSISDN', partyIdentifier: '1', fspId: 'payeefsp' }, payee, 'payeefsp')), 'invalid callback body: lookup named another party');
    assert.equal(words(lookupChecks({ partyIdType: 'MSISDN', partyIdentifier: '27713803912', fspId: 'otherfsp' }, payee, 'payeefsp')), 'invalid callback body: party held by otherfsp, not payeefsp');
  });

  it('a quote must send exactly the amount asked ("10.0" is "10"), with a packet, a 32-byte condition and a future expiry', () => {
    const now = Date.parse('2026-12-05T00:00:00Z');
    const terms = { transferAmount: { amount: '10.0', currency: 'USD' }, ilpPacket: 'AYIB', condition: 'a'.repeat(43), expiration: '2026-12-05T00:01:00Z' };
    assert.equal(words(quoteChecks(terms, { amount: '10', currency: 'USD' }, now)), undefined);
    assert.equal(words(quoteChecks({ ...terms, transferAmount: { amount: '10.5', currency: 'USD' } }, { amount: '10', currency: 'USD' }, now)), 'invalid callback body: quoted another amount');
    assert.equal(words(quoteChecks({ ...terms, condition: 'short' }, { amount: '10', currency: 'USD' }, now)), 'invalid callback body: condition is not 32 bytes base64url');
    assert.equal(words(quoteChecks({ ...terms, expiration: '2026-12-04T23:59:59Z' }, { amount: '10', currency: 'USD' }, now)), 'invalid callback body: quote already expired');
  });

  it('a transfer must be COMMITTED with a fulfilment of the condition; one that is not COMMITTED fails for its state', () => {
    const fulfils = (fulfilment: string, condition: string) => fulfilment === `pre-${condition}`;
    assert.equal(words(transferChecks({ transferState: 'COMMITTED', fulfilment: 'pre-c' }, 'c', fulfils)), undefined);
    assert.equal(words(transferChecks({ transferState: 'COMMITTED', fulfilment: 'other' }, 'c', fulfils)), 'fulfilment does not match the condition');
    assert.equal(words(transferChecks({ transferState: 'ABORTED' }, 'c', fulfils)), 'state ABORTED');
    assert.equal(words(transferChecks(undefined, 'c', fulfils)), 'state missing');
  });
});
