import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import { validateConfig } from '../../src/config/load-config.ts';
import { ReferenceDeployment } from '../../src/environment/embedded/reference-deployment.ts';
import { waitForOutput } from '../helpers/cli.ts';
import { runInProcess, startInProcess } from '../helpers/run.ts';
import { closeServer, freePort, listen } from '../helpers/servers.ts';

describe('a run that cannot work says why, once', () => {
  it('no callback at all: the hub sends the payer\'s callbacks where nobody listens', async () => {
    const hubConfig = validateConfig({});
    // The hub knows the payer at a port nobody listens on: every callback is lost.
    const closed = createServer();
    const nowhere = await listen(closed);
    await closeServer(closed);
    const hub = new ReferenceDeployment(hubConfig, { payerEndpoint: nowhere });
    const { hubUrl } = await hub.start();
    try {
      const { result, exitCode, output } = await runInProcess({ hub: { url: hubUrl }, callback: { port: 0 }, timeouts: { callbackMs: 1500 } }, { tags: '@guarantee:CTH-FUN-01 or @guarantee:CTH-FUN-02' });
      // The round trip before the scenarios finds it: nothing is blamed on the hub (exit 4, every guarantee NOT EVALUATED).
      assert.equal(exitCode, 4);
      assert.ok(result.guarantees.length > 0 && result.guarantees.every((g) => g.verdict === 'NOT_EVALUATED'));
      assert.equal(result.diagnosis.length, 1, output);
      assert.match(result.diagnosis[0]!, /^No callback arrived at all: the hub acknowledged \d+ requests? with 202 but never called back on http:\/\/127\.0\.0\.1:\d+\./);
      assert.equal(output.match(/Diagnosis: No callback arrived at all/g)?.length, 1, 'said once');
    } finally {
      await hub.stop();
    }
  });

  it('not an FSPIOP hub: a web server\'s HTML page stops the run at its first request, with one diagnosis', async () => {
    const page = '<!DOCTYPE HTML>\n<html>\n<body>\n<h1>Error response</h1>\n<p>Error code: 404</p>\n</body>\n</html>\n';
    const webServer = createServer((request, response) => {
      request.resume();
      response.writeHead(request.url === '/health' ? 200 : 404, { 'content-type': 'text/html;charset=utf-8' }).end(page);
    });
    const url = await listen(webServer);
    try {
      const { result, output, byId } = await runInProcess({ hub: { url }, callback: { port: 0 } }, { tags: '@concern:functional' });
      assert.match(byId['CTH-FUN-01']!.reason!, /^the run stopped before any guarantee was evaluated: the hub refused the first request \(GET .* answered HTTP 404 instead of 202, with a text\/html body of \d+ bytes \(not an FSPIOP error\)\)/);
      assert.doesNotMatch(output, /<html>|Error code: 404/, 'no raw page in the terminal');
      assert.doesNotMatch(JSON.stringify(result.guarantees), /<html>/, 'nor in the result');
      assert.equal(result.diagnosis.length, 1);
      assert.match(result.diagnosis[0]!, /requests were not answered like an FSPIOP hub answers .* Is http:\/\/127\.0\.0\.1:\d+ the hub's FSPIOP endpoint\?/);
    } finally {
      await closeServer(webServer);
    }
  });

  it('hub gone mid-run: the requests after it stopped are summed up in one diagnosis', async () => {
    // Each payee answer takes 600 ms, so the guarantees after CTH-FUN-01 are still to come when the hub goes.
    const config = validateConfig({ embedded: { payeeDelayMs: 600 } });
    // The hub knows where our payer listens before the run starts: its round trip before the scenarios must succeed.
    const callbackPort = await freePort();
    const hub = new ReferenceDeployment(config, { payerEndpoint: `http://127.0.0.1:${callbackPort}` });
    const { hubUrl } = await hub.start();
    // The misbehaving party named, so CTH-FUN-03 (three slow answers) runs after CTH-FUN-01 and CTH-SEC-01 after it: both meet a hub that is gone.
    const { done: executing, output } = await startInProcess({ hub: { url: hubUrl }, callback: { port: callbackPort }, parties: { invalidFulfilment: hub.controlledPayee.invalidFulfilment } },
      { tags: '@concern:functional or @concern:security' });
    try {
      await waitForOutput(output, /✔ PASS {2}CTH-FUN-01/, 30_000);
    } finally {
      await hub.stop();
    }
    const { result } = await executing;
    assert.equal(result.diagnosis.length, 1, output());
    assert.match(result.diagnosis[0]!, /^http:\/\/127\.0\.0\.1:\d+ stopped answering: \d+ requests? got no HTTP answer from .* on \((connection refused by|connection to) 127\.0\.0\.1:\d+/, 'refused, or reset when a kept-alive connection died with the hub');
    assert.equal(output().match(/Diagnosis: /g)?.length, 1);
  });
});
