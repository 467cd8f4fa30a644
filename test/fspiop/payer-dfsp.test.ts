import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { CallbackServer } from '../../src/fspiop/callback-server.ts';
import { closeServer, listen } from '../helpers/servers.ts';
import { PayerDfsp } from '../../src/fspiop/payer-dfsp.ts';

describe('PayerDfsp', () => {
  const callbacks = new CallbackServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 4096, addressing: { dfsps: ['payerfsp'], senders: ['switch', 'payeefsp'] } });
  // A hub that acknowledges only once the payer's callback timeout has fired (or after 5 s, so a
  // regression fails the test instead of polling forever), and never calls back.
  const slowHub = createServer((request, response) => {
    request.resume();
    const giveUpAt = Date.now() + 5000;
    const answerWhenTimedOut = () => (callbacks.correlator.pending === 0 || Date.now() > giveUpAt ? response.writeHead(202).end() : setTimeout(answerWhenTimedOut, 5));
    answerWhenTimedOut();
  });
  let hubUrl: string;
  before(async () => {
    await callbacks.start();
    hubUrl = await listen(slowHub, 0, '127.0.0.1');
  });
  after(async () => {
    await callbacks.stop();
    await closeServer(slowHub);
  });

  it('reports a callback timeout that fires before the 202 arrives, without an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const payer = new PayerDfsp({ hubUrl, fspId: 'payerfsp', callbacks, callbackTimeoutMs: 100, requestTimeoutMs: 2000 });
      const exchange = await payer.lookupParty({ type: 'MSISDN', id: '1' });
      assert.equal(exchange.timedOut, true);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('names an unreachable hub in the exchange instead of throwing', async () => {
    const closed = createServer();
    const url = await listen(closed, 0, '127.0.0.1');
    await closeServer(closed);
    const payer = new PayerDfsp({ hubUrl: url, fspId: 'payerfsp', callbacks, callbackTimeoutMs: 500, requestTimeoutMs: 500 });
    const exchange = await payer.requestQuote({ payer: { type: 'MSISDN', id: '1' }, payee: { type: 'MSISDN', id: '2' }, payeeFsp: 'payeefsp', amount: { amount: '1', currency: 'USD' } });
    assert.ok('error' in exchange.ack);
    assert.match(exchange.ack.error, /connection refused by 127\.0\.0\.1:\d+ — is the hub running there\?/);
  });

  it('names a hub whose acknowledgement never ends as the symptom, having kept no more than the cap', async () => {
    const endless = createServer((request, response) => {
      request.resume();
      response.writeHead(202);
      const chunk = Buffer.alloc(16_384, ' ');
      const more = () => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once('drain', more);
      };
      more();
    });
    const url = await listen(endless, 0, '127.0.0.1');
    try {
      const payer = new PayerDfsp({ hubUrl: url, fspId: 'payerfsp', callbacks, callbackTimeoutMs: 5000, requestTimeoutMs: 5000 });
      const exchange = await payer.lookupParty({ type: 'MSISDN', id: '1' });
      assert.ok('error' in exchange.ack, JSON.stringify(exchange.ack));
      assert.match(exchange.ack.error, /^the hub's response to GET \/parties\/MSISDN\/1 from 127\.0\.0\.1:\d+ exceeded 65536 bytes; the request was aborted/);
    } finally {
      await closeServer(endless);
    }
  });

  it('waits on past a transfer state that is still in flight (RESERVED, the answer to a duplicate) for the final one', async () => {
    // A hub that answers the prepare with RESERVED first, then COMMITTED, each once the previous was taken.
    const hub = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => { text += chunk.toString(); });
      request.on('end', async () => {
        response.writeHead(202).end();
        const { transferId } = JSON.parse(text) as { transferId: string };
        for (const transferState of ['RESERVED', 'COMMITTED']) {
          await fetch(`${callbacks.url}/transfers/${transferId}`, {
            method: 'PUT', body: JSON.stringify({ transferState }),
            headers: { 'content-type': 'application/vnd.interoperability.transfers+json;version=1.1', date: new Date().toUTCString(), 'fspiop-source': 'switch', 'fspiop-destination': 'payerfsp' },
          });
        }
      });
    });
    const url = await listen(hub, 0, '127.0.0.1');
    try {
      const payer = new PayerDfsp({ hubUrl: url, fspId: 'payerfsp', callbacks, callbackTimeoutMs: 10_000, requestTimeoutMs: 5000 });
      const exchange = await payer.prepareTransfer({
        payeeFsp: 'payeefsp', amount: { amount: '1', currency: 'USD' },
        terms: { ilpPacket: 'AYIB', condition: 'GRzLaTP7DJ9t4P-a_BA0WA9wzzlsugf00-Tn6kESAfM', expiration: new Date(Date.now() + 60_000).toISOString() },
      });
      assert.deepEqual(exchange.callback?.body, { transferState: 'COMMITTED' });
      assert.equal(exchange.timedOut, false);
    } finally {
      await closeServer(hub);
    }
  });
});
