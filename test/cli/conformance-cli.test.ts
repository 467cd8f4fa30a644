import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TIERS } from '../../src/config/schema.ts';
import type { ResultDocument } from '../../src/reports/result-document.ts';
import { ROOT, runCli, startCli, tempDir, waitForOutput } from '../helpers/cli.ts';
import { freePort } from '../helpers/servers.ts';

const readResult = async (reportsDir: string) =>
  JSON.parse(await readFile(join(reportsDir, 'latest', 'result.json'), 'utf8')) as ResultDocument;

const verdictLines = (stdout: string) => stdout.split('\n').filter((line) => /^(✔ PASS|✘ FAIL|○ NOT EVALUATED) /.test(line));

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

  it('lists the catalogue: tier → guarantee → capability needed', async () => {
    const { code, stdout } = await runCli('conformance', ['--list']);
    assert.equal(code, 0);
    for (const tier of TIERS) assert.match(stdout, new RegExp(`^${tier} — \\d+ guarantees$`, 'm'));
    assert.match(stdout, /HELM-SLA-01 +sla +needs load +Throughput: 1000 transfers per second sustained for 1 hour/);
    assert.match(stdout, /ML-DEP-05 +deployment +needs kubernetes-inventory +No ingress\/egress components/);
  });

});

describe('npm run conformance (user mistakes)', () => {
  it('runs the README\'s example config against the hub URL it names — never a green run on the embedded hub', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const example = /## Configuration[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
    assert.match(example, /hub: \{ url: http:\/\/127\.0\.0\.1:4000 \}/);
    assert.doesNotMatch(example, /^target:/m, 'the example names a hub, not a target');
    const port = await freePort();
    const dir = await tempDir('config');
    await writeFile(join(dir, 'readme.yaml'), example.replace('127.0.0.1:4000', `127.0.0.1:${port}`));
    const { code, stdout, userDir } = await runCli('conformance', ['--config', join(dir, 'readme.yaml')]);
    assert.equal(code, 4, stdout);
    assert.match(stdout.split('\n')[0]!, new RegExp(`^Mojaloop conformance — tier core-test-harness · target url http://127.0.0.1:${port} · profile smoke$`));
    assert.match(stdout, new RegExp(`error: hub at http://127.0.0.1:${port} is unreachable`));
    const result = await readResult(join(userDir, 'reports'));
    assert.equal(result.target, 'url');
    assert.equal(result.hubUrl, `http://127.0.0.1:${port}`);
    assert.equal(result.exitCode, 4);
  });

  it('refuses --target embedded with a hub URL instead of dropping the URL', async () => {
    const { code, stderr } = await runCli('conformance', ['--target', 'embedded', '--hub-url', 'http://127.0.0.1:4000']);
    assert.equal(code, 2);
    assert.match(stderr, /^error: Invalid configuration: hub\.url: the embedded target starts its own hub and would ignore this URL; to test the hub at this URL use target "url"/);
  });

  it('exits 2 with one line and a result for a malformed URL in any URL option', async () => {
    for (const [flag, value] of [['--hub-url', 'notaurl'], ['--callback-public-url', 'notaurl']] as const) {
      const { code, stdout, stderr, userDir } = await runCli('conformance', [flag, value]);
      assert.equal(code, 2, stderr);
      assert.equal(stdout, '');
      assert.equal(stderr.split('\n').filter(Boolean).length, 1, stderr);
      assert.match(stderr, /must be an http:\/\/ or https:\/\/ URL .* \(got text that is no URL\)/);
      const result = await readResult(join(userDir, 'reports'));
      assert.equal(result.exitCode, 2);
      assert.match(result.error!, /must be an http:\/\/ or https:\/\/ URL/);
    }
  });

  it('says which option lacks its value instead of "argument is ambiguous"', async () => {
    const { code, stderr } = await runCli('conformance', ['--tier', '--reports-dir', 'x']);
    assert.equal(code, 2);
    assert.equal(stderr, 'error: --tier needs a value, but is followed by "--reports-dir", which reads as an option; write --tier=--reports-dir if that is the value\n');
  });

  it('stops with one line and exit 4 when --runner k6 is asked for on a machine without k6', async () => {
    const { code, stdout } = await runCli('conformance', ['--runner', 'k6', '--tags', '@guarantee:CTH-FUN-01']);
    assert.equal(code, 4, stdout);
    assert.match(stdout, /^error: k6 is not installed \(no "k6" on PATH\): install it from https:\/\/grafana\.com\/docs\/k6\/latest\/set-up\/install-k6\/ or run with --runner builtin$/m);
    const auto = await runCli('conformance', ['--tags', '@guarantee:CTH-FUN-01']);
    assert.match(auto.stdout, /load runner: builtin \(auto: no k6 on PATH\)/);
  });

  it('refuses a reports folder it cannot create at once, even under /proc', async () => {
    const { code, stdout, stderr } = await runCli('conformance', ['--reports-dir', '/proc/conformance-test/reports']);
    assert.equal(code, 2, stdout + stderr);
    assert.match(stderr + stdout, /reports directory "\/proc\/conformance-test\/reports" cannot be written \(ENOENT\); choose another with --reports-dir/);
  });

  it('exits 2 with one line listing the valid tiers for an unknown tier', async () => {
    const { code, stdout, stderr } = await runCli('conformance', ['--tier', 'nosuchtier']);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(stderr, 'error: --tier "nosuchtier" is not one of: core-test-harness, miniloop, helm, iac\n');
  });

  it('exits 2 naming the field path of a wrong type in the config file, without a stack trace', async () => {
    const dir = await tempDir('config');
    const config = join(dir, 'conformance.yaml');
    await writeFile(config, 'timeouts:\n  callbackMs: soon\n');
    const { code, stderr } = await runCli('conformance', ['--config', config]);
    assert.equal(code, 2);
    assert.match(stderr, /^error: Invalid configuration ".*conformance.yaml": timeouts\.callbackMs: expected number, got string "soon"\n$/);
  });

  it('exits 4 and says how to get a hub when the url target is unreachable', async () => {
    const reports = await tempDir('reports');
    const port = await freePort();
    const { code, stdout } = await runCli('conformance', ['--hub-url', `http://127.0.0.1:${port}`, '--reports-dir', reports]);
    assert.equal(code, 4, stdout);
    assert.match(stdout, new RegExp(`error: hub at http://127.0.0.1:${port} is unreachable \\(connection refused\\); start it \\(e.g. \`npm run hub\`\\)`));
    assert.doesNotMatch(stdout, /\n\s+at /, 'no stack trace');
    const result = await readResult(reports);
    assert.match(result.error!, /unreachable/);
    assert.equal(result.certificate.status, 'INCOMPLETE');
  });

  it('exits 2 for a target this version cannot drive, still writing every guarantee as not evaluated', async () => {
    const reports = await tempDir('reports');
    for (const target of ['compose']) {
      const { code, stdout } = await runCli('conformance', ['--target', target, '--reports-dir', reports]);
      assert.equal(code, 2, stdout);
      assert.match(stdout, new RegExp(`error: target "${target}" .* is not available in this version; use --target`));
      assert.doesNotMatch(stdout, /\n\s+at /, 'no stack trace');
      const result = await readResult(reports);
      assert.equal(result.guarantees.length, 38);
      assert.ok(result.guarantees.every((g) => g.verdict === 'NOT_EVALUATED' && g.reason!.startsWith('the run stopped before any guarantee was evaluated: target')));
    }
  });

  it('exits 4 naming the port when the callback port is taken', async () => {
    const reports = await tempDir('reports');
    const hub = startCli('hub', []);
    const blocker = createServer();
    try {
      const [, hubUrl] = await waitForOutput(hub.output, /listening on (http:\/\/127\.0\.0\.1:\d+)/, 15_000);
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

  it('replaces the result in the config\'s reportsDir even when the config is invalid', async () => {
    const reports = await tempDir('reports');
    const dir = await tempDir('config');
    const config = join(dir, 'broken.yaml');
    await writeFile(config, `reportsDir: ${reports}\ntimeouts:\n  callbackMs: soon\n`);
    const { code } = await runCli('conformance', ['--config', config]);
    assert.equal(code, 2);
    const result = await readResult(reports) as unknown as { exitCode: number; certificate: { status: string }; summary: { failed: number }; error: string };
    assert.equal(result.exitCode, 2);
    assert.equal(result.certificate.status, 'INCOMPLETE');
    assert.equal(result.summary.failed, 0);
    assert.match(result.error, /timeouts\.callbackMs/);
  });

  it('exits 4, not with an internal error, for an unreachable https hub', async () => {
    const reports = await tempDir('reports');
    const port = await freePort();
    const { code, stdout } = await runCli('conformance', ['--hub-url', `https://127.0.0.1:${port}`, '--reports-dir', reports]);
    assert.equal(code, 4, stdout);
    assert.match(stdout, /is unreachable \(connection refused\)/);
  });

  it('explains tiers, targets and profiles with --help', async () => {
    const { code, stdout } = await runCli('conformance', ['--help']);
    assert.equal(code, 0);
    for (const word of ['core-test-harness', 'miniloop', 'helm', 'iac', 'embedded', 'url', 'compose', 'kubernetes', 'smoke', 'certify', 'Exit codes']) {
      assert.ok(stdout.includes(word), word);
    }
  });
});

describe('npm run hub (user mistakes)', () => {
  it('refuses a payer callback URL that is no URL, and a port out of range', async () => {
    const bad = await runCli('hub', ['--payer-callback-url', 'nope']);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'error: --payer-callback-url must be an http:// or https:// URL such as "http://127.0.0.1:4000" (got text that is no URL)\n');
    const port = await runCli('hub', ['--port', '70000']);
    assert.equal(port.code, 2);
    assert.match(port.stderr, /--port "70000" is not a port number/);
  });
});

describe('npm run conformance --target url against npm run hub', () => {
  it('with only the config the hub printed, the run provisions its own DFSPs and evaluates every functional guarantee; a second run re-uses them', async () => {
    const hub = startCli('hub', ['--fspiop-version', '2.0']);
    try {
      const [printed] = await waitForOutput(hub.output, /^ {2}target: url\n {2}hub:\n(?: {4}.*\n)+ {2}callback:\n {4}port: 4100\n/m, 15_000);
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
    const output = await waitForOutput(run.output, /✔ PASS {2}CTH-FUN-01/, 30_000);
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
    await waitForOutput(run.output, /callbacks +http/, 30_000);
    run.child.kill('SIGINT');
    await waitForOutput(run.output, /SIGINT received/, 10_000);
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
