import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { validateConfig } from '../../src/config/load-config.ts';
import { ReferenceDeployment } from '../../src/environment/embedded/reference-deployment.ts';
import { CallbackServer } from '../../src/fspiop/callback-server.ts';
import { accept, contentType } from '../../src/fspiop/headers.ts';
import { PayerDfsp } from '../../src/fspiop/payer-dfsp.ts';

/** The reference hub told to answer as current Mojaloop does: its own callbacks in 2.0, a DFSP's relayed in the DFSP's version. */
describe('ReferenceHub answering in FSPIOP 2.0', () => {
  const config = validateConfig({ timeouts: { callbackMs: 2000 }, embedded: { fspiopVersion: '2.0' } });
  const deployment = new ReferenceDeployment(config);
  const callbacks = new CallbackServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 65536, addressing: { dfsps: ['payerfsp'], senders: ['Hub', 'payeefsp'] } });
  let hubUrl: string;
  const payer = (send: '1.1' | '2.0') => new PayerDfsp({ hubUrl, fspId: 'payerfsp', callbacks, callbackTimeoutMs: 2000, requestTimeoutMs: 2000, versions: { send, accept: ['1', '2'] } });

  before(async () => {
    ({ hubUrl } = await deployment.start());
    await callbacks.start();
    await deployment.connectPayer('payerfsp', callbacks.url);
  });
  after(async () => {
    await callbacks.stop();
    await deployment.stop();
  });

  it('writes its own error callbacks in 2.0, whatever version the request came in', async () => {
    const exchange = await payer('1.1').lookupParty(config.parties.unknown);
    assert.equal(exchange.callback?.kind, 'error');
    assert.equal(exchange.callback?.headers['content-type'], contentType('parties', '2.0'));
    assert.equal(exchange.callback?.headers['fspiop-source'], 'Hub');
  });

  it('relays the payee\'s answer in the version the payee wrote it: the version of the request it answers', async () => {
    for (const version of ['1.1', '2.0'] as const) {
      const exchange = await payer(version).lookupParty(config.participants.payee.party);
      assert.equal(exchange.callback?.kind, 'success', version);
      assert.equal(exchange.callback?.headers['content-type'], contentType('parties', version));
    }
  });

  it('refuses an Accept that names no version it supports with 3001, and an Accept that is no FSPIOP media type list with 3101', async () => {
    const headers = (acceptHeader: string) => ({ accept: acceptHeader, 'content-type': contentType('parties'), date: new Date().toUTCString(), 'fspiop-source': 'payerfsp' });
    const refusal = async (acceptHeader: string) => {
      const response = await fetch(`${hubUrl}/parties/MSISDN/1`, { headers: headers(acceptHeader) });
      return { status: response.status, code: ((await response.json()) as { errorInformation: { errorCode: string } }).errorInformation.errorCode };
    };
    assert.deepEqual(await refusal(accept('parties', ['3'])), { status: 400, code: '3001' });
    assert.deepEqual(await refusal('application/vnd.interoperability.parties+xml;version=3.0'), { status: 400, code: '3101' });
    const accepted = await fetch(`${hubUrl}/parties/MSISDN/1`, { headers: headers(accept('parties', ['3', '2'])) });
    assert.equal(accepted.status, 202, 'one supported version among others is enough');
  });

  it('refuses a Content-Type in a version it has no definition of with 3001', async () => {
    const response = await fetch(`${hubUrl}/parties/MSISDN/1`, {
      headers: { accept: accept('parties'), 'content-type': contentType('parties', '3.0'), date: new Date().toUTCString(), 'fspiop-source': 'payerfsp' },
    });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { errorInformation: { errorCode: string } }).errorInformation.errorCode, '3001');
  });
});
