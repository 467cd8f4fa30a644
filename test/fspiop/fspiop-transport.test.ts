import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { CallbackServer } from '../../src/fspiop/callback-server.ts';
import type { DfspCredentials } from '../../src/fspiop/credentials.ts';
import { FspiopTransport } from '../../src/fspiop/fspiop-transport.ts';
import { FspiopSignatureVerifier } from '../../src/fspiop/jws.ts';
import { CertificateAuthority } from '../../src/support/pki.ts';
import { closeServer, listen } from '../helpers/servers.ts';

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

interface Seen { clientCn: string | undefined; headers: IncomingMessage['headers']; body: string; path: string }

describe('FspiopTransport against a hub that demands mutual TLS, a bearer token and signatures', () => {
  const payerKeys = rsa();
  const hubKeys = rsa();
  const seen: Seen[] = [];
  let ca: CertificateAuthority;
  let hubUrl = '';
  let credentials: DfspCredentials;
  const tokenServer = createHttpServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'bearer-token-1', token_type: 'bearer', expires_in: 3600 })));
  });
  let hub: ReturnType<typeof createHttpsServer>;

  before(async () => {
    ca = await CertificateAuthority.create();
    const hubCert = await ca.issue('hub', { serverNames: ['127.0.0.1'] });
    const ours = await ca.issue('payerfsp', { client: true });
    hub = createHttpsServer({ cert: hubCert.certPem, key: hubCert.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true }, async (request, response) => {
      let body = '';
      for await (const chunk of request) body += chunk;
      seen.push({ clientCn: String((request.socket as TLSSocket).getPeerCertificate().subject?.CN), headers: request.headers, body, path: request.url ?? '' });
      response.writeHead(202).end();
    });
    hub.on('tlsClientError', () => undefined);
    hubUrl = (await listen(hub)).replace('http:', 'https:');
    const tokenUrl = `${await listen(tokenServer)}/token`;
    credentials = {
      tls: { certPem: ours.certPem, keyPem: ours.keyPem, caPem: ca.certPem },
      oauth2: { tokenUrl, clientId: 'payerfsp', clientSecret: 'client-secret' },
      jws: { privateKeyPem: payerKeys.privateKey, verificationKeys: { switch: hubKeys.publicKey } },
    };
  });
  after(async () => {
    await closeServer(hub);
    await closeServer(tokenServer);
  });

  const post = (transport: FspiopTransport) => transport.send({
    method: 'POST', url: `${hubUrl}/fspiop/quotes`, resource: 'quotes', source: 'payerfsp', destination: 'payeefsp', body: { quoteId: 'q1', amount: { currency: 'USD', amount: '1' } }, timeoutMs: 10_000,
  });

  it('presents our certificate, a bearer token and a signature over the exact bytes sent — and reports the headers without the token', async () => {
    const transport = FspiopTransport.from(credentials);
    try {
      const result = await post(transport);
      assert.equal(result.status, 202);
      const request = seen.at(-1)!;
      assert.equal(request.clientCn, 'payerfsp');
      assert.equal(request.headers.authorization, 'Bearer bearer-token-1');
      assert.equal(request.headers['fspiop-uri'], '/quotes');
      const verified = new FspiopSignatureVerifier({ payerfsp: payerKeys.publicKey }).check('POST', '/quotes', request.headers, request.body);
      assert.deepEqual(verified, { outcome: 'verified' });
      assert.equal(result.sentHeaders['fspiop-signature'], request.headers['fspiop-signature']);
      assert.equal(result.sentHeaders.authorization, undefined, 'a bearer token is never part of what a result reports');
    } finally {
      transport.close();
    }
  });

  it('without signature keeps the certificate and token; without credentials only trusts the CA', async () => {
    const transport = FspiopTransport.from(credentials);
    try {
      await post(transport.withoutSignature());
      const unsigned = seen.at(-1)!;
      assert.equal(unsigned.clientCn, 'payerfsp');
      assert.equal(unsigned.headers.authorization, 'Bearer bearer-token-1');
      assert.equal(unsigned.headers['fspiop-signature'], undefined);
      // The hub demands a certificate: a client without one is refused in the handshake, not by our own distrust of the hub.
      await assert.rejects(post(transport.withoutCredentials()), (error: Error & { code?: string }) => !/self.signed|UNABLE_TO_VERIFY|CERT_/.test(`${error.code} ${error.message}`));
      assert.equal(FspiopTransport.from(undefined), FspiopTransport.plain());
      assert.equal(FspiopTransport.plain().seal, undefined, 'the plain transport adds no step to a request');
    } finally {
      transport.close();
    }
  });

  it('describes what it presents, never a value', () => {
    const transport = FspiopTransport.from(credentials);
    const text = transport.posture.join('\n');
    assert.match(text, /mutual TLS/);
    assert.match(text, /OAuth2: a bearer token from http:\/\/127\.0\.0\.1:\d+\/token/);
    assert.match(text, /callbacks from switch must carry a signature/);
    for (const secret of ['client-secret', payerKeys.privateKey.split('\n')[1]!, credentials.tls!.keyPem.split('\n')[1]!]) assert.ok(!text.includes(secret));
    transport.close();
  });
});

describe('CallbackServer with signatures checked, over https', () => {
  const hubKeys = rsa();
  let ca: CertificateAuthority;
  let server: CallbackServer;
  let hubTransport: FspiopTransport;
  before(async () => {
    ca = await CertificateAuthority.create();
    const cert = await ca.issue('callbacks', { serverNames: ['127.0.0.1'] });
    const ours = FspiopTransport.from({ callbackTls: { certPem: cert.certPem, keyPem: cert.keyPem }, jws: { privateKeyPem: rsa().privateKey, verificationKeys: { switch: hubKeys.publicKey } } });
    server = new CallbackServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 8192, addressing: { dfsps: ['payerfsp'], senders: ['switch'] }, security: ours.callbackSecurity });
    await server.start();
    hubTransport = FspiopTransport.from({ tls: { certPem: '', keyPem: '', caPem: ca.certPem }, jws: { privateKeyPem: hubKeys.privateKey, verificationKeys: {} } });
  });
  after(async () => {
    await server.stop();
    hubTransport.close();
  });

  const callback = (transport: FspiopTransport, id: string, headers: Record<string, string> = {}, body: unknown = { transferState: 'COMMITTED' }) => transport.send({
    method: 'PUT', url: `${server.url}/transfers/${id}`, resource: 'transfers', source: 'switch', destination: 'payerfsp', body, timeoutMs: 5_000, headers,
  });

  it('serves https and hands on a callback the hub signed, marked verified', async () => {
    assert.match(server.url, /^https:/);
    const waiting = server.correlator.expect('transfers:t1', 5_000);
    const result = await callback(hubTransport, 't1');
    assert.equal(result.status, 200);
    assert.equal((await waiting.callback).signature, 'verified');
    assert.equal(server.stats.signatures?.verified, 1);
  });

  it('stops a forger who copies the hub\'s headers exactly: 3105, counted as forged, never delivered', async () => {
    const waiting = server.correlator.expect('transfers:t2', 5_000);
    const genuine = await callback(hubTransport, 't2', {}, { transferState: 'COMMITTED', completedTimestamp: '2026-12-05T11:00:00.000Z' });
    assert.equal(genuine.status, 200);
    const answer = await waiting.callback;
    // Another transfer awaited; the forger replays the hub's headers (signature included) with its own body.
    const victim = server.correlator.expect('transfers:t3', 5_000);
    victim.callback.catch(() => undefined);
    const copied = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => name.startsWith('fspiop-') || name === 'date'));
    const forgedBody = await callback(FspiopTransport.from({ tls: { certPem: '', keyPem: '', caPem: ca.certPem } }), 't3', { ...copied, 'fspiop-uri': '/transfers/t3' }, { transferState: 'ABORTED' });
    assert.equal(forgedBody.status, 400);
    assert.match(forgedBody.body, /"errorCode":"3105"/);
    const unsigned = await callback(FspiopTransport.from({ tls: { certPem: '', keyPem: '', caPem: ca.certPem } }), 't3');
    assert.equal(unsigned.status, 400);
    assert.equal(server.stats.signatures?.refused, 2);
    assert.equal(server.stats.rejected.forged, 2);
    assert.equal(server.correlator.pending, 1, 'the transfer the forger answered still waits for the hub');
    victim.cancel();
  });
});
