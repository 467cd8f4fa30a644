import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { validateConfig } from '../../src/config/load-config.ts';
import { ReferenceDeployment } from '../../src/environment/embedded/reference-deployment.ts';
import { CallbackServer } from '../../src/fspiop/callback-server.ts';
import { contentType } from '../../src/fspiop/headers.ts';
import { closeServer, listen } from '../helpers/servers.ts';
import { PayerDfsp } from '../../src/fspiop/payer-dfsp.ts';
import { HubLedger } from '../../src/hub/ledger.ts';
import { CALLBACK_BASE_URL, ReferenceHub } from '../../src/hub/reference-hub.ts';
import { quoteRequest } from '../../src/fspiop/messages.ts';
import { fundLiquidity } from '../helpers/liquidity.ts';
import { ManualClock } from '../helpers/manual-clock.ts';
import { waitFor } from '../helpers/wait.ts';

const config = validateConfig({ timeouts: { callbackMs: 2000 } });

describe('ReferenceHub with the simulated payee DFSP', () => {
  const deployment = new ReferenceDeployment(config);
  const callbacks = new CallbackServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 65536, addressing: { dfsps: ['payerfsp'], senders: ['Hub', 'payeefsp'] } });
  let payer: PayerDfsp;
  let hubUrl: string;

  before(async () => {
    ({ hubUrl } = await deployment.start());
    await callbacks.start();
    await deployment.connectPayer('payerfsp', callbacks.url);
    payer = new PayerDfsp({ hubUrl, fspId: 'payerfsp', callbacks, callbackTimeoutMs: 2000, requestTimeoutMs: 2000 });
  });
  after(async () => {
    await callbacks.stop();
    await deployment.stop();
  });

  const quoteTerms = async (party = config.participants.payee.party, amount = '10') => {
    const quote = await payer.requestQuote({ payer: config.participants.payer.party, payee: party, payeeFsp: 'payeefsp', amount: { amount, currency: 'USD' } });
    assert.equal(quote.callback?.kind, 'success', JSON.stringify(quote.callback?.body));
    return quote.callback!.body as { ilpPacket: string; condition: string; expiration: string; transferAmount: { amount: string; currency: string } };
  };

  it('relays the payee DFSP\'s party to the payer', async () => {
    const exchange = await payer.lookupParty(config.participants.payee.party);
    assert.equal(exchange.ack && 'status' in exchange.ack ? exchange.ack.status : 0, 202);
    assert.deepEqual((exchange.callback?.body as { party: { partyIdInfo: unknown } }).party.partyIdInfo,
      { partyIdType: 'MSISDN', partyIdentifier: '27713803912', fspId: 'payeefsp' });
    assert.ok(exchange.endToEndMs! > 0);
  });

  it('answers a request without FSPIOP-Source with 400 and error 3102, synchronously', async () => {
    const response = await fetch(`${hubUrl}/parties/MSISDN/1`, {
      headers: { accept: contentType('parties'), 'content-type': contentType('parties'), date: new Date().toUTCString() },
    });
    assert.equal(response.status, 400);
    const body = await response.json() as { errorInformation: { errorCode: string; errorDescription: string } };
    assert.equal(body.errorInformation.errorCode, '3102');
    assert.match(body.errorInformation.errorDescription, /fspiop-source/);
  });

  it('refuses a Content-Type of another resource or version', async () => {
    const response = await fetch(`${hubUrl}/quotes`, {
      method: 'POST',
      headers: { accept: contentType('quotes'), 'content-type': 'application/json', date: new Date().toUTCString(), 'fspiop-source': 'payerfsp' },
      body: '{}',
    });
    assert.equal(response.status, 400);
    assert.equal((await response.json() as { errorInformation: { errorCode: string } }).errorInformation.errorCode, '3101');
  });

  it('rejects a quote body that breaks the schema with 3100 naming the field', async () => {
    const response = await fetch(`${hubUrl}/quotes`, {
      method: 'POST',
      headers: { accept: contentType('quotes'), 'content-type': contentType('quotes'), date: new Date().toUTCString(), 'fspiop-source': 'payerfsp', 'fspiop-destination': 'payeefsp' },
      body: JSON.stringify({ quoteId: 'not-a-uuid' }),
    });
    assert.equal(response.status, 400);
    const { errorInformation } = await response.json() as { errorInformation: { errorCode: string; errorDescription: string } };
    assert.equal(errorInformation.errorCode, '3100');
    assert.match(errorInformation.errorDescription, /quoteId/);
  });

  it('commits a transfer whose fulfilment matches, and reports it on GET /transfers/{id}', async () => {
    const terms = await quoteTerms();
    const transfer = await payer.prepareTransfer({ payeeFsp: 'payeefsp', amount: terms.transferAmount, terms });
    assert.equal((transfer.callback?.body as { transferState: string }).transferState, 'COMMITTED');
    const transferId = (transfer.requestBody as { transferId: string }).transferId;
    assert.equal(deployment.hub.ledger.transfer(transferId)?.state, 'COMMITTED');
    const query = await payer.queryTransfer(transferId);
    assert.equal((query.callback?.body as { transferState: string }).transferState, 'COMMITTED');
  });

  it('aborts a transfer whose fulfilment does not match the condition (3100) and tells the payee too', async () => {
    const notificationsBefore = deployment.payee.received.notifications;
    const terms = await quoteTerms(deployment.controlledPayee.invalidFulfilment!);
    const transfer = await payer.prepareTransfer({ payeeFsp: 'payeefsp', amount: terms.transferAmount, terms });
    assert.equal(transfer.callback?.kind, 'error');
    assert.equal((transfer.callback?.body as { errorInformation: { errorCode: string } }).errorInformation.errorCode, '3100');
    assert.equal(deployment.hub.ledger.transfer((transfer.requestBody as { transferId: string }).transferId)?.state, 'ABORTED');
    await waitFor(() => deployment.payee.received.notifications > notificationsBefore, { timeoutMs: 10_000, intervalMs: 10, what: 'the payee to be told of the abort' });
  });

  it('refuses a resent transfer id with different content (3106 Modified request)', async () => {
    const terms = await quoteTerms();
    const first = await payer.prepareTransfer({ payeeFsp: 'payeefsp', amount: terms.transferAmount, terms });
    const body = { ...(first.requestBody as { transferId: string }), amount: { amount: '11', currency: 'USD' } };
    const expected = callbacks.correlator.expect(`transfers:${body.transferId}`, 2000);
    const response = await fetch(`${hubUrl}/transfers`, {
      method: 'POST',
      headers: { accept: contentType('transfers'), 'content-type': contentType('transfers'), date: new Date().toUTCString(), 'fspiop-source': 'payerfsp', 'fspiop-destination': 'payeefsp' },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 202);
    const callback = await expected.callback;
    assert.equal((callback.body as { errorInformation: { errorCode: string } }).errorInformation.errorCode, '3106');
  });

  it('refuses an amount above what its ledger books with 3100, instead of failing silently', async () => {
    const terms = await quoteTerms();
    const exchange = await payer.prepareTransfer({ payeeFsp: 'payeefsp', amount: { amount: '999999999999999999', currency: 'USD' }, terms });
    const error = (exchange.callback?.body as { errorInformation: { errorCode: string; errorDescription: string } }).errorInformation;
    assert.equal(error.errorCode, '3100');
    assert.match(error.errorDescription, /above 100000000000000, the most this hub books/);
  });

  it('refuses an expired transfer (3303) without reserving it', async () => {
    const terms = await quoteTerms();
    const exchange = await payer.prepareTransfer({ payeeFsp: 'payeefsp', amount: terms.transferAmount, terms: { ...terms, expiration: new Date(Date.now() - 1000).toISOString() } });
    assert.equal((exchange.callback?.body as { errorInformation: { errorCode: string } }).errorInformation.errorCode, '3303');
    assert.equal(deployment.hub.ledger.transfer((exchange.requestBody as { transferId: string }).transferId), undefined);
  });

  it('answers a quote for an unknown payee FSP with error 3201, as the quoting service does', async () => {
    const exchange = await payer.requestQuote({ payer: config.participants.payer.party, payee: config.participants.payee.party, payeeFsp: 'nosuchfsp', amount: { amount: '1', currency: 'USD' } });
    assert.equal((exchange.callback?.body as { errorInformation: { errorCode: string } }).errorInformation.errorCode, '3201');
  });

  it('survives a malformed percent escape sent to the hub and to the simulated payee DFSP', async () => {
    const atHub = await fetch(`${hubUrl}/parties/MSISDN/%E0%A4%A`);
    assert.equal(atHub.status, 400);
    const payeeUrl = deployment.hub.ledger.endpoint('payeefsp', CALLBACK_BASE_URL)!;
    const atPayee = await fetch(`${payeeUrl}/parties/MSISDN/%E0%A4%A`);
    assert.equal(atPayee.status, 404);
    const stillServing = await payer.lookupParty(config.participants.payee.party);
    assert.equal(stillServing.callback?.kind, 'success');
  });

  it('answers a query for a transfer it never saw with error 3208', async () => {
    const exchange = await payer.queryTransfer(randomUUID());
    assert.equal((exchange.callback?.body as { errorInformation: { errorCode: string } }).errorInformation.errorCode, '3208');
  });
});

describe('ReferenceHub transfer expiry', () => {
  it('aborts a reserved transfer the payee never fulfils at its expiration, telling the payer 3303', async () => {
    const clock = new ManualClock();
    const hub = new ReferenceHub({ deliveryTimeoutMs: 5000, clock });
    const callbacks = new CallbackServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 65536, addressing: { dfsps: ['payerfsp'], senders: ['Hub', 'payeefsp'] } });
    // A payee that acknowledges every request and never answers.
    const silentPayee = createServer((request, response) => {
      request.resume();
      response.writeHead(202).end();
    });
    try {
      const hubUrl = await hub.start();
      await callbacks.start();
      const payeeUrl = await listen(silentPayee, 0, '127.0.0.1');
      await hub.onboard({ fspId: 'payerfsp', endpoint: callbacks.url, currencies: ['USD'], netDebitCap: '1000' });
      await hub.onboard({ fspId: 'payeefsp', endpoint: payeeUrl, currencies: ['USD'], netDebitCap: '1000' });
      const payer = new PayerDfsp({ hubUrl, fspId: 'payerfsp', callbacks, callbackTimeoutMs: 30_000, requestTimeoutMs: 10_000 });
      const preparing = payer.prepareTransfer({
        payeeFsp: 'payeefsp', amount: { amount: '1', currency: 'USD' },
        terms: { ilpPacket: 'AYIBgQAAAAAAAASwNGxldmVsb25lLmRmc3AxLm1lci45T2RTOF81MDdqUUZERmZlakgyOVc4bXFmNEpLMHlGTFGCAUBQU0svMS4wCk5vbmNlOiB1SXlweUYzY3pYSXBFdzVVc05TYWh3CkVuY3J5cHRpb246IG5vbmUKUGF5bWVudC1JZDogMTMyMzZhM2ItOGZhOC00MTYzLTg0NDctNGMzZWQzZGE5OGE3CgpDb250ZW50LUxlbmd0aDogMTM1CkNvbnRlbnQtVHlwZTogYXBwbGljYXRpb24vanNvbgpTZW5kZXItSWRlbnRpZmllcjogOTI4MDYzOTEKCiJ7XCJmZWVcIjowLFwidHJhbnNmZXJDb2RlXCI6XCJpbnZvaWNlXCIsXCJkZWJpdE5hbWVcIjpcImFsaWNlIGNvb3BlclwiLFwiY3JlZGl0TmFtZVwiOlwibWVyIGNoYW50XCIsXCJkZWJpdElkZW50aWZpZXJcIjpcIjkyODA2MzkxXCJ9IgA', condition: 'GRzLaTP7DJ9t4P-a_BA0WA9wzzlsugf00-Tn6kESAfM', expiration: new Date(clock.now() + 60_000).toISOString() },
      });
      // The hub reserved the transfer and set its expiry timer; nothing happens until the clock passes the expiration.
      await waitFor(() => clock.pendingTimers === 1, { timeoutMs: 10_000, intervalMs: 10, what: 'the hub to set the transfer\'s expiry timer', describe: () => `${clock.pendingTimers} timers pending` });
      clock.advance(59_999);
      assert.equal(clock.pendingTimers, 1, 'not expired a millisecond early');
      clock.advance(1);
      const exchange = await preparing;
      assert.equal(exchange.callback?.kind, 'error', JSON.stringify(exchange.callback?.body));
      assert.equal((exchange.callback?.body as { errorInformation: { errorCode: string } }).errorInformation.errorCode, '3303');
      assert.equal(hub.ledger.transfer((exchange.requestBody as { transferId: string }).transferId)?.state, 'ABORTED');
    } finally {
      await callbacks.stop();
      await hub.stop();
      await closeServer(silentPayee);
    }
  });
});

describe('ReferenceHub deliveries that fail', () => {
  it('are counted per participant with the last reason on /health, never dropped silently', async () => {
    const hub = new ReferenceHub({ deliveryTimeoutMs: 2000 });
    try {
      const hubUrl = await hub.start();
      // The payer's endpoint refuses connections: the hub's error callback cannot be delivered.
      await hub.onboard({ fspId: 'payerfsp', endpoint: 'http://127.0.0.1:9', currencies: ['USD'], netDebitCap: '1000' });
      const response = await fetch(`${hubUrl}/parties/MSISDN/404`, {
        headers: { accept: contentType('parties'), 'content-type': contentType('parties'), date: new Date().toUTCString(), 'fspiop-source': 'payerfsp' },
      });
      assert.equal(response.status, 202);
      type Health = { failedDeliveries: Record<string, { count: number; last: string }> };
      const failed = await waitFor(async () => (await (await fetch(`${hubUrl}/health`)).json() as Health).failedDeliveries.payerfsp,
        { timeoutMs: 10_000, intervalMs: 20, what: 'the failed delivery to payerfsp on /health' });
      assert.equal(failed.count, 1);
      assert.match(failed.last, /ECONNREFUSED/);
    } finally {
      await hub.stop();
    }
  });
});

describe('ReferenceHub restarted on a ledger with reserved transfers', () => {
  it('watches their expiry again: at the expiration both sides are told 3303 and the reservation is released', async () => {
    const clock = new ManualClock();
    const ledger = new HubLedger();
    const callbacks = new CallbackServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 65536, addressing: { dfsps: ['payerfsp'], senders: ['Hub', 'payeefsp'] } });
    const payee = createServer((request, response) => {
      request.resume();
      response.writeHead(200).end();
    });
    const first = new ReferenceHub({ ledger, clock });
    const transferId = randomUUID();
    try {
      await callbacks.start();
      const payeeUrl = await listen(payee, 0, '127.0.0.1');
      await first.onboard({ fspId: 'payerfsp', endpoint: callbacks.url, currencies: ['USD'], netDebitCap: '1000' });
      await first.onboard({ fspId: 'payeefsp', endpoint: payeeUrl, currencies: ['USD'], netDebitCap: '1000' });
      // Reserved by a hub that then died: only the ledger remembers it.
      ledger.prepare({ transferId, payerFsp: 'payerfsp', payeeFsp: 'payeefsp', amount: { amount: '5', currency: 'USD' }, condition: 'GRzLaTP7DJ9t4P-a_BA0WA9wzzlsugf00-Tn6kESAfM', expiration: new Date(clock.now() + 30_000).toISOString() }, 'hash');
      const expired = callbacks.correlator.expect(`transfers:${transferId}`, 30_000);
      await first.start();
      await first.resumeExpiries();
      assert.equal(clock.pendingTimers, 1, 'the reserved transfer is watched again');
      clock.advance(30_000);
      const callback = await expired.callback;
      assert.equal((callback.body as { errorInformation: { errorCode: string } }).errorInformation.errorCode, '3303');
      assert.equal(ledger.transfer(transferId)?.state, 'ABORTED');
      assert.equal(ledger.allAccounts().find((a) => a.participant === 'payerfsp')?.position, '0');
    } finally {
      await callbacks.stop();
      await first.stop();
      await closeServer(payee);
      ledger.close();
    }
  });
});

describe('ReferenceHub quotes resent', () => {
  it('refuses a quote id reused with another body (3106), and routes the same body again', async () => {
    const config = validateConfig({ timeouts: { callbackMs: 3000 } });
    const deployment = new ReferenceDeployment(config);
    const callbacks = new CallbackServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 65536, addressing: { dfsps: ['payerfsp'], senders: ['Hub', 'payeefsp'] } });
    try {
      const { hubUrl } = await deployment.start();
      await callbacks.start();
      await deployment.connectPayer('payerfsp', callbacks.url);
      const send = async (body: Record<string, unknown>) => {
        const expected = callbacks.correlator.expect(`quotes:${body.quoteId as string}`, 3000);
        await fetch(`${hubUrl}/quotes`, {
          method: 'POST', body: JSON.stringify(body),
          headers: { accept: contentType('quotes'), 'content-type': contentType('quotes'), date: new Date().toUTCString(), 'fspiop-source': 'payerfsp', 'fspiop-destination': 'payeefsp' },
        });
        return expected.callback;
      };
      const quote = quoteRequest({ quoteId: randomUUID(), transactionId: randomUUID(), payerFsp: 'payerfsp', payer: config.participants.payer.party, payeeFsp: 'payeefsp', payee: config.participants.payee.party, amount: { amount: '3', currency: 'USD' } });
      assert.equal((await send(quote)).kind, 'success');
      assert.equal((await send(quote)).kind, 'success', 'the same body is answered again');
      const modified = await send({ ...quote, amount: { amount: '4', currency: 'USD' } });
      assert.equal((modified.body as { errorInformation: { errorCode: string } }).errorInformation.errorCode, '3106');
    } finally {
      await callbacks.stop();
      await deployment.stop();
    }
  });
});

describe('ReferenceHub liquidity cover, as central-ledger checks it', () => {
  it('refuses a prepare its liquidity cover does not back with 4001 before looking at the cap (4200), delivered through central-ledger\'s typed endpoint', async () => {
    const hub = new ReferenceHub({ deliveryTimeoutMs: 5000 });
    const callbacks = new CallbackServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 65536, addressing: { dfsps: ['payerfsp'], senders: ['Hub', 'payeefsp'] } });
    try {
      const hubUrl = await hub.start();
      await callbacks.start();
      await hub.onboard({ fspId: 'payerfsp', currencies: ['USD'], netDebitCap: '1000', liquidity: '50' });
      await hub.onboard({ fspId: 'payeefsp', endpoint: 'http://127.0.0.1:9', currencies: ['USD'], netDebitCap: '1000' });
      // No base URL for the payer: its error callbacks can only arrive through the template.
      hub.ledger.setEndpoint('payerfsp', 'FSPIOP_CALLBACK_URL_TRANSFER_ERROR', `${callbacks.url}/transfers/{{transferId}}/error`);
      const payer = new PayerDfsp({ hubUrl, fspId: 'payerfsp', callbacks, callbackTimeoutMs: 10_000, requestTimeoutMs: 10_000 });
      const prepare = async (amount: string) => {
        const exchange = await payer.prepareTransfer({ payeeFsp: 'payeefsp', amount: { amount, currency: 'USD' }, terms: { ilpPacket: ILP_PACKET, condition: 'GRzLaTP7DJ9t4P-a_BA0WA9wzzlsugf00-Tn6kESAfM', expiration: new Date(Date.now() + 60_000).toISOString() } });
        assert.equal(exchange.callback?.kind, 'error', JSON.stringify(exchange.callback?.body));
        return (exchange.callback!.body as { errorInformation: { errorCode: string; errorDescription: string } }).errorInformation;
      };
      const uncovered = await prepare('2000');
      assert.equal(uncovered.errorCode, '4001', 'beyond both the cover (50) and the cap (1000): the cover is checked first');
      assert.match(uncovered.errorDescription, /^Payer FSP insufficient liquidity - position 0 \+ 2000 would exceed the liquidity cover 50 USD$/);
      fundLiquidity(hub.ledger, 'payerfsp', '9950');
      const capped = await prepare('2000');
      assert.equal(capped.errorCode, '4200', 'covered now (10000), but beyond the cap');
      assert.equal(hub.ledger.accountsOf('payerfsp')[0]!.position, '0', 'nothing reserved by either refusal');
    } finally {
      await callbacks.stop();
      await hub.stop();
    }
  });
});

const ILP_PACKET = 'AYIBgQAAAAAAAASwNGxldmVsb25lLmRmc3AxLm1lci45T2RTOF81MDdqUUZERmZlakgyOVc4bXFmNEpLMHlGTFGCAUBQU0svMS4wCk5vbmNlOiB1SXlweUYzY3pYSXBFdzVVc05TYWh3CkVuY3J5cHRpb246IG5vbmUKUGF5bWVudC1JZDogMTMyMzZhM2ItOGZhOC00MTYzLTg0NDctNGMzZWQzZGE5OGE3CgpDb250ZW50LUxlbmd0aDogMTM1CkNvbnRlbnQtVHlwZTogYXBwbGljYXRpb24vanNvbgpTZW5kZXItSWRlbnRpZmllcjogOTI4MDYzOTEKCiJ7XCJmZWVcIjowLFwidHJhbnNmZXJDb2RlXCI6XCJpbnZvaWNlXCIsXCJkZWJpdE5hbWVcIjpcImFsaWNlIGNvb3BlclwiLFwiY3JlZGl0TmFtZVwiOlwibWVyIGNoYW50XCIsXCJkZWJpdElkZW50aWZpZXJcIjpcIjkyODA2MzkxXCJ9IgA';

describe('ReferenceHub asked GET /transfers/{id} by a DFSP that is not a party to the transfer', () => {
  /** A committed transfer of our payer's, then the question of our bystander (onboarded by the fixture, its callbacks at our server). */
  const askAsStranger = async (faults: { answerAnyTransferQuery?: boolean }) => {
    const hubConfig = validateConfig({ timeouts: { callbackMs: 2000 }, embedded: { faults } });
    const deployment = new ReferenceDeployment(hubConfig);
    const callbacks = new CallbackServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 65536, addressing: { dfsps: ['payerfsp', 'bystanderfsp'], senders: ['Hub', 'payeefsp'] } });
    try {
      const { hubUrl } = await deployment.start();
      await callbacks.start();
      await deployment.connectPayer('payerfsp', callbacks.url);
      const dfsp = (fspId: string) => new PayerDfsp({ hubUrl, fspId, callbacks, callbackTimeoutMs: 2000, requestTimeoutMs: 2000 });
      const payer = dfsp('payerfsp');
      const quote = await payer.requestQuote({ payer: hubConfig.participants.payer.party, payee: hubConfig.participants.payee.party, payeeFsp: 'payeefsp', amount: { amount: '3', currency: 'USD' } });
      const terms = quote.callback!.body as { ilpPacket: string; condition: string; expiration: string; transferAmount: { amount: string; currency: string } };
      const transfer = await payer.prepareTransfer({ payeeFsp: 'payeefsp', amount: terms.transferAmount, terms });
      assert.equal((transfer.callback?.body as { transferState?: string }).transferState, 'COMMITTED');
      const transferId = (transfer.requestBody as { transferId: string }).transferId;
      const stranger = await dfsp('bystanderfsp').queryTransfer(transferId);
      const party = await payer.queryTransfer(transferId, [transfer.callback]);
      return { stranger, party };
    } finally {
      await callbacks.stop();
      await deployment.stop();
    }
  };

  it('refuses it with error 3000, as central-ledger does, and still answers the payer', async () => {
    const { stranger, party } = await askAsStranger({});
    assert.equal(stranger.callback?.kind, 'error');
    assert.equal(stranger.callback.headers['fspiop-destination'], 'bystanderfsp');
    const { errorInformation } = stranger.callback.body as { errorInformation: { errorCode: string; errorDescription: string } };
    assert.equal(errorInformation.errorCode, '3000');
    assert.match(errorInformation.errorDescription, /bystanderfsp is neither payer nor payee/);
    assert.equal((party.callback?.body as { transferState?: string }).transferState, 'COMMITTED');
  });

  it('with the fault answerAnyTransferQuery, tells the stranger the transfer\'s state and fulfilment', async () => {
    const { stranger } = await askAsStranger({ answerAnyTransferQuery: true });
    assert.equal(stranger.callback?.kind, 'success');
    const told = stranger.callback.body as { transferState?: string; fulfilment?: string };
    assert.equal(told.transferState, 'COMMITTED');
    assert.ok(told.fulfilment, 'the fulfilment is disclosed');
  });
});
