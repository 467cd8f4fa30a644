import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { validateConfig } from '../../src/config/load-config.ts';
import { ReferenceDeployment } from '../../src/environment/embedded/reference-deployment.ts';
import { runInProcess, functionalIds } from '../helpers/run.ts';
import { closeServer, freePort, listen } from '../helpers/servers.ts';

const KEY = 'SECRET123';

/** A gateway as banks run them: FSPIOP under /fspiop/, an API key in the query, 401 without it. */
function gateway(hubUrl: string) {
  const seen = { forwarded: 0, refused: [] as string[] };
  const server = createServer(async (request: IncomingMessage, response) => {
    const url = new URL(request.url ?? '/', 'http://gateway');
    if (!url.pathname.startsWith('/fspiop/') || url.searchParams.get('apikey') !== KEY) {
      seen.refused.push(`${request.method} ${request.url}`);
      request.resume();
      response.writeHead(401).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<string, string>;
    const answer = await fetch(`${hubUrl}${url.pathname.slice('/fspiop'.length)}`, {
      method: request.method!, headers, ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    seen.forwarded += 1;
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(Buffer.from(await answer.arrayBuffer()));
  });
  return { server, seen };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('a hub behind a gateway path prefix with an API key in the query', () => {
  it('keeps the prefix and the key on every request but the anonymous one, and the key appears in no output or report', async () => {
    const callbackPort = await freePort();
    const hub = new ReferenceDeployment(validateConfig({}), { payerEndpoint: `http://127.0.0.1:${callbackPort}` });
    const { hubUrl } = await hub.start();
    const { server, seen } = gateway(hubUrl);
    const gatewayUrl = await listen(server);
    try {
      const { exitCode, output, result, reportsDir } = await runInProcess({
        hub: { url: `${gatewayUrl}/fspiop/?apikey=${KEY}` }, callback: { port: callbackPort },
      });
      // "Reachable without credentials" is asked without the key: the gateway refuses it, so the zero-security claim fails.
      assert.equal(exitCode, 1, output);
      assert.deepEqual(seen.refused.map((r) => r.replace(/\d{5,}/, 'ID')), ['GET /fspiop/parties/MSISDN/ID'], 'every request but the anonymous one carried the prefix and the key');
      assert.ok(seen.forwarded >= 5, String(seen.forwarded));
      assert.deepEqual(result.guarantees.filter((g) => g.verdict === 'PASS').map((g) => g.id), [...functionalIds('CTH', [1, 2, 5, 9, 10, 12, 13, 17]), 'CTH-LIM-01']);
      assert.match(result.guarantees.find((g) => g.id === 'CTH-SEC-01')!.reason!, /^request without credentials was HTTP 401 instead of 202/);
      assert.equal(result.hubUrl, `${gatewayUrl}/fspiop/?apikey=***`);
      assert.match(output.split('\n')[0]!, /target url http:\/\/127\.0\.0\.1:\d+\/fspiop\/\?apikey=\*\*\* · /);
      assert.doesNotMatch(output, new RegExp(KEY));
      for (const file of await filesUnder(reportsDir)) {
        assert.doesNotMatch(await readFile(file, 'utf8'), new RegExp(KEY), file);
      }
    } finally {
      await closeServer(server);
      await hub.stop();
    }
  });
});
