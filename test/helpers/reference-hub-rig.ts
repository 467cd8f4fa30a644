import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CallbackServer } from '../../src/fspiop/callback-server.ts';
import { HubAdminClient } from '../../src/fspiop/hub-admin-client.ts';
import { HubAdminApi } from '../../src/hub/admin-api.ts';
import { HubLedger } from '../../src/hub/ledger.ts';
import { ReferenceHub } from '../../src/hub/reference-hub.ts';
import { closeServer, listen } from './servers.ts';

/** What reached the admin API through the recording proxy. */
export interface AdminRequest {
  method: string;
  path: string;
}

/**
 * A reference hub (FSPIOP + admin API) with a recording proxy in front of its admin API, the
 * payer's callback server (it receives the oracle's answers) and a payee callback sink: what a
 * provisioner meets on a real deployment, on loopback.
 */
export class ReferenceHubRig {
  readonly ledger = new HubLedger();
  readonly hub = new ReferenceHub({ ledger: this.ledger, deliveryTimeoutMs: 5000 });
  readonly adminApi = new HubAdminApi(this.ledger);
  readonly requests: AdminRequest[] = [];
  readonly payerCallbacks = new CallbackServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 65536, addressing: { dfsps: ['payerfsp'], senders: ['Hub', 'switch'] } });
  /** Held requests: a path matching this is never answered (a hub that hangs, as central-ledger without Kafka). */
  hang: RegExp | undefined;
  /** Endpoint types answered as a central-ledger that lacks them answers (500, 2001). */
  readonly refusedEndpointTypes = new Set<string>();
  hubUrl = '';
  adminUrl = '';
  payeeCallbackUrl = '';
  readonly #proxy: Server = createServer((request, response) => void this.#forward(request, response));
  readonly #payeeSink: Server = createServer((request, response) => {
    request.resume();
    response.writeHead(200).end();
  });
  #adminTarget = '';

  async start(): Promise<this> {
    this.hubUrl = await this.hub.start();
    this.#adminTarget = await this.adminApi.start(0, '127.0.0.1');
    this.adminUrl = await listen(this.#proxy);
    this.payeeCallbackUrl = await listen(this.#payeeSink);
    await this.payerCallbacks.start();
    return this;
  }

  client(timeoutMs = 5000): HubAdminClient {
    return new HubAdminClient(this.adminUrl, timeoutMs);
  }

  writes(): AdminRequest[] {
    return this.requests.filter((request) => request.method !== 'GET');
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.hub.stop(), this.adminApi.stop(), closeServer(this.#proxy), closeServer(this.#payeeSink), this.payerCallbacks.stop()]);
    this.ledger.close();
  }

  async #forward(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    this.requests.push({ method: request.method ?? 'GET', path: request.url ?? '/' });
    if (this.hang?.test(request.url ?? '')) return;
    const type = /\/endpoints$/.test(request.url ?? '') && chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as { type?: string }).type : undefined;
    if (type && this.refusedEndpointTypes.has(type)) {
      response.writeHead(500, { 'content-type': 'application/json' })
        .end(JSON.stringify({ errorInformation: { errorCode: '2001', errorDescription: 'Internal server error - Cannot read properties of undefined (reading \'endpointTypeId\')' } }));
      return;
    }
    const answer = await fetch(`${this.#adminTarget}${request.url}`, {
      method: request.method, ...(chunks.length ? { body: Buffer.concat(chunks), headers: { 'content-type': 'application/json' } } : {}),
    });
    response.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
  }
}
