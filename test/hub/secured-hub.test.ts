import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { validateConfig } from '../../src/config/load-config.ts';
import { hubSourceIds, ReferenceDeployment, type DeploymentUrls } from '../../src/environment/embedded/reference-deployment.ts';
import { OAuth2TokenSource } from '../../src/fspiop/oauth2-token-source.ts';
import { partyPath, quoteRequest, transferPrepare } from '../../src/fspiop/messages.ts';
import { issuedAdminCredentials, issuedDfspCredentials, issueHubSecurity, type HubSecurityMaterial } from '../../src/hub/hub-credentials.ts';
import { SecuredTestDfsp, type ReceivedSecuredCallback } from '../helpers/secured-dfsp.ts';
import { waitFor } from '../helpers/wait.ts';

/** The fully secured embedded hub, seen from outside: what it refuses, and the golden path with every credential presented. */
describe('the fully secured reference hub', () => {
  const config = validateConfig({ timeouts: { callbackMs: 5000 } });
  const { payer, payee, bystander } = config.participants;
  let material: HubSecurityMaterial;
  let deployment: ReferenceDeployment;
  let urls: DeploymentUrls;
  let dfsp: SecuredTestDfsp;

  before(async () => {
    material = await issueHubSecurity([payer.fspId, payee.fspId, bystander.fspId]);
    deployment = new ReferenceDeployment(config, { security: material });
    urls = await deployment.start();
    dfsp = new SecuredTestDfsp(payer.fspId, issuedDfspCredentials(material, payer.fspId, urls.tokenUrl!, hubSourceIds(config)));
    await deployment.connectPayer(payer.fspId, await dfsp.start());
  });
  after(async () => {
    await dfsp?.stop();
    await deployment?.stop();
  });

  const callback = (path: string) => waitFor(() => dfsp.received.find((received) => received.path === path),
    { timeoutMs: 5000, what: `the callback PUT ${path}`, describe: () => dfsp.received.map((received) => received.path).join(', ') });
  const errorCode = (body: string) => (JSON.parse(body) as { errorInformation: { errorCode: string } }).errorInformation.errorCode;

  it('serves every API over https only and says where its token endpoint is', () => {
    assert.match(urls.hubUrl, /^https:\/\//);
    assert.match(urls.adminUrl, /^https:\/\//);
    assert.match(urls.tokenUrl!, /^https:\/\/127\.0\.0\.1:\d+\/oauth2\/token$/);
  });

  it('carries a lookup, a quote and a transfer to COMMITTED with certificates, tokens and signatures, each callback signed by who wrote it', async () => {
    const lookup = await dfsp.send(urls.hubUrl, 'GET', partyPath(payee.party), 'parties', undefined);
    assert.equal(lookup.status, 202, lookup.body);
    const party = await callback(partyPath(payee.party));
    assertSignedBy(party, payee.fspId);

    const quote = quoteRequest({ quoteId: randomUUID(), transactionId: randomUUID(), payerFsp: payer.fspId, payer: payer.party, payeeFsp: payee.fspId, payee: payee.party, amount: { amount: '10', currency: 'USD' } });
    const quoted = await dfsp.send(urls.hubUrl, 'POST', '/quotes', 'quotes', quote, { destination: payee.fspId });
    assert.equal(quoted.status, 202, quoted.body);
    const terms = await callback(`/quotes/${quote.quoteId}`);
    assertSignedBy(terms, payee.fspId);

    const transfer = transferPrepare({ transferId: randomUUID(), payerFsp: payer.fspId, payeeFsp: payee.fspId, amount: quote.amount, terms: terms.body as never });
    const prepared = await dfsp.send(urls.hubUrl, 'POST', '/transfers', 'transfers', transfer, { destination: payee.fspId });
    assert.equal(prepared.status, 202, prepared.body);
    const fulfil = await callback(`/transfers/${transfer.transferId}`);
    assert.equal((fulfil.body as { transferState: string }).transferState, 'COMMITTED');
    // The hub tells the payer of the commit in its own name (it booked it), so with its own signature.
    assertSignedBy(fulfil, fulfil.headers['fspiop-source'] === payee.fspId ? payee.fspId : 'Hub');
  });

  it('signs the callbacks it writes itself with its own key', async () => {
    const unknown = { type: 'MSISDN', id: '27700000404' };
    await dfsp.send(urls.hubUrl, 'GET', partyPath(unknown), 'parties', undefined);
    const error = await callback(`${partyPath(unknown)}/error`);
    assertSignedBy(error, 'Hub');
  });

  it('fails the handshake of a client that presents no certificate', async () => {
    await assert.rejects(dfsp.send(urls.hubUrl, 'GET', partyPath(payee.party), 'parties', undefined, { certificate: false }),
      (error: Error & { code?: string }) => /CERTIFICATE_REQUIRED|ECONNRESET|EPIPE|handshake/i.test(`${error.code} ${error.message}`));
  });

  it('answers 401 to a request without a bearer token, and to a token it did not issue', async () => {
    for (const token of [false, 'Bearer e30.forged'] as const) {
      const answer = await dfsp.send(urls.hubUrl, 'GET', partyPath(payee.party), 'parties', undefined, { token });
      assert.equal(answer.status, 401, String(token));
      assert.equal(errorCode(answer.body), '3000');
    }
  });

  it('answers 403 to a token granted for another scope (the admin API\'s)', async () => {
    const admin = new OAuth2TokenSource(issuedAdminCredentials(material, urls.tokenUrl!).oauth2, { tls: { caPem: material.caPem } });
    const answer = await dfsp.send(urls.hubUrl, 'GET', partyPath(payee.party), 'parties', undefined, { token: `Bearer ${await admin.token()}` });
    assert.equal(answer.status, 403);
  });

  it('refuses an unsigned POST and a POST signed with a key not registered for its FSPIOP-Source with 400 and 3105, as Mojaloop\'s JWS validators do', async () => {
    const quote = () => quoteRequest({ quoteId: randomUUID(), transactionId: randomUUID(), payerFsp: payer.fspId, payer: payer.party, payeeFsp: payee.fspId, payee: payee.party, amount: { amount: '1', currency: 'USD' } });
    for (const signature of [false, 'wrong-key'] as const) {
      const answer = await dfsp.send(urls.hubUrl, 'POST', '/quotes', 'quotes', quote(), { signature, destination: payee.fspId });
      assert.equal(answer.status, 400, String(signature));
      assert.equal(errorCode(answer.body), '3105', answer.body);
    }
  });

  it('refuses anonymous calls to the admin API with 401 and a DFSP\'s token with 403, and answers the operator\'s token', async () => {
    const ca = material.caPem;
    const get = (authorization?: string) => httpsGet(`${urls.adminUrl}/participants`, ca, authorization);
    assert.equal((await get()).status, 401);
    const dfspToken = new OAuth2TokenSource(issuedDfspCredentials(material, payer.fspId, urls.tokenUrl!, []).oauth2!, { tls: { caPem: ca } });
    assert.equal((await get(`Bearer ${await dfspToken.token()}`)).status, 403);
    const operator = new OAuth2TokenSource(issuedAdminCredentials(material, urls.tokenUrl!).oauth2, { tls: { caPem: ca } });
    const answer = await get(`Bearer ${await operator.token()}`);
    assert.equal(answer.status, 200);
    assert.ok((JSON.parse(answer.body) as Array<{ name: string }>).some((participant) => participant.name === payer.fspId));
  });

  it('refuses TLS 1.1 and accepts TLS 1.2 with the same certificate', async () => {
    const { port } = new URL(urls.hubUrl);
    const handshake = (version: 'TLSv1.1' | 'TLSv1.2') => new Promise<string>((resolve) => {
      const socket = tlsConnect({
        host: '127.0.0.1', port: Number(port), minVersion: version, maxVersion: version, ca: material.caPem,
        cert: material.dfsps[payer.fspId]!.tls.certPem, key: material.dfsps[payer.fspId]!.tls.keyPem,
        // OpenSSL's default security level forbids TLS 1.1 on our side: lowered so that the refusal is the hub's.
        ciphers: 'DEFAULT@SECLEVEL=0',
      }, () => {
        resolve(socket.getProtocol() ?? 'connected');
        socket.destroy();
      });
      socket.on('error', (error: Error & { code?: string }) => resolve(`refused: ${error.code ?? error.message}`));
    });
    assert.equal(await handshake('TLSv1.2'), 'TLSv1.2');
    assert.match(await handshake('TLSv1.1'), /^refused: .*(PROTOCOL|VERSION)/i);
  });

  it('serves no plaintext: an HTTP request to its port gets no HTTP answer', async () => {
    const { port } = new URL(urls.hubUrl);
    const answer = await new Promise<string>((resolve) => {
      const socket = netConnect(Number(port), '127.0.0.1', () => socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
      let received = '';
      socket.on('data', (chunk) => { received += chunk.toString('latin1'); });
      socket.on('close', () => resolve(received));
      socket.on('error', () => undefined);
      socket.setTimeout(3000, () => socket.destroy());
    });
    assert.doesNotMatch(answer, /^HTTP\/1\.[01] [1-5]\d\d/);
  });

  it('grants tokens by the client credentials grant only, refusing unknown clients, wrong secrets and scopes the client may not have as RFC 6749 says', async () => {
    const own = material.dfsps[payer.fspId]!;
    const ask = (form: Record<string, string>) => httpsPost(urls.tokenUrl!, material.caPem, new URLSearchParams(form).toString());
    const granted = await ask({ grant_type: 'client_credentials', client_id: own.clientId, client_secret: own.clientSecret, scope: 'fspiop' });
    assert.equal(granted.status, 200);
    assert.equal((JSON.parse(granted.body) as { token_type: string }).token_type, 'Bearer');
    const refusals = [
      [{ grant_type: 'client_credentials', client_id: 'nobody', client_secret: own.clientSecret }, 401, 'invalid_client'],
      [{ grant_type: 'client_credentials', client_id: own.clientId, client_secret: 'wrong' }, 401, 'invalid_client'],
      [{ grant_type: 'client_credentials', client_id: own.clientId, client_secret: own.clientSecret, scope: 'admin' }, 400, 'invalid_scope'],
      [{ grant_type: 'password', client_id: own.clientId, client_secret: own.clientSecret }, 400, 'unsupported_grant_type'],
    ] as const;
    for (const [form, status, error] of refusals) {
      const answer = await ask(form);
      assert.equal(answer.status, status, error);
      assert.equal((JSON.parse(answer.body) as { error: string }).error, error);
      assert.ok(!answer.body.includes(own.clientSecret), 'the secret is never echoed');
    }
  });
});

function assertSignedBy(received: ReceivedSecuredCallback, source: string): void {
  assert.equal(received.headers['fspiop-source'], source);
  assert.equal(received.signatureProblem, undefined, `the signature of ${received.path} holds against ${source}'s key`);
  assert.equal(received.callerCertificate, 'Hub', 'the hub calls back with its own client certificate');
}

async function httpsGet(url: string, caPem: string, authorization?: string): Promise<{ status: number; body: string }> {
  return httpsCall(url, caPem, { method: 'GET', headers: authorization ? { authorization } : {} });
}

async function httpsPost(url: string, caPem: string, form: string): Promise<{ status: number; body: string }> {
  return httpsCall(url, caPem, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, form);
}

async function httpsCall(url: string, caPem: string, options: { method: string; headers: Record<string, string> }, body?: string): Promise<{ status: number; body: string }> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { ...options, ca: caPem, timeout: 5000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error('no answer within 5000 ms')));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
