import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CallbackServer } from '../../src/fspiop/callback-server.ts';

const FSPIOP_JSON = 'application/vnd.interoperability.transfers+json;version=1.1';

describe('CallbackServer', () => {
  const server = new CallbackServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 1024, addressing: { dfsps: ['payerfsp'], senders: ['switch', 'payeefsp'] } });
  before(() => server.start());
  after(() => server.stop());

  const genuine = { 'fspiop-source': 'payeefsp', 'fspiop-destination': 'payerfsp' };
  const put = (path: string, body: string, contentType = FSPIOP_JSON, addressing: Record<string, string> = genuine) =>
    fetch(`${server.url}${path}`, { method: 'PUT', headers: { 'content-type': contentType, ...addressing }, body });

  it('hands a callback to the request waiting for its id', async () => {
    const waiting = server.correlator.expect('transfers:abc', 1000);
    const response = await put('/transfers/abc', JSON.stringify({ transferState: 'COMMITTED' }));
    assert.equal(response.status, 200);
    const callback = await waiting.callback;
    assert.equal(callback.kind, 'success');
    assert.deepEqual(callback.body, { transferState: 'COMMITTED' });
  });

  it('routes /error callbacks as errors', async () => {
    const waiting = server.correlator.expect('quotes:q1', 1000);
    await put('/quotes/q1/error', JSON.stringify({ errorInformation: { errorCode: '3204', errorDescription: 'Party not found' } }));
    assert.equal((await waiting.callback).kind, 'error');
  });

  it('rejects and counts malformed JSON, unknown ids, oversized bodies, wrong media types and unknown paths — and keeps serving', async () => {
    const before = structuredClone(server.stats.rejected);
    const malformed = await put('/transfers/x1', '{"transferState": COMMITTED');
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as { errorInformation: { errorCode: string } }).errorInformation.errorCode, '3101');

    const unknown = await put('/transfers/nobody-waits', JSON.stringify({ transferState: 'COMMITTED' }));
    assert.equal(unknown.status, 404);

    const oversized = await put('/transfers/x2', JSON.stringify({ padding: 'x'.repeat(5000) }));
    assert.equal(oversized.status, 413);

    const wrongType = await put('/transfers/x3', '{}', 'text/plain');
    assert.equal(wrongType.status, 415);

    const unknownPath = await put('/settlements/1', '{}');
    assert.equal(unknownPath.status, 404);
    const badEscape = await put('/parties/MSISDN/%E0%A4%A', '{}');
    assert.equal(badEscape.status, 404);

    assert.deepEqual(
      Object.fromEntries(Object.entries(server.stats.rejected).map(([k, v]) => [k, v - before[k as keyof typeof before]])),
      { 'malformed-json': 1, oversized: 1, 'unsupported-media-type': 1, 'unknown-path': 2, 'unknown-id': 1, forged: 0 },
    );

    const waiting = server.correlator.expect('transfers:still-alive', 1000);
    await put('/transfers/still-alive', JSON.stringify({ transferState: 'ABORTED' }));
    assert.equal((await waiting.callback).kind, 'success');
  });

  it('rejects and counts forged callbacks, which never answer the request waiting for that path', async () => {
    const before = server.stats.rejected.forged;
    const lookup = server.correlator.expect('parties:MSISDN/27713803912', 5000);
    const partyNotFound = JSON.stringify({ errorInformation: { errorCode: '3204', errorDescription: 'Party not found' } });
    const forgeries: Array<Record<string, string>> = [
      { 'fspiop-source': 'evilfsp', 'fspiop-destination': 'payerfsp' },
      { 'fspiop-source': 'switch', 'fspiop-destination': 'otherfsp' },
      { 'fspiop-source': 'switch' },
      {},
    ];
    for (const headers of forgeries) {
      const response = await put('/parties/MSISDN/27713803912/error', partyNotFound, FSPIOP_JSON, headers);
      assert.equal(response.status, 400, JSON.stringify(headers));
      assert.match(((await response.json()) as { errorInformation: { errorDescription: string } }).errorInformation.errorDescription, /FSPIOP-(Source|Destination)/);
    }
    assert.equal(server.stats.rejected.forged, before + forgeries.length);
    assert.equal(server.correlator.pending, 1, 'the lookup still waits for its genuine callback');
    const party = { party: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '27713803912', fspId: 'payeefsp' } } };
    assert.equal((await put('/parties/MSISDN/27713803912', JSON.stringify(party))).status, 200);
    const answered = await lookup.callback;
    assert.equal(answered.kind, 'success');
    assert.equal(answered.headers['fspiop-source'], 'payeefsp');
  });

  it('rejects a body that grows past the limit without a Content-Length', async () => {
    const before = server.stats.rejected.oversized;
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`{"a":"${'y'.repeat(4096)}"}`));
        controller.close();
      },
    });
    const response = await fetch(`${server.url}/transfers/chunked`, {
      method: 'PUT', headers: { 'content-type': FSPIOP_JSON }, body: stream, duplex: 'half',
    } as RequestInit);
    assert.equal(response.status, 413);
    assert.equal(server.stats.rejected.oversized, before + 1);
  });
});

describe('CallbackServer shared by our payer and our bystander DFSP', () => {
  const server = new CallbackServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 1024, addressing: { dfsps: ['payerfsp', 'bystanderfsp'], senders: ['switch', 'payeefsp'] } });
  before(() => server.start());
  after(() => server.stop());

  const put = (path: string, body: unknown, destination: string) => fetch(`${server.url}${path}`, {
    method: 'PUT', headers: { 'content-type': FSPIOP_JSON, 'fspiop-source': 'switch', 'fspiop-destination': destination }, body: JSON.stringify(body),
  });

  it('accepts a callback addressed to either, and hands it to the request of the DFSP it is addressed to', async () => {
    const payer = server.correlator.expect('transfers:t1', 5000, [], 'payerfsp');
    const bystander = server.correlator.expect('transfers:t1', 5000, [], 'bystanderfsp');
    const refusal = { errorInformation: { errorCode: '3000', errorDescription: 'Generic client error' } };
    assert.equal((await put('/transfers/t1/error', refusal, 'bystanderfsp')).status, 200);
    const answered = await bystander.callback;
    assert.equal(answered.kind, 'error');
    assert.equal(answered.headers['fspiop-destination'], 'bystanderfsp');
    assert.equal(server.correlator.pending, 1, 'the payer still waits for its own answer');
    assert.equal((await put('/transfers/t1', { transferState: 'COMMITTED' }, 'payerfsp')).status, 200);
    assert.equal((await payer.callback).kind, 'success');
  });

  it('still rejects as forged a callback addressed to a DFSP that is not ours, naming the DFSPs it answers for', async () => {
    const before = server.stats.rejected.forged;
    const waiting = server.correlator.expect('transfers:t2', 5000);
    const response = await put('/transfers/t2', { transferState: 'COMMITTED' }, 'otherfsp');
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { errorInformation: { errorDescription: string } }).errorInformation.errorDescription,
      /FSPIOP-Destination "otherfsp" is none of the DFSPs this server answers for \("payerfsp", "bystanderfsp"\)/);
    assert.equal(server.stats.rejected.forged, before + 1);
    assert.equal(server.correlator.pending, 1);
    waiting.cancel();
  });
});
