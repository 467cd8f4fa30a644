import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TIERS } from '../../src/config/schema.ts';
import type { ResultDocument } from '../../src/reports/result-document.ts';
import { pathWithout, ROOT, runCli, startCli, tempDir, waitForOutput } from '../helpers/cli.ts';
import { freePort } from '../helpers/servers.ts';

const readResult = async (reportsDir: string) =>
  JSON.parse(await readFile(join(reportsDir, 'latest', 'result.json'), 'utf8')) as ResultDocument;

describe('npm run conformance --list', () => {
  it('lists the catalogue: tier → guarantee → capability needed', async () => {
    const { code, stdout } = await runCli('conformance', ['--list']);
    assert.equal(code, 0);
    for (const tier of TIERS) assert.match(stdout, new RegExp(`^${tier} — \\d+ guarantees$`, 'm'));
    assert.match(stdout, /HELM-SLA-01 +sla +needs load +Throughput: 1000 transfers per second sustained for 1 hour/);
    assert.match(stdout, /ML-DEP-05 +deployment +needs kubernetes-inventory +No ingress\/egress components/);
  });
});

// Each test is its own child process with its own folders and ports: they run side by side.
describe('npm run conformance (user mistakes)', { concurrency: true }, () => {
  it('runs the README\'s example config against the hub URL it names — never a green run on the embedded hub — and says how to get a hub when none answers there', async () => {
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
    // Unreachable: one line that says how to get a hub, no stack, and the same in the result.
    assert.match(stdout, new RegExp(`error: hub at http://127.0.0.1:${port} is unreachable \\(connection refused\\); start it \\(e.g. \`npm run hub\`\\)`));
    assert.doesNotMatch(stdout, /\n\s+at /, 'no stack trace');
    const result = await readResult(join(userDir, 'reports'));
    assert.equal(result.target, 'url');
    assert.equal(result.hubUrl, `http://127.0.0.1:${port}`);
    assert.equal(result.exitCode, 4);
    assert.match(result.error!, /unreachable/);
    assert.equal(result.certificate.status, 'INCOMPLETE');
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

  describe('on a machine without k6 (PATH controlled by the test, whatever this machine has)', () => {
    const withoutK6 = { env: { PATH: pathWithout('k6') } };

    it('stops with one line and exit 4 when --runner k6 is asked for a run that starts a load', async () => {
      const { code, stdout } = await runCli('conformance', ['--tier', 'helm', '--runner', 'k6', '--tags', '@guarantee:HELM-SLA-01'], withoutK6);
      assert.equal(code, 4, stdout);
      assert.match(stdout, /^error: k6 is not installed \(no "k6" on PATH\): install it from https:\/\/grafana\.com\/docs\/k6\/latest\/set-up\/install-k6\/ or run with --runner builtin$/m);
    });

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

  it('removes nothing from allure-results/ on a usage error: the folder is shared with other tools', async () => {
    const reports = await tempDir('reports');
    await mkdir(join(reports, 'allure-results'));
    const files = ['other-tool-result.json', 'ours-result.json', '.mojaloop-conformance-files.json'];
    await writeFile(join(reports, 'allure-results', files[0]!), '{}');
    await writeFile(join(reports, 'allure-results', files[1]!), '{}');
    await writeFile(join(reports, 'allure-results', files[2]!), JSON.stringify({ ours: [files[1]] }));
    const { code } = await runCli('conformance', ['--tier', 'nosuchtier', '--reports-dir', reports]);
    assert.equal(code, 2);
    assert.deepEqual((await readdir(join(reports, 'allure-results'))).sort(), [...files].sort());
    assert.equal((await readResult(reports)).exitCode, 2, 'the result still says this command did not run');
  });

  it('refused for a reports folder another run holds, names no report: the files there are the other run\'s', async () => {
    const reports = await tempDir('reports');
    // Held by a live process (this test's), as by a run in progress.
    await writeFile(join(reports, '.run.lock'), JSON.stringify({ pid: process.pid, startedAt: '2026-12-05T05:00:00.000Z', token: 'other-run' }));
    const { code, stdout, stderr } = await runCli('conformance', ['--reports-dir', reports]);
    assert.equal(code, 2, stdout + stderr);
    assert.match(stdout + stderr, new RegExp(`error: reports folder "${reports}" is in use by another run \\(process ${process.pid}, started 2026-12-05T05:00:00.000Z\\)`));
    assert.doesNotMatch(stdout + stderr, /Report:|result\.json/);
  });

  it('exits 2 naming the field path of a wrong type in the config file, without a stack trace', async () => {
    const dir = await tempDir('config');
    const config = join(dir, 'conformance.yaml');
    await writeFile(config, 'timeouts:\n  callbackMs: soon\n');
    const { code, stderr } = await runCli('conformance', ['--config', config]);
    assert.equal(code, 2);
    assert.match(stderr, /^error: Invalid configuration ".*conformance.yaml": timeouts\.callbackMs: expected number, got string "soon"\n$/);
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

  it('explains tiers, targets and profiles with --help', async () => {
    const { code, stdout } = await runCli('conformance', ['--help']);
    assert.equal(code, 0);
    for (const word of ['core-test-harness', 'miniloop', 'helm', 'iac', 'embedded', 'url', 'compose', 'kubernetes', 'smoke', 'certify', 'Exit codes']) {
      assert.ok(stdout.includes(word), word);
    }
  });
});

describe('a ledger folder (embedded.dataDir, --data-dir) that does not exist', { concurrency: true }, () => {
  it('is created by npm run hub, which then keeps its ledger there', async () => {
    const dataDir = join(await tempDir('data'), 'hub', 'ledger');
    const hub = startCli('hub', ['--data-dir', dataDir]);
    try {
      // A bound for a loaded machine, not a race: the hub prints this line within a second or two when idle.
      await waitForOutput(hub.output, /listening on http/, 60_000);
      assert.ok((await readdir(dataDir)).includes('hub-ledger.sqlite'));
    } finally {
      hub.child.kill('SIGINT');
      await hub.done;
    }
  });

  it('that cannot be created is exit 2 naming the field and the path, for the hub and for a run', async () => {
    const dir = await tempDir('data');
    await writeFile(join(dir, 'a-file'), '');
    const unwritable = join(dir, 'a-file', 'ledger');
    const hub = await runCli('hub', ['--data-dir', unwritable]);
    assert.equal(hub.code, 2, hub.stderr);
    assert.equal(hub.stderr, `error: --data-dir: the folder "${unwritable}" cannot be created (ENOTDIR); name a folder you can write, or leave it out\n`);
    await writeFile(join(dir, 'conformance.yaml'), `embedded: { dataDir: ${JSON.stringify(unwritable)} }\n`);
    const run = await runCli('conformance', ['--config', join(dir, 'conformance.yaml')]);
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stderr, `error: embedded.dataDir: the folder "${unwritable}" cannot be created (ENOTDIR); name a folder you can write, or leave it out\n`);
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
