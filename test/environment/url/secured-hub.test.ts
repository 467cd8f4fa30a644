import assert from 'node:assert/strict';
import { createServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { validateConfigFor } from '../../../src/config/load-config.ts';
import { UrlEnvironment } from '../../../src/environment/url/url-environment.ts';
import { FspiopTransport } from '../../../src/fspiop/fspiop-transport.ts';
import { CertificateAuthority } from '../../../src/support/pki.ts';
import { closeServer, listen } from '../../helpers/servers.ts';

describe('the url target with credentials, on a hub behind a private CA that demands our certificate', () => {
  let hub: ReturnType<typeof createServer>;
  let hubUrl = '';
  let transport: FspiopTransport;
  const seen: string[] = [];
  before(async () => {
    const ca = await CertificateAuthority.create();
    const server = await ca.issue('hub', { serverNames: ['127.0.0.1'] });
    const ours = await ca.issue('payerfsp', { client: true });
    hub = createServer({ cert: server.certPem, key: server.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true }, (request, response) => {
      seen.push(`${request.url} from ${String((request.socket as TLSSocket).getPeerCertificate().subject?.CN)}`);
      response.writeHead(200).end('{}');
    });
    hub.on('tlsClientError', () => undefined);
    hubUrl = (await listen(hub)).replace('http:', 'https:');
    transport = FspiopTransport.from({ tls: { certPem: ours.certPem, keyPem: ours.keyPem, caPem: ca.certPem } });
  });
  after(async () => {
    transport.close();
    await closeServer(hub);
  });

  it('reaches the hub as our DFSP does: trusting its CA and presenting our certificate', async () => {
    const config = validateConfigFor('url', { hub: { url: hubUrl } });
    const started = await new UrlEnvironment(config, { transport }).start();
    try {
      assert.deepEqual(seen, ['/health from payerfsp']);
    } finally {
      await started.stop();
    }
  });

  it('says the hub is unreachable with the configured credentials when they are not enough, exit 4', async () => {
    const config = validateConfigFor('url', { hub: { url: hubUrl.replace(/:\d+$/, ':9') } });
    await assert.rejects(new UrlEnvironment(config, { transport }).start(), (error: Error) => error.name === 'EnvironmentUnavailableError'
      && /^hub at https:\/\/127\.0\.0\.1:9 is unreachable with the configured credentials \(connection refused\)/.test(error.message));
  });
});
