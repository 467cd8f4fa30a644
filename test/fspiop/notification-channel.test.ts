import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { CallbackServer } from '../../src/fspiop/callback-server.ts';
import { attachNotificationChannel, type IterationReport, type NotificationChannel } from '../../src/fspiop/notification-channel.ts';
import { waitFor } from '../helpers/wait.ts';

const GENUINE = { 'fspiop-source': 'payeefsp', 'fspiop-destination': 'payerfsp' };

/** A channel client that queues what the server sends, to be taken in order. */
class Client {
  readonly socket: WebSocket;
  readonly #inbox: unknown[] = [];
  readonly #takers: Array<(message: unknown) => void> = [];

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.socket.on('message', (data) => {
      const message: unknown = JSON.parse(String(data));
      const taker = this.#takers.shift();
      if (taker) taker(message);
      else this.#inbox.push(message);
    });
  }

  async opened(): Promise<this> {
    await once(this.socket, 'open');
    return this;
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  next(): Promise<unknown> {
    if (this.#inbox.length > 0) return Promise.resolve(this.#inbox.shift());
    return new Promise((resolve) => this.#takers.push(resolve));
  }

  get queued(): number {
    return this.#inbox.length;
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    const closed = once(this.socket, 'close');
    this.socket.close();
    await closed;
  }
}

describe('notification channel (WebSocket relay of accepted callbacks)', () => {
  const server = new CallbackServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 4096, addressing: { dfsps: ['payerfsp'], senders: ['switch', 'payeefsp'] } });
  let channel: NotificationChannel;
  let url: string;
  const clients: Client[] = [];
  const connect = async (address = url) => {
    const client = new Client(address);
    clients.push(client);
    return client.opened();
  };
  const put = (path: string, body: unknown, headers: Record<string, string> = GENUINE) => fetch(`${server.url}${path}`, {
    method: 'PUT', headers: { 'content-type': 'application/vnd.interoperability.transfers+json;version=1.1', ...headers }, body: JSON.stringify(body),
  });
  /** Waits for the server to see a disconnect: no timer decides the outcome, a deadline only ends a hang. */
  const settled = (condition: () => boolean, what: string) => waitFor(condition, { timeoutMs: 5000, what });

  before(async () => {
    channel = attachNotificationChannel(server, { token: 'secret-token' });
    await server.start();
    url = channel.urlFor(server.url);
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await channel.close();
    await server.stop();
  });

  it('names its URL on the callback server: ws scheme, /notifications, the token', () => {
    assert.match(url, /^ws:\/\/127\.0\.0\.1:\d+\/notifications\?token=secret-token$/);
    assert.equal(channel.urlFor('https://payer.example/cb/'), 'wss://payer.example/cb/notifications?token=secret-token');
  });

  it('confirms an expectation, then relays the callback the server accepted, with its addressing', async () => {
    const client = await connect();
    client.send({ expect: 'transfers:t-1', timeoutMs: 60_000 });
    assert.deepEqual(await client.next(), { key: 'transfers:t-1', expecting: true });
    assert.equal(server.correlator.pending, 1);
    const response = await put('/transfers/t-1', { transferState: 'COMMITTED', fulfilment: 'f' });
    assert.equal(response.status, 200);
    assert.deepEqual(await client.next(), {
      key: 'transfers:t-1', kind: 'success', body: { transferState: 'COMMITTED', fulfilment: 'f' }, headers: GENUINE,
    });
    assert.equal(server.correlator.pending, 0);
  });

  it('relays error callbacks and party lookups under the keys the correlator uses', async () => {
    const client = await connect();
    client.send({ expect: 'parties:MSISDN/27713803912', timeoutMs: 60_000 });
    await client.next();
    await put('/parties/MSISDN/27713803912/error', { errorInformation: { errorCode: '3204', errorDescription: 'Party not found' } }, { 'fspiop-source': 'switch', 'fspiop-destination': 'payerfsp' });
    assert.deepEqual(await client.next(), {
      key: 'parties:MSISDN/27713803912', kind: 'error', body: { errorInformation: { errorCode: '3204', errorDescription: 'Party not found' } },
      headers: { 'fspiop-source': 'switch', 'fspiop-destination': 'payerfsp' },
    });
  });

  it('never relays a forged callback: the client gets only the genuine one', async () => {
    const client = await connect();
    const forgedBefore = server.stats.rejected.forged;
    client.send({ expect: 'quotes:q-1', timeoutMs: 60_000 });
    await client.next();
    const forged = await put('/quotes/q-1', { transferAmount: { amount: '1', currency: 'USD' }, forged: true }, { 'fspiop-source': 'evilfsp', 'fspiop-destination': 'payerfsp' });
    assert.equal(forged.status, 400);
    assert.equal(server.stats.rejected.forged, forgedBefore + 1);
    assert.equal(server.correlator.pending, 1, 'still waiting for the genuine callback');
    await put('/quotes/q-1', { transferAmount: { amount: '10', currency: 'USD' } });
    const message = await client.next() as { body: unknown; headers: unknown };
    assert.deepEqual(message.body, { transferAmount: { amount: '10', currency: 'USD' } });
    assert.deepEqual(message.headers, GENUINE);
    assert.equal(client.queued, 0, 'nothing else was relayed');
  });

  it('says timeout when no acceptable callback comes in time', async () => {
    const client = await connect();
    client.send({ expect: 'transfers:never', timeoutMs: 20 });
    assert.deepEqual(await client.next(), { key: 'transfers:never', expecting: true });
    assert.deepEqual(await client.next(), { key: 'transfers:never', timeout: true });
    assert.equal(server.correlator.pending, 0);
  });

  it('cancels on request: no wait, no timeout recorded, a later callback is unknown', async () => {
    const client = await connect();
    client.send({ expect: 'transfers:refused', timeoutMs: 60_000 });
    await client.next();
    client.send({ cancel: 'transfers:refused' });
    await settled(() => server.correlator.pending === 0, 'the correlator to hold no waiting request');
    assert.equal((await put('/transfers/refused', { transferState: 'COMMITTED' })).status, 404, 'unknown id, not a late callback');
  });

  it('cancels every wait of a client that disconnects', async () => {
    const client = await connect();
    client.send({ expect: 'transfers:a', timeoutMs: 60_000 });
    client.send({ expect: 'quotes:b', timeoutMs: 60_000 });
    client.send({ expect: 'parties:MSISDN/1', timeoutMs: 60_000 });
    for (let i = 0; i < 3; i += 1) await client.next();
    assert.equal(server.correlator.pending, 3);
    const connected = channel.clients;
    client.socket.terminate();
    await settled(() => server.correlator.pending === 0, 'the correlator to hold no waiting request');
    await settled(() => channel.clients === connected - 1, 'the channel to see the client disconnect');
    assert.equal((await put('/transfers/a', { transferState: 'COMMITTED' })).status, 404);
  });

  it('answers messages it cannot take with an error, and keeps serving', async () => {
    const client = await connect();
    client.send({ expect: 'settlements:1', timeoutMs: 1000 });
    assert.match((await client.next() as { error: string }).error, /correlation key/);
    client.send({ expect: 'transfers:x', timeoutMs: -1 });
    assert.match((await client.next() as { error: string }).error, /timeoutMs/);
    client.socket.send('not json');
    assert.match((await client.next() as { error: string }).error, /JSON object/);
    client.send({ report: { scenario: 'steady' } });
    assert.match((await client.next() as { error: string }).error, /report needs/);
    client.send({ expect: 'transfers:y', timeoutMs: 60_000 });
    assert.deepEqual(await client.next(), { key: 'transfers:y', expecting: true });
    await client.close();
    await settled(() => server.correlator.pending === 0, 'the correlator to hold no waiting request');
  });

  it('hands iteration reports to its listeners', async () => {
    const reports: IterationReport[] = [];
    const unsubscribe = channel.onReport((report) => reports.push(report));
    const client = await connect();
    const report: IterationReport = { scenario: 'steady', startMs: 1000, endMs: 1450, ok: true, phasesMs: { lookups: 100, quotes: 150, transfers: 200 }, committedTransferId: 't-9' };
    client.send({ report });
    client.send({ expect: 'transfers:z', timeoutMs: 60_000 });
    await client.next();
    assert.deepEqual(reports, [report]);
    unsubscribe();
    await client.close();
  });

  it('refuses upgrades without the token or on another path', async () => {
    for (const [address, status] of [[url.replace('secret-token', 'guess'), 401], [url.replace('/notifications', '/other'), 404]] as const) {
      const socket = new WebSocket(address);
      const [, response] = await once(socket, 'unexpected-response') as [unknown, { statusCode: number }];
      assert.equal(response.statusCode, status);
      socket.on('error', () => undefined);
      socket.terminate();
    }
  });
});

describe('notification channel shutdown', () => {
  it('disconnects its clients on close(), so the callback server stops', async () => {
    const server = new CallbackServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 4096, addressing: { dfsps: ['payerfsp'], senders: ['switch'] } });
    const channel = attachNotificationChannel(server);
    await server.start();
    assert.match(channel.token, /^[A-Za-z0-9_-]{24}$/, 'a random token by default');
    const client = await new Client(channel.urlFor(server.url)).opened();
    client.send({ expect: 'transfers:open', timeoutMs: 60_000 });
    await client.next();
    const closed = once(client.socket, 'close');
    await channel.close();
    await closed;
    assert.equal(server.correlator.pending, 0);
    await server.stop();
  });
});
