import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ResultDocument } from '../../src/reports/result-document.ts';
import { pathWithout, runCli, startCli, tempDir, waitForOutput } from '../helpers/cli.ts';
import { freePort } from '../helpers/servers.ts';

const readResult = async (reportsDir: string) =>
  JSON.parse(await readFile(join(reportsDir, 'latest', 'result.json'), 'utf8')) as ResultDocument;

const verdictLines = (stdout: string) => stdout.split('\n').filter((line) => /^(✔ PASS|✘ FAIL|○ NOT EVALUATED) /.test(line));

// Whole conformance runs through the CLI; the CLI's user mistakes are in conformance-cli-mistakes.e2e.test.ts.
describe('npm run conformance (embedded target)', () => {
  it('evaluates the Core Test Harness guarantees the embedded target can, and writes the result and Allure files', async () => {
    const reports = await tempDir('reports');
    const { code, stdout, stderr } = await runCli('conformance', ['--reports-dir', reports]);
    assert.equal(code, 0, stderr + stdout);
    const passed = verdictLines(stdout).filter((l) => l.startsWith('✔ PASS')).map((l) => l.split('  ')[1]);
    assert.deepEqual(passed, [...Array.from({ length: 19 }, (_, i) => `CTH-FUN-${String(i + 1).padStart(2, '0')}`), 'CTH-LIM-01', 'CTH-SEC-01']);
    assert.match(stdout, /Certificate: INCOMPLETE \(tier core-test-harness, profile smoke; development and testing only\): 17 not evaluated/);

    const result = await readResult(reports);
    assert.equal(result.tier, 'core-test-harness');
    assert.equal(result.target, 'embedded');
    assert.equal(result.profile, 'smoke');
    assert.equal(result.certificate.status, 'INCOMPLETE');
    assert.equal(result.certificate.scope, 'development and testing only');
    assert.equal(result.exitCode, 0);
    for (const guarantee of result.guarantees) {
      if (guarantee.verdict === 'PASS') {
        assert.ok(guarantee.measured && guarantee.threshold, `${guarantee.id} names measured value and threshold`);
        assert.ok(guarantee.evidence.every((m) => m.source.includes('http://127.0.0.1:') || m.source.startsWith('certificate rules')), 'each measurement says where it came from');
      } else {
        assert.equal(guarantee.verdict, 'NOT_EVALUATED');
        assert.match(guarantee.reason!, /^needs .+; the embedded target|no reviewer attestation/, guarantee.id);
      }
    }
    const golden = result.guarantees.find((g) => g.id === 'CTH-FUN-01')!;
    assert.match(golden.measured!, /transfer state: COMMITTED/);
    assert.match(golden.measured!, /quoted transfer amount: 100 USD/);
    assert.equal(result.callbacks?.accepted, 48);

    const allure = await readdir(join(reports, 'allure-results'));
    assert.equal(allure.filter((f) => f.endsWith('-result.json')).length, result.guarantees.length);
    assert.ok(allure.includes('environment.properties'));
  });
});

// Runs that start (or try to start) a target and stop there: each loads the whole run.
describe('npm run conformance (a target that cannot be used)', () => {
  it('exits 4 naming the port when the callback port is taken', async () => {
    const reports = await tempDir('reports');
    const hub = startCli('hub', []);
    const blocker = createServer();
    try {
      const [, hubUrl] = await waitForOutput(hub.output, /listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const { port } = blocker.address() as { port: number };
      const { code, stdout } = await runCli('conformance', ['--hub-url', hubUrl!, '--callback-port', String(port), '--reports-dir', reports]);
      assert.equal(code, 4, stdout);
      assert.match(stdout, new RegExp(`error: callback port ${port} on 127.0.0.1 is already in use; choose another with --callback-port`));
    } finally {
      blocker.close();
      hub.child.kill('SIGINT');
      await hub.done;
    }
  });

  it('exits 4, not with an internal error, for an unreachable https hub', async () => {
    const reports = await tempDir('reports');
    const port = await freePort();
    const { code, stdout } = await runCli('conformance', ['--hub-url', `https://127.0.0.1:${port}`, '--reports-dir', reports]);
    assert.equal(code, 4, stdout);
    assert.match(stdout, /is unreachable \(connection refused\)/);
  });
});

describe('npm run conformance --runner k6 on a machine without k6 (PATH controlled by the test)', () => {
  const withoutK6 = { env: { PATH: pathWithout('k6') } };

  it('runs with --runner k6 when no selected scenario starts a load, since k6 would never be used', async () => {
    const { code, stdout } = await runCli('conformance', ['--runner', 'k6', '--tags', '@guarantee:CTH-FUN-01'], withoutK6);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /✔ PASS +CTH-FUN-01/);
    assert.doesNotMatch(stdout, /k6/);
  });

  it('takes the builtin runner under auto, and says why', async () => {
    const run = startCli('conformance', ['--tier', 'helm', '--tags', '@guarantee:HELM-SLA-01'], withoutK6);
    try {
      await waitForOutput(run.output, /load runner: builtin \(auto: no k6 on PATH\)/, 60_000);
    } finally {
      run.child.kill('SIGINT');
      await run.done;
    }
  });
});

describe('npm run conformance --target url against npm run hub', () => {
  it('with only the config the hub printed, the run provisions its own DFSPs and evaluates every functional guarantee; a second run re-uses them', async () => {
    const hub = startCli('hub', ['--fspiop-version', '2.0']);
    try {
      const [printed] = await waitForOutput(hub.output, /^ {2}target: url\n {2}hub:\n(?: {4}.*\n)+ {2}callback:\n {4}port: 4100\n/m, 60_000);
      assert.match(hub.output(), /reference hub \(its own callbacks in FSPIOP v2\.0\)/);
      // Tests run side by side: our DFSPs listen on free ports instead of the printed 4100 and 4101.
      const config = `${printed!.replace(/^ {2}/gm, '').replace('port: 4100', `port: ${await freePort()}`)}provision:\n  payee:\n    port: ${await freePort()}\n`;
      const dir = await tempDir('config');
      await writeFile(join(dir, 'hub.yaml'), config);
      const reports = await tempDir('reports');
      const functional = (result: Awaited<ReturnType<typeof readResult>>) => result.guarantees.filter((g) => g.id.startsWith('CTH-FUN-')).map((g) => [g.id, g.verdict]);
      const everyFunctionalPass = Array.from({ length: 19 }, (_, i) => [`CTH-FUN-${String(i + 1).padStart(2, '0')}`, 'PASS']);

      const first = await runCli('conformance', ['--config', join(dir, 'hub.yaml'), '--reports-dir', reports, '--require-evaluated', '@concern:functional and @needs:fspiop-api']);
      assert.equal(first.code, 0, first.stdout);
      assert.match(first.stdout, /provisioned conformancepayer \(payer\), conformancepayee \(payee\) and conformanceother \(bystander, party to none of our transfers\) on http:\/\/127\.0\.0\.1:\d+: [1-9]\d* created/);
      const result = await readResult(reports);
      assert.equal(result.target, 'url');
      assert.deepEqual(functional(result), everyFunctionalPass);

      const second = await runCli('conformance', ['--config', join(dir, 'hub.yaml'), '--reports-dir', reports]);
      assert.equal(second.code, 0, second.stdout);
      assert.match(second.stdout, /: 0 created, 0 changed, \d+ already there/);
      assert.deepEqual(functional(await readResult(reports)), everyFunctionalPass);
    } finally {
      hub.child.kill('SIGINT');
      const stopped = await hub.done;
      assert.equal(stopped.code, 0, 'the hub stops cleanly on Ctrl-C');
    }
  });
});

describe('npm run conformance interrupted', () => {
  it('on SIGINT tears everything down, writes what was measured and exits 130', async () => {
    const reports = await tempDir('reports');
    const dir = await tempDir('config');
    const config = join(dir, 'slow.yaml');
    await writeFile(config, 'embedded:\n  payeeDelayMs: 1500\n');
    const run = startCli('conformance', ['--config', config, '--reports-dir', reports]);
    const output = await waitForOutput(run.output, /✔ PASS {2}CTH-FUN-01/, 90_000);
    assert.ok(output);
    const ports = [...run.output().matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
    assert.equal(ports.length, 4, 'hub, its admin API, payee DFSP and callback server were announced');
    run.child.kill('SIGINT');
    const { code, stdout } = await run.done;
    assert.equal(code, 130, stdout);
    assert.match(stdout, /SIGINT received/);

    const result = await readResult(reports);
    assert.equal(result.interrupted, true);
    assert.equal(result.guarantees.find((g) => g.id === 'CTH-FUN-01')?.verdict, 'PASS', 'what finished keeps its verdict');
    const unfinished = result.guarantees.filter((g) => /interrupted before this guarantee was evaluated/.test(g.reason ?? ''));
    assert.ok(unfinished.length >= 1);
    assert.ok(unfinished.every((g) => g.verdict === 'NOT_EVALUATED'));
    assert.ok(!result.guarantees.some((g) => g.verdict === 'FAIL'), 'tearing down under a running step is not a failure of the hub');

    for (const port of ports) assert.equal(await accepts(port), false, `port ${port} is closed`);
  });

  it('survives a second SIGINT during teardown (Ctrl-C under npm delivers two) and still writes the result', async () => {
    const reports = await tempDir('reports');
    const dir = await tempDir('config');
    const config = join(dir, 'slow.yaml');
    await writeFile(config, 'embedded:\n  payeeDelayMs: 1500\n');
    const run = startCli('conformance', ['--config', config, '--reports-dir', reports]);
    await waitForOutput(run.output, /callbacks +http/, 60_000);
    run.child.kill('SIGINT');
    await waitForOutput(run.output, /SIGINT received/, 30_000);
    run.child.kill('SIGINT');
    const { code, stdout } = await run.done;
    assert.equal(code, 130, stdout);
    assert.match(stdout, /^Guarantees: 38 · /m);
    assert.equal((await readResult(reports)).interrupted, true);
  });
});

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
