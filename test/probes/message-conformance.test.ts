import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentType, fspiopHeaders } from '../../src/fspiop/headers.ts';
import type { Exchange } from '../../src/fspiop/payer-dfsp.ts';
import { loadFspiopSpecification } from '../../src/fspiop/spec-validation.ts';
import { MessageConformance } from '../../src/probes/message-conformance.ts';

/** A GET /transfers/{id} sent by `asker`, answered with a 3000 error callback addressed to `destination`. */
function refusedQuery(asker: string, destination: string): Exchange {
  return {
    operation: 'transfer-query', method: 'GET', url: 'http://hub.example/transfers/t1', path: '/transfers/t1',
    requestHeaders: fspiopHeaders({ resource: 'transfers', source: asker }), correlationKey: 'transfers:t1', startedAt: new Date().toISOString(),
    ack: { status: 202, body: '', ms: 1 }, timedOut: false,
    callback: {
      key: 'transfers:t1', kind: 'error', path: '/transfers/t1/error', receivedAt: 0,
      headers: { 'content-type': contentType('transfers'), date: new Date().toUTCString(), 'fspiop-source': 'switch', 'fspiop-destination': destination },
      body: { errorInformation: { errorCode: '3000', errorDescription: 'Generic client error' } },
    },
  };
}

describe('MessageConformance: whom a callback must be addressed to', () => {
  it('expects the DFSP that sent the request, our bystander as well as our payer', async () => {
    const conformance = new MessageConformance(await loadFspiopSpecification(), { senders: ['switch', 'payeefsp'] });
    const headers = conformance.callback(refusedQuery('bystanderfsp', 'bystanderfsp'), 'query').find((m) => m.name === 'query callback headers')!;
    assert.equal(headers.ok, true, String(headers.value));
    assert.match(headers.threshold, /to bystanderfsp$/);
  });

  it('fails a callback addressed to another of our DFSPs than the one that asked, naming the header and the DFSP expected', async () => {
    const conformance = new MessageConformance(await loadFspiopSpecification(), { senders: ['switch', 'payeefsp'] });
    const headers = conformance.callback(refusedQuery('bystanderfsp', 'payerfsp'), 'query').find((m) => m.name === 'query callback headers')!;
    assert.equal(headers.ok, false);
    assert.match(String(headers.value), /fspiop-destination "payerfsp" breaks "is bystanderfsp"/);
  });
});
