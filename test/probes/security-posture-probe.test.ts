import assert from 'node:assert/strict';
import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import type { Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { validateConfig } from '../../src/config/load-config.ts';
import type { ReceivedCallback } from '../../src/fspiop/callback-correlator.ts';
import type { DfspCredentials } from '../../src/fspiop/credentials.ts';
import type { Exchange, PayerDfsp } from '../../src/fspiop/payer-dfsp.ts';
import type { Measurement } from '../../src/evidence/evidence.ts';
import type { NotEvaluated } from '../../src/evidence/finding.ts';
import { SecurityPostureProbe, type SecurityPostureOptions } from '../../src/probes/security-posture-probe.ts';
import { CertificateAuthority, type IssuedCertificate } from '../../src/support/pki.ts';
import { closeServer, listen } from '../helpers/servers.ts';

const config = validateConfig({ timeouts: { requestMs: 2000, callbackMs: 2000 } });
const DAY = 86_400_000;

/** The payer only as the probe uses it: its URL and id, and a callback server that answers what `callback` says. */
function payerAt(hubUrl: string, callback?: ReceivedCallback, exchange?: Partial<Exchange>): PayerDfsp {
  return {
    hubUrl, fspId: 'conformancepayer',
    expectCallback: () => ({ callback: callback ? Promise.resolve(callback) : Promise.reject(new Error('no callback')), cancel: () => undefined }),
    withoutCredentials() { return this; },
    lookupParty: async () => ({ operation: 'lookup', method: 'GET', url: hubUrl, path: '/', requestHeaders: {}, correlationKey: 'k', startedAt: '', ack: { status: 202, body: '', ms: 1 }, timedOut: false, ...exchange }),
  } as unknown as PayerDfsp;
}

const probe = (hubUrl: string, options: SecurityPostureOptions = {}, callback?: ReceivedCallback) =>
  new SecurityPostureProbe(payerAt(hubUrl, callback), config, options);

function measured(finding: Measurement[] | NotEvaluated): Measurement[] {
  assert.ok(Array.isArray(finding), `expected measurements, got ${JSON.stringify(finding)}`);
  return finding;
}
function notEvaluated(finding: Measurement[] | NotEvaluated): string {
  assert.ok(!Array.isArray(finding), `expected NOT EVALUATED, got ${JSON.stringify(finding)}`);
  return finding.notEvaluated;
}
const allOk = (finding: Measurement[] | NotEvaluated) => measured(finding).every((m) => m.ok || m.informational);
const failed = (finding: Measurement[] | NotEvaluated) => measured(finding).filter((m) => !m.ok).map((m) => `${m.name}: ${m.value}`);

const invalidSignature = JSON.stringify({ errorInformation: { errorCode: '3105', errorDescription: 'Invalid signature' } });
const successCallback: ReceivedCallback = { key: 'k', kind: 'success', path: '/quotes/1', headers: {}, body: {}, receivedAt: 0 };

describe('SecurityPostureProbe against real local servers', () => {
  const servers: Server[] = [];
  let ca: CertificateAuthority;
  let serverCertificate: IssuedCertificate;
  let credentials: DfspCredentials;
  let strangerCredentials: DfspCredentials;

  before(async () => {
    ca = await CertificateAuthority.create();
    serverCertificate = await ca.issue('hub', { serverNames: ['127.0.0.1', 'localhost'] });
    const client = await ca.issue('conformancepayer', { client: true });
    credentials = { tls: { ...client, caPem: ca.certPem } };
    const stranger = await (await CertificateAuthority.create('another CA')).issue('conformancepayer', { client: true });
    strangerCredentials = { tls: { ...stranger, caPem: ca.certPem } };
  });
  after(async () => {
    for (const server of servers) await closeServer(server);
  });

  const serve = async (server: Server, scheme: 'http' | 'https') => {
    servers.push(server);
    return (await listen(server)).replace('http:', `${scheme}:`);
  };
  /** An https hub with the CA's certificate; `options` make it secured (requestCert) or lax. */
  const https = (options: ServerOptions, handler: RequestListener = (_req, res) => res.end('ok'), certificate = serverCertificate) => {
    const server = createHttpsServer({ key: certificate.keyPem, cert: certificate.certPem, ca: ca.certPem, ...options }, handler);
    server.on('tlsClientError', () => undefined);
    return serve(server, 'https');
  };
  const http = (handler: RequestListener) => serve(createHttpServer(handler), 'http');
  const mutual = { requestCert: true, rejectUnauthorized: true };

  describe('IAC-SEC-01 TLS at the edge, plaintext refused', () => {
    it('passes a trusted TLS endpoint whose port refuses plaintext, each attempt named', async () => {
      const url = await https({});
      const result = measured(await probe(url, { credentials }).tlsAtEdge());
      assert.ok(result.every((m) => m.ok), JSON.stringify(result));
      assert.match(String(result[0]!.value), /^TLSv1\.3, trusted certificate$/);
      const plaintext = result.find((m) => m.name.includes('(the TLS port)'))!;
      assert.match(String(plaintext.value), /^refused: /);
      assert.ok(result.some((m) => m.name.startsWith('plaintext http://127.0.0.1:80/')), 'port 80 is tried too');
    });

    it('passes a plaintext port that redirects to https', async () => {
      const url = await https({});
      const redirect = new URL(await http((_req, res) => res.writeHead(301, { location: `${url}/` }).end()));
      const result = measured(await probe(url, { credentials, plaintextPorts: [Number(redirect.port)] }).tlsAtEdge());
      const attempt = result.find((m) => m.name.includes(`:${redirect.port}`))!;
      assert.equal(attempt.ok, true);
      assert.match(String(attempt.value), /^redirected to https: HTTP\/1\.1 301 .*Location https:/);
    });

    it('fails when another port serves the API in plaintext, though the TLS endpoint is fine', async () => {
      const url = await https({});
      const plain = new URL(await http((_req, res) => res.writeHead(200).end('{}')));
      const result = await probe(url, { credentials, plaintextPorts: [Number(plain.port)] }).tlsAtEdge();
      assert.deepEqual(failed(result), [`plaintext http://127.0.0.1:${plain.port}/: served in plaintext: HTTP/1.1 200 OK`]);
    });

    it('fails a plaintext hub URL, and a certificate not trusted, saying why', async () => {
      assert.deepEqual(failed(await probe(await http((_req, res) => res.end())).tlsAtEdge()), ['FSPIOP endpoint transport: http (plaintext)']);
      const [transport] = measured(await probe(await https({})).tlsAtEdge());
      assert.equal(transport!.ok, false);
      assert.match(String(transport!.value), /^TLSv1\.3, certificate not trusted \(/);
    });
  });

  describe('IAC-SEC-02 mutual TLS shown positively', () => {
    it('passes when the hub refuses a connection without a client certificate and answers one with ours', async () => {
      const url = await https(mutual);
      const result = measured(await probe(url, { credentials }).mutualTls());
      assert.deepEqual(result.map((m) => [m.name, m.ok]), [['connection without a client certificate', true], ['connection with our client certificate', true]]);
      assert.match(String(result[0]!.value), /^refused: /);
      assert.match(String(result[1]!.value), /^answered: HTTP\/1\.1 200/);
    });

    it('fails when the hub answers a client without a certificate', async () => {
      const url = await https({});
      assert.deepEqual(failed(await probe(url, { credentials }).mutualTls()), ['connection without a client certificate: answered: HTTP/1.1 200 OK']);
      assert.match(failed(await probe(url).mutualTls())[0]!, /handshake completed and the hub answered: HTTP\/1\.1 200/);
    });

    it('does not take a refusal for a demand when our certificate is refused too', async () => {
      const url = await https(mutual);
      assert.match(notEvaluated(await probe(url, { credentials: strangerCredentials }).mutualTls()), /and with ours too .*: the refusal cannot be tied to the certificate/);
    });

    it('without a certificate of ours, passes on the CertificateRequest the server sends in a TLS 1.2 handshake', async () => {
      const result = measured(await probe(await https(mutual)).mutualTls());
      assert.deepEqual(result.map((m) => [m.name, m.ok]), [['client certificate requested by the server', true], ['connection without a client certificate', true]]);
      assert.equal(result[0]!.value, 'the server sent a CertificateRequest in its TLS 1.2 handshake');
    });

    it('without a certificate of ours, fails a refusal the server never asked a certificate for', async () => {
      const dropping = await https({}, (req) => req.socket.destroy());
      assert.deepEqual(failed(await probe(dropping).mutualTls()), ['client certificate requested by the server: the server ended its TLS 1.2 flight (ServerHelloDone) without a CertificateRequest']);
    });

    it('without a certificate of ours, does not evaluate a TLS 1.3-only server that refuses (its CertificateRequest is encrypted)', async () => {
      const url = await https({ ...mutual, minVersion: 'TLSv1.3' });
      assert.match(notEvaluated(await probe(url).mutualTls()), /a TLS refusal alone can be a cipher or protocol mismatch, and whether the server asks for a certificate could not be read \(the server refused a TLS 1\.2 handshake/);
    });

    it('takes nginx\'s own words for it when we have no certificate to show', async () => {
      const url = await https({}, (_req, res) => res.writeHead(400).end('<html><center>No required SSL certificate was sent</center></html>'));
      const [m] = measured(await probe(url).mutualTls());
      assert.equal(m!.ok, true);
      assert.match(String(m!.value), /HTTP\/1\.1 400 .*No required SSL certificate/);
    });
  });

  describe('IAC-SEC-03 signatures enforced on a POST', () => {
    const seen: Array<Record<string, string | string[] | undefined>> = [];
    const enforcing: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
      seen.push(req.headers);
      req.resume();
      // A hub that holds our public key only: no signature, or any other key's, is 3105.
      res.writeHead(400, { 'content-type': 'application/json' }).end(invalidSignature);
    };

    it('passes a hub that refuses both the unsigned and the wrongly signed quote with 3105, over our mutual TLS', async () => {
      seen.length = 0;
      const url = await https(mutual, enforcing);
      const result = measured(await probe(url, { credentials }).signaturesEnforced());
      assert.deepEqual(result.map((m) => [m.name, m.value, m.ok]), [
        ['quote request without an FSPIOP-Signature', 'HTTP 400 error 3105', true],
        ['quote request signed with a key the hub cannot know', 'HTTP 400 error 3105', true],
      ]);
      assert.match(result[0]!.source, /^POST https:\/\/127\.0\.0\.1:\d+\/quotes, presenting our client certificate$/);
      assert.equal(seen[0]!['fspiop-signature'], undefined);
      const signature = JSON.parse(String(seen[1]!['fspiop-signature'])) as { protectedHeader: string; signature: string };
      assert.equal(JSON.parse(Buffer.from(signature.protectedHeader, 'base64url').toString()).alg, 'RS256');
      assert.equal(seen[1]!['fspiop-uri'], '/quotes');
      assert.equal(seen[1]!['fspiop-http-method'], 'POST');
    });

    it('passes a refusal that comes as an error callback 3105 after a 202', async () => {
      const url = await http((req, res) => { req.resume(); res.writeHead(202).end(); });
      const callback: ReceivedCallback = { ...successCallback, kind: 'error', body: JSON.parse(invalidSignature) };
      assert.ok(allOk(await probe(url, {}, callback).signaturesEnforced()));
    });

    it('fails a hub that accepts unsigned quotes, and one that refuses with another error', async () => {
      const accepting = await http((req, res) => { req.resume(); res.writeHead(202).end(); });
      assert.deepEqual(failed(await probe(accepting, {}, successCallback).signaturesEnforced()), [
        'quote request without an FSPIOP-Signature: HTTP 202, then a success callback (accepted)',
        'quote request signed with a key the hub cannot know: HTTP 202, then a success callback (accepted)',
      ]);
      const otherError = await http((req, res) => { req.resume(); res.writeHead(400).end(JSON.stringify({ errorInformation: { errorCode: '3100', errorDescription: 'x' } })); });
      assert.equal(failed(await probe(otherError).signaturesEnforced()).length, 2);
    });

    it('does not evaluate signatures when the hub refuses us before any signature check', async () => {
      const url = await http((req, res) => { req.resume(); res.writeHead(401).end(); });
      assert.match(notEvaluated(await probe(url).signaturesEnforced()), /before any signature check \(HTTP 401\), presenting no client certificate and no token/);
      const tlsRefusing = await https(mutual, enforcing);
      assert.match(notEvaluated(await probe(tlsRefusing, { credentials: strangerCredentials }).signaturesEnforced()), /before any signature check \(request failed: /);
    });

    it('does not take an unreachable plaintext hub for a refusal', async () => {
      const url = await http(() => undefined);
      const port = new URL(url).port;
      await closeServer(servers.pop()!);
      assert.equal(failed(await probe(`http://127.0.0.1:${port}`).signaturesEnforced()).length, 2);
    });
  });

  describe('IAC-SEC-04 anonymous admin API refused', () => {
    const check = async (adminUrl: string) => probe('http://127.0.0.1:1', { adminUrl }).adminApiRefusesAnonymous();
    it('passes 401/403, a redirect to a login page and an admin API not exposed, saying which', async () => {
      assert.match(String(measured(await check(await http((_req, res) => res.writeHead(403).end())))[0]!.value), /^HTTP 403$/);
      const login = measured(await check(await http((_req, res) => res.writeHead(302, { location: 'https://sso.example/login?next=/participants' }).end())))[0]!;
      assert.equal(login.ok, true);
      assert.match(String(login.value), /^HTTP 302, redirected to a login page: https:\/\/sso\.example\/login/);
      const gone = await http(() => undefined);
      const port = new URL(gone).port;
      await closeServer(servers.pop()!);
      const closed = measured(await check(`http://127.0.0.1:${port}`))[0]!;
      assert.equal(closed.ok, true);
      assert.match(String(closed.value), /^not exposed: .*ECONNREFUSED|^not exposed: connect ECONNREFUSED/);
      const mutualAdmin = measured(await check(await https(mutual)))[0]!;
      assert.equal(mutualAdmin.ok, true, String(mutualAdmin.value));
    });

    it('fails an admin API that serves anonymous calls; an answer that is neither is not evaluated', async () => {
      assert.deepEqual(failed(await check(await http((_req, res) => res.writeHead(200).end('[]')))), ['anonymous admin API request: HTTP 200']);
      assert.match(notEvaluated(await check(await http((_req, res) => res.writeHead(404).end()))), /got HTTP 404: neither served nor refused/);
    });
  });

  describe('IAC-SEC-08 certificate validity and chain', () => {
    it('passes a current certificate chaining to the configured CA, with the days left recorded', async () => {
      const url = await https({});
      const result = measured(await probe(url, { credentials }).certificateValid());
      assert.ok(allOk(result));
      const days = result.find((m) => m.name === 'hub certificate days left')!;
      assert.ok(days.informational && Number(days.value) >= 363 && Number(days.value) <= 365, String(days.value));
      assert.match(String(result.find((m) => m.name === 'hub certificate chain')!.value), /CN=hub ← issued by CN=Mojaloop conformance test CA: trusted/);
    });

    it('fails an expired certificate and one not yet valid, and an untrusted chain', async () => {
      const expired = await ca.issue('hub', { serverNames: ['127.0.0.1'], notBefore: new Date(Date.now() - 30 * DAY), notAfter: new Date(Date.now() - 2 * DAY) });
      const result = failed(await probe(await https({}, undefined, expired), { credentials }).certificateValid());
      assert.equal(result.length, 2, 'expired, and so not trusted either');
      assert.match(result[0]!, /^hub certificate validity: expired 2 days ago/);
      const future = await ca.issue('hub', { serverNames: ['127.0.0.1'], notBefore: new Date(Date.now() + 2 * DAY) });
      assert.match(failed(await probe(await https({}, undefined, future), { credentials }).certificateValid())[0]!, /not yet valid/);
      assert.deepEqual(failed(await probe(await https({})).certificateValid()).map((f) => f.split(':')[0]), ['hub certificate chain']);
    });

    it('does not evaluate a certificate it could not see', async () => {
      const url = await http(() => undefined);
      assert.match(notEvaluated(await probe(url.replace('http:', 'https:')).certificateValid()), /no certificate could be read/);
    });
  });

  describe('IAC-SEC-09 TLS 1.0 and 1.1 refused', () => {
    it('passes a hub that only speaks TLS 1.2+, having offered both old versions', async () => {
      const result = measured(await probe(await https({}), { credentials }).weakProtocolsRefused());
      assert.deepEqual(result.map((m) => [m.name, m.ok]), [['TLS 1.0 handshake', true], ['TLS 1.1 handshake', true]]);
      assert.match(String(result[0]!.value), /^refused: handshake failed: .*protocol version/i);
    });

    it('fails a hub that still accepts TLS 1.0 and 1.1', async () => {
      const lax = await https({ minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });
      assert.deepEqual(failed(await probe(lax, { credentials }).weakProtocolsRefused()), ['TLS 1.0 handshake: accepted (TLSv1)', 'TLS 1.1 handshake: accepted (TLSv1.1)']);
    });

    it('does not evaluate an endpoint that completes no handshake at all', async () => {
      const url = await http(() => undefined);
      assert.match(notEvaluated(await probe(url.replace('http:', 'https:')).weakProtocolsRefused()), /completes no TLS handshake at all/);
    });
  });

  describe('IAC-SEC-10 a token of the wrong scope refused', () => {
    /** A token endpoint: `issue` decides what it answers for the form and Authorization header it got. */
    const tokenEndpoint = (issue: (form: URLSearchParams, authorization: string | undefined) => { status: number; body: object }) => http((req, res) => {
      let form = '';
      req.on('data', (chunk) => { form += chunk; });
      req.on('end', () => {
        const answer = issue(new URLSearchParams(form), req.headers.authorization);
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      });
    });
    /** Our configured scope (none asked: the client's default) gets the token "right"; any other scope what `other` says. */
    const issuing = (other: (scope: string) => { status: number; body: object }) => tokenEndpoint((form) => {
      const scope = form.get('scope');
      return scope ? other(scope) : { status: 200, body: { access_token: 'right', token_type: 'Bearer' } };
    });
    const oauth2 = (tokenUrl: string): DfspCredentials => ({ ...credentials, oauth2: { tokenUrl, clientId: 'payer', clientSecret: 'planted-secret-s3cr3t' } });
    /** A hub over our mutual TLS that accepts the right token and answers `status` to the wrong-scoped one. */
    const hubAnswering = (status: number) => https(mutual, (req, res) => {
      const token = req.headers.authorization;
      res.writeHead(token === 'Bearer right' ? 202 : token === 'Bearer wrong-scoped' ? status : 500).end();
    });
    const wrongScoped = (scope: string) => ({ status: 200, body: { access_token: 'wrong-scoped', scope } });

    it('passes when the token endpoint will not issue it, or the hub refuses the token it issued — while our own scope works', async () => {
      const refusing = await issuing(() => ({ status: 400, body: { error: 'invalid_scope' } }));
      const [m] = measured(await probe(await hubAnswering(202), { credentials: oauth2(refusing) }).wrongScopeRefused());
      assert.equal(m!.ok, true);
      assert.match(String(m!.value), /^not issued: token endpoint http:\/\/127\.0\.0\.1:\d+ answered HTTP 400 \(invalid_scope\) \(our configured scope's was issued\)$/);
      assert.ok(allOk(await probe(await hubAnswering(403), { credentials: oauth2(await issuing(wrongScoped)) }).wrongScopeRefused()));
    });

    it('authenticates to the token endpoint with form fields where HTTP Basic is refused', async () => {
      const bodyOnly = await tokenEndpoint((form, authorization) => {
        if (authorization || form.get('client_id') !== 'payer') return { status: 401, body: { error: 'invalid_client' } };
        return form.get('scope') ? wrongScoped(form.get('scope')!) : { status: 200, body: { access_token: 'right' } };
      });
      assert.ok(allOk(await probe(await hubAnswering(401), { credentials: oauth2(bodyOnly) }).wrongScopeRefused()));
    });

    it('fails a hub that accepts the token, and keeps the secret and tokens out of the evidence', async () => {
      const finding = await probe(await hubAnswering(202), { credentials: oauth2(await issuing(wrongScoped)) }).wrongScopeRefused();
      assert.deepEqual(failed(finding), ['FSPIOP lookup with a token of a scope not granted to us: HTTP 202']);
      assert.doesNotMatch(JSON.stringify(finding), /planted-secret|wrong-scoped|"right"/);
    });

    it('does not evaluate without OAuth2 credentials, when our own credentials or token are refused, or when the endpoint swaps the scope', async () => {
      assert.match(notEvaluated(await probe(await https({})).wrongScopeRefused()), /no OAuth2 client credentials are configured/);
      const refusingUs = await tokenEndpoint(() => ({ status: 401, body: { error: 'invalid_client' } }));
      assert.match(notEvaluated(await probe(await hubAnswering(403), { credentials: oauth2(refusingUs) }).wrongScopeRefused()), /our own client credentials got no token for the configured scope \(token endpoint .* answered HTTP 401 \(invalid_client\)\)/);
      const refusingEveryToken = await https(mutual, (_req, res) => res.writeHead(401).end());
      assert.match(notEvaluated(await probe(refusingEveryToken, { credentials: oauth2(await issuing(wrongScoped)) }).wrongScopeRefused()), /lookup with our configured scope's token got HTTP 401/);
      const swapping = await issuing(() => ({ status: 200, body: { access_token: 'other', scope: 'fspiop' } }));
      assert.match(notEvaluated(await probe(await hubAnswering(202), { credentials: oauth2(swapping) }).wrongScopeRefused()), /ignored the requested scope .* and issued "fspiop"/);
    });
  });

  describe('zero security (CTH, miniloop)', () => {
    it('passes an anonymous lookup answered by a success callback', async () => {
      const posture = new SecurityPostureProbe(payerAt('http://hub.example', undefined, { callback: successCallback }), config);
      await posture.sendWithout('credentials');
      assert.equal(posture.accepted()[0]!.ok, true);
    });
  });
});
