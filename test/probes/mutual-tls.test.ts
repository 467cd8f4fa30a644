import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { RequestListener } from 'node:http';
import { createServer, type Server } from 'node:https';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { validateConfig, validateConfigFor } from '../../src/config/load-config.ts';
import { UrlEnvironment } from '../../src/environment/url/url-environment.ts';
import { serves } from '../../src/environment/capability-providers.ts';
import { createServer as createHttpServer } from 'node:http';
import { closeServer, listen } from '../helpers/servers.ts';
import type { PayerDfsp } from '../../src/fspiop/payer-dfsp.ts';
import { SecurityPostureProbe } from '../../src/probes/security-posture-probe.ts';
import { ROOT } from '../helpers/cli.ts';

const tls = {
  key: await readFile(join(ROOT, 'fixtures', 'tls', 'hub-test-only.key')),
  cert: await readFile(join(ROOT, 'fixtures', 'tls', 'hub-test-only.crt')),
};
const config = validateConfig({ timeouts: { requestMs: 2000 } });
const probeFor = (hubUrl: string) => new SecurityPostureProbe({ hubUrl } as unknown as PayerDfsp, config);

describe('SecurityPostureProbe over real TLS', () => {
  const servers: Server[] = [];
  const start = async (options: object, handler: RequestListener = (_req, res) => res.end('ok')) => {
    const server = createServer({ ...tls, ...options }, handler);
    servers.push(server);
    return (await listen(server, 0, '127.0.0.1')).replace('http:', 'https:');
  };
  after(async () => {
    for (const server of servers) await closeServer(server);
  });

  it('passes mutual TLS only when the hub refuses the handshake for want of a client certificate', async () => {
    const url = await start({ requestCert: true, rejectUnauthorized: true });
    const result = await probeFor(url).mutualTls();
    assert.ok(Array.isArray(result), JSON.stringify(result));
    assert.equal(result[0]!.ok, true, String(result[0]!.value));
    assert.match(String(result[0]!.value), /CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE/i);
  });

  it('attaches to a hub that enforces mutual TLS instead of calling it unreachable', async () => {
    const url = await start({ requestCert: true, rejectUnauthorized: true });
    const environment = await new UrlEnvironment(validateConfigFor('url', { hub: { url } })).start();
    assert.equal(environment.hubUrl, url);
    assert.equal(serves(environment, 'controlled-payee'), false, 'its payees are not ours');
    await environment.stop();
  });

  it('passes mutual TLS for a proxy that completes the handshake and then refuses in HTTP, as nginx does', async () => {
    const url = await start({}, (_req, res) => res.writeHead(400).end('<html><center>No required SSL certificate was sent</center></html>'));
    const result = await probeFor(url).mutualTls();
    assert.ok(Array.isArray(result));
    assert.equal(result[0]!.ok, true);
    assert.match(String(result[0]!.value), /HTTP\/1\.1 400 .*No required SSL certificate/);
  });

  it('does not take a TLS port that never answers for a hub', async () => {
    const url = await start({}, () => undefined);
    await assert.rejects(new UrlEnvironment(validateConfigFor('url', { hub: { url }, timeouts: { startupMs: 500 } })).start(), /is unreachable/);
  });

  it('says in one line that a hub given as https:// speaks plain http', async () => {
    const plain = createHttpServer((_request, response) => response.writeHead(200).end());
    const url = (await listen(plain)).replace('http:', 'https:');
    try {
      await assert.rejects(new UrlEnvironment(validateConfigFor('url', { hub: { url } })).start(),
        (error: Error) => /is unreachable \(it does not speak TLS there — is it plain http\?\)/.test(error.message) && !error.message.includes('\n'));
    } finally {
      await closeServer(plain);
    }
  });

  it('fails mutual TLS when the hub answers a client without a certificate', async () => {
    const url = await start({});
    const result = await probeFor(url).mutualTls();
    assert.ok(Array.isArray(result));
    assert.equal(result[0]!.ok, false);
    assert.match(String(result[0]!.value), /^handshake completed and the hub answered: HTTP\/1.1 200/);
  });

  it('does not evaluate mutual TLS when the connection is just dropped', async () => {
    const url = await start({}, (req) => req.socket.destroy());
    const result = await probeFor(url).mutualTls();
    assert.ok(!Array.isArray(result));
    assert.match(result.notEvaluated, /cannot tell mutual TLS from another refusal/);
  });

  it('fails TLS at the edge for a certificate this machine does not trust, saying why', async () => {
    const url = await start({});
    const [transport] = await probeFor(url).tlsAtEdge();
    assert.equal(transport!.ok, false);
    assert.match(String(transport!.value), /^TLSv1\.3, certificate not trusted \(/);
  });
});
