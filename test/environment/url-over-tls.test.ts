import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { RequestListener } from 'node:http';
import { createServer, type Server } from 'node:https';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { validateConfigFor } from '../../src/config/load-config.ts';
import { UrlEnvironment } from '../../src/environment/url/url-environment.ts';
import { serves } from '../../src/environment/capability-providers.ts';
import { createServer as createHttpServer } from 'node:http';
import { closeServer, listen } from '../helpers/servers.ts';
import { ROOT } from '../helpers/cli.ts';

const tls = {
  key: await readFile(join(ROOT, 'fixtures', 'tls', 'hub-test-only.key')),
  cert: await readFile(join(ROOT, 'fixtures', 'tls', 'hub-test-only.crt')),
};

describe('A hub behind TLS, attached to by URL', () => {
  const servers: Server[] = [];
  const start = async (options: object, handler: RequestListener = (_req, res) => res.end('ok')) => {
    const server = createServer({ ...tls, ...options }, handler);
    servers.push(server);
    return (await listen(server, 0, '127.0.0.1')).replace('http:', 'https:');
  };
  after(async () => {
    for (const server of servers) await closeServer(server);
  });

  it('attaches to a hub that enforces mutual TLS instead of calling it unreachable', async () => {
    const url = await start({ requestCert: true, rejectUnauthorized: true });
    const environment = await new UrlEnvironment(validateConfigFor('url', { hub: { url } })).start();
    assert.equal(environment.hubUrl, url);
    assert.equal(serves(environment, 'controlled-payee'), false, 'its payees are not ours');
    await environment.stop();
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
});
