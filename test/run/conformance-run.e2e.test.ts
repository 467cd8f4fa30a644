import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { waitForOutput } from '../helpers/cli.ts';
import { runInProcess, startInProcess, functionalIds } from '../helpers/run.ts';

describe('ConformanceRun under bad callbacks', () => {
  it('rejects and counts malformed, unknown and oversized callbacks sent during a run, and still passes the golden path', async () => {
    const { done: executing, output } = await startInProcess({ embedded: { payeeDelayMs: 300 }, callback: { maxBodyBytes: 2048 } }, { tags: '@guarantee:CTH-FUN-01' });
    const [, callbackUrl] = await waitForOutput(output, /callbacks +(http:\/\/127\.0\.0\.1:\d+)/, 20_000);
    const headers = { 'content-type': 'application/vnd.interoperability.transfers+json;version=1.1', 'fspiop-source': 'switch', 'fspiop-destination': 'payerfsp' };
    const sent = await Promise.all([
      fetch(`${callbackUrl}/transfers/${crypto.randomUUID()}`, { method: 'PUT', headers, body: '{"transferState": COMMI' }),
      fetch(`${callbackUrl}/transfers/${crypto.randomUUID()}`, { method: 'PUT', headers, body: JSON.stringify({ transferState: 'COMMITTED' }) }),
      fetch(`${callbackUrl}/quotes/${crypto.randomUUID()}`, { method: 'PUT', headers, body: JSON.stringify({ pad: 'x'.repeat(10_000) }) }),
    ]);
    assert.deepEqual(sent.map((r) => r.status), [400, 404, 413]);
    const { result, exitCode } = await executing;

    assert.equal(exitCode, 0, output());
    assert.equal(result.guarantees.find((g) => g.id === 'CTH-FUN-01')?.verdict, 'PASS');
    assert.deepEqual(result.callbacks?.rejected, { 'malformed-json': 1, oversized: 1, 'unsupported-media-type': 0, 'unknown-path': 0, 'unknown-id': 1, forged: 0 });
    assert.match(output(), /Callbacks: 4 accepted, 0 late, 0 duplicate, 3 rejected \(malformed-json 1, oversized 1, unknown-id 1\)/);
  });
});

describe('ConformanceRun under forged callbacks', () => {
  it('rejects and counts forged callbacks for the predictable party path; every verdict stays as without them', async () => {
    const { done, config, output } = await startInProcess({ embedded: { payeeDelayMs: 200 } });
    let running = true;
    const executing = done.finally(() => { running = false; });
    const [, callbackUrl] = await waitForOutput(output, /callbacks +(http:\/\/127\.0\.0\.1:\d+)/, 20_000);
    // What an attacker on the network can send: the configured payee's party path, an error that would fail the lookup.
    const party = `${callbackUrl}/parties/${config.participants.payee.party.type}/${config.participants.payee.party.id}/error`;
    const forged = JSON.stringify({ errorInformation: { errorCode: '3204', errorDescription: 'Party not found' } });
    const contentType = 'application/vnd.interoperability.parties+json;version=1.1';
    let sent = 0;
    // The run ends on its own; the deadline only turns a run that never ends into a failure.
    const deadline = Date.now() + 120_000;
    while (running) {
      if (Date.now() > deadline) throw new Error(`the run did not end within 120 s of forgeries (${sent} sent)`);
      const statuses = await Promise.all([
        fetch(party, { method: 'PUT', headers: { 'content-type': contentType, 'fspiop-source': 'evilfsp', 'fspiop-destination': 'payerfsp' }, body: forged }),
        fetch(party, { method: 'PUT', headers: { 'content-type': contentType, 'fspiop-source': 'payeefsp', 'fspiop-destination': 'evilfsp' }, body: forged }),
      ].map((sending) => sending.then((r) => r.status, () => 0)));
      sent += statuses.filter((status) => status === 400).length;
    }
    const { result, exitCode } = await executing;

    assert.equal(exitCode, 0, output());
    assert.deepEqual(result.guarantees.filter((g) => g.verdict === 'PASS').map((g) => g.id), [...functionalIds('CTH'), 'CTH-LIM-01', 'CTH-SEC-01']);
    assert.ok(sent > 0, 'forgeries were sent while the guarantees ran');
    assert.equal(result.callbacks?.rejected.forged, sent);
    assert.equal(result.callbacks?.rejected['unknown-id'], 0, 'no genuine callback lost its request to a forgery');
    assert.match(output(), new RegExp(`rejected \\(forged ${sent}\\)`));
  });
});

describe('ConformanceRun against a slow hub', () => {
  it('waits as long as the configured callback timeout, not Cucumber\'s 5 s step limit', async () => {
    const { result, exitCode } = await runInProcess({ embedded: { payeeDelayMs: 5500 }, timeouts: { callbackMs: 15_000 } }, { tags: '@guarantee:CTH-SEC-01' });
    const verdict = result.guarantees.find((g) => g.id === 'CTH-SEC-01')!;
    assert.equal(verdict.verdict, 'PASS', verdict.reason ?? '');
    assert.ok(result.operations.lookup!.endToEndMs!.min > 5000, JSON.stringify(result.operations));
    assert.equal(exitCode, 0);
  });
});

describe('ConformanceRun interrupted in process', () => {
  it('has closed every port it opened by the time execute() returns — before any process exit', async () => {
    const { run, done: executing, output } = await startInProcess({ embedded: { payeeDelayMs: 1000 } }, { tags: '@guarantee:CTH-FUN-01 or @guarantee:CTH-FUN-03' });
    await waitForOutput(output, /callbacks +http:\/\/127\.0\.0\.1:\d+/, 20_000);
    run.interrupt('SIGINT');
    const { result, exitCode } = await executing;

    assert.equal(exitCode, 130);
    assert.equal(result.interrupted, true);
    const ports = [...output().matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
    assert.equal(ports.length, 4, output());
    for (const port of ports) assert.equal(await accepts(port), false, `port ${port} still accepts connections`);
  });
});

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
