import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { validateConfig } from '../../src/config/load-config.ts';
import { ReferenceDeployment } from '../../src/environment/embedded/reference-deployment.ts';
import { closeServer, freePort, listen } from '../helpers/servers.ts';
import { runInProcess } from '../helpers/run.ts';

/**
 * A real hub tried the way a QA engineer tries one: when no callback of the hub can reach the
 * run, every scenario would fail for a reason that is the wiring's, not the hub's. The run stops
 * after one round trip — nothing evaluated, exit 4, a Diagnosis naming the real cause.
 */
describe('the callback round trip before any scenario (url target)', () => {
  let callbackPort: number;
  let hub: ReferenceDeployment;
  let hubUrl: string;

  before(async () => {
    callbackPort = await freePort();
    hub = new ReferenceDeployment(validateConfig({}), { payerEndpoint: `http://127.0.0.1:${callbackPort}` });
    ({ hubUrl } = await hub.start());
  });
  after(() => hub.stop());

  const stoppedEarly = (result: Awaited<ReturnType<typeof runInProcess>>['result']) => {
    assert.ok(result.guarantees.length > 0 && result.guarantees.every((g) => g.verdict === 'NOT_EVALUATED'), 'no verdict is blamed on the hub');
    assert.equal(result.exitCode, 4);
  };

  it('a wrong callback port: the hub acknowledged, no callback arrived', async () => {
    const wrongPort = await freePort();
    const { result, exitCode, output } = await runInProcess({ hub: { url: hubUrl }, callback: { port: wrongPort } });
    assert.equal(exitCode, 4, output);
    stoppedEarly(result);
    assert.match(result.error!, /the hub acknowledged the first request \(GET http:\/\/127\.0\.0\.1:\d+\/parties\/MSISDN\/27700000404\) but no callback reached http:\/\/127\.0\.0\.1:\d+/);
    assert.deepEqual(result.diagnosis.length, 1);
    assert.match(result.diagnosis[0]!, /^No callback arrived at all: the hub acknowledged 1 request with 202/);
    assert.match(output, /Diagnosis/);
  });

  it('our own callback server refusing every callback (callback.maxBodyBytes too small) is said to be the run\'s configuration', async () => {
    const { result, exitCode } = await runInProcess({ hub: { url: hubUrl }, callback: { port: callbackPort, maxBodyBytes: 1 } });
    assert.equal(exitCode, 4);
    stoppedEarly(result);
    assert.match(result.error!, /our callback server refused them \(1 oversized\)/);
    assert.match(result.diagnosis[0]!, /larger than callback\.maxBodyBytes .* The fault is this run's configuration, not the hub's/);
  });

  it('a URL that is not an FSPIOP hub', async () => {
    const server = createServer((request, response) => {
      request.resume();
      response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
    });
    const url = await listen(server);
    try {
      const { result, exitCode } = await runInProcess({ hub: { url }, callback: { port: callbackPort } });
      assert.equal(exitCode, 4);
      stoppedEarly(result);
      assert.match(result.error!, /the hub refused the first request .* answered HTTP 404 instead of 202, with a text\/html body of 18 bytes \(not an FSPIOP error\)/);
      assert.match(result.diagnosis.join('\n'), /Is http:\/\/127\.0\.0\.1:\d+ the hub's FSPIOP endpoint\?/);
    } finally {
      await closeServer(server);
    }
  });

  it('--require-evaluated: a CI gate cannot go green on safety checks it skipped', async () => {
    const { exitCode, output } = await runInProcess({ hub: { url: hubUrl }, callback: { port: callbackPort } }, { requireEvaluated: '@concern:functional' });
    assert.equal(exitCode, 3, output);
    assert.match(output, /Exit 3: --require-evaluated "@concern:functional" matches \d+ guarantees not evaluated \(.*CTH-FUN-03, CTH-FUN-04.*\); each verdict above says why\./);
    const narrower = await runInProcess({ hub: { url: hubUrl }, callback: { port: callbackPort } }, { requireEvaluated: '@guarantee:CTH-FUN-01', tags: '@guarantee:CTH-FUN-01' });
    assert.equal(narrower.exitCode, 0, 'every guarantee it names was evaluated');
  });
});
