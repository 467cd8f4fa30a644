import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { before, describe, it } from 'node:test';
import type { ResultDocument } from '../../../src/reports/result-document.ts';
import { buildHarnessImages } from '../../../scripts/build-harness-images.ts';
import { runCli, startCli, tempDir, waitForOutput } from '../../helpers/cli.ts';
import { buildMiniImage, dockerOrSkip, leftovers, MINI_IMAGE } from '../../helpers/compose-mini.ts';

// The minimal core for real: the reference images built locally (no registry), the database through
// @testcontainers/mysql, the hub and the simulator as generic containers on one network, the
// functional guarantees run through it from the CLI, and nothing left behind — on success, on a
// service that never becomes ready (its logs kept) and on a missing image.

const skip = await dockerOrSkip();
const execFileAsync = promisify(execFile);
const readResult = async (reportsDir: string) => JSON.parse(await readFile(join(reportsDir, 'latest', 'result.json'), 'utf8')) as ResultDocument;
const FUN = Array.from({ length: 19 }, (_, i) => `CTH-FUN-${String(i + 1).padStart(2, '0')}`);

/** The project the run named in its progress line. */
function projectOf(stdout: string): string {
  const match = /minimal core (conformance-core-[0-9a-f]{6}): bringing up/.exec(stdout);
  assert.ok(match, `no bring-up line in:\n${stdout}`);
  return match[1]!;
}

describe('--minimal-core on a real Docker engine', { skip: skip ?? false }, () => {
  /** The images of this checkout by their content tags: another checkout moving `:local` cannot change what is tested. */
  const images: Record<string, string> = {};
  before(() => {
    for (const built of buildHarnessImages()) {
      const name = built.ref.split('/')[1]!.split(':')[0]!;
      images[name] = built.ref;
    }
  });

  it('brings up mysql, central-ledger and simulator with the images given, passes every functional guarantee through it, and leaves nothing behind', { timeout: 10 * 60_000 }, async () => {
    const reports = join(await tempDir('minimal-core'), 'reports');
    const { code, stdout, stderr } = await runCli('conformance', ['--minimal-core', '--tier', 'core-test-harness', '--reports-dir', reports,
      '--image', `central-ledger=${images['reference-hub']}`, '--image', `simulator=${images['reference-hub']}`, '--image', `mysql=${images.mariadb}`,
      // CTH-CI-01 (functional too) is the harness's own job: what the core must evaluate is everything asked of its FSPIOP API.
      '--require-evaluated', '@needs:fspiop-api']);
    const project = projectOf(stdout);
    assert.equal(code, 0, stderr + stdout);
    for (const service of ['mysql', 'central-ledger', 'simulator']) assert.match(stdout, new RegExp(`minimal core ${project}: ${service} ready \\(\\d+\\.\\d s\\)`));
    const result = await readResult(reports);
    assert.match(result.environment!.summary, new RegExp(`^minimal core ${project} .*mysql ${images.mariadb}, central-ledger ${images['reference-hub']}, simulator ${images['reference-hub']}, one network — no harness, no message broker$`));
    assert.ok(result.environment!.notes!.some((n) => /^no message broker: .*@testcontainers\/kafka needs a Kafka image/.test(n)), JSON.stringify(result.environment));
    assert.ok(result.environment!.notes!.some((n) => /callbacks reach us at http:\/\/[\d.]+:\d+ \(the gateway of the minimal core's network\)/.test(n)));
    const verdict = new Map(result.guarantees.map((g) => [g.id, g]));
    for (const id of [...FUN, 'CTH-SEC-01', 'CTH-LIM-01']) {
      assert.equal(verdict.get(id)!.verdict, 'PASS', `${id}: ${verdict.get(id)!.reason ?? JSON.stringify(verdict.get(id)!.evidence)}`);
    }
    // The deployment is not the harness's: those guarantees say so, never guessed from the core.
    for (const id of ['CTH-DEP-01', 'CTH-DEP-09', 'CTH-SEC-02', 'CTH-CI-01']) {
      assert.equal(verdict.get(id)!.verdict, 'NOT_EVALUATED', id);
      assert.match(verdict.get(id)!.reason!, /the minimal core is not the harness/, id);
    }
    assert.match(verdict.get('CTH-RES-01')!.reason!, /the minimal core is not the harness/);
    assert.deepEqual(await leftovers(project), []);
  });

  it('kills its database under load (the helm tier\'s RSL-03): the evidence names the container hit, its port kept, and nothing is left', { timeout: 8 * 60_000 }, async () => {
    const reports = join(await tempDir('minimal-core-rsl'), 'reports');
    const { stdout, stderr } = await runCli('conformance', ['--minimal-core', '--tier', 'helm', '--runner', 'builtin', '--tags', '@guarantee:HELM-RSL-03', '--reports-dir', reports,
      '--image', `central-ledger=${images['reference-hub']}`, '--image', `simulator=${images['reference-hub']}`, '--image', `mysql=${images.mariadb}`], { timeoutMs: 7 * 60_000 });
    const project = projectOf(stdout);
    const rsl = (await readResult(reports)).guarantees.find((g) => g.id === 'HELM-RSL-03')!;
    // Under the smoke profile a pass is NOT EVALUATED with what was measured; a failure would be FAIL. Either way, measured.
    assert.notEqual(rsl.verdict, 'PASS');
    const text = JSON.stringify(rsl);
    assert.match(text, new RegExp(`container ${project}-mysql \\(service mysql, id [0-9a-f]{12}\\) killed with SIGKILL and started again by the run`), `${text}\n${stdout}${stderr}`);
    assert.doesNotMatch(text, /ports moved/);
    assert.match(text, /committed transfers lost: \d+ of \d+/);
    assert.deepEqual(await leftovers(project), []);
  });

  it('a service that never becomes ready: exit 4, one line naming it, its logs kept, everything torn down', { timeout: 5 * 60_000 }, async () => {
    const dir = await tempDir('minimal-core-sick');
    const config = join(dir, 'conformance.yaml');
    // The hub starts and serves, but is asked for a health path it does not have: it never becomes ready.
    await writeFile(config, [
      'target: compose',
      'compose:',
      '  startupMs: 15000',
      `  images: { mysql: "${images.mariadb}" }`,
      '  minimalCore:',
      '    enabled: true',
      '    services:',
      '      central-ledger:',
      `        image: "${images['reference-hub']}"`,
      '        command: [bin/hub.mjs, --host=0.0.0.0, --port=3000, --admin-port=3001, "--ledger=mysql://central_ledger:password@mysql:3306/central_ledger"]',
      '        ports: [3000, 3001]',
      '        health: { port: 3001, path: /never-ready }',
    ].join('\n'));
    const reports = join(dir, 'reports');
    const { code, stdout, stderr } = await runCli('conformance', ['-c', config, '--tier', 'core-test-harness', '--reports-dir', reports]);
    const project = projectOf(stdout);
    assert.equal(code, 4, stderr + stdout);
    const errors = stdout.split('\n').filter((l) => l.startsWith('error:'));
    assert.equal(errors.length, 1, stdout);
    assert.match(errors[0]!, new RegExp(`^error: the minimal core did not come up \\(${project}\\): central-ledger \\(${images['reference-hub']!.replace(/[.:/]/g, '\\$&')}\\): .*; logs: .*compose-logs/central-ledger\\.log; torn down$`));
    // What the hub wrote before it was given up on: the evidence of why.
    assert.match(await readFile(join(reports, 'compose-logs', 'central-ledger.log'), 'utf8'), /3001/);
    assert.deepEqual(await leftovers(project), []);
  });

  it('an image that is not on the engine: exit 4 at once, naming it, nothing created', { timeout: 60_000 }, async () => {
    const before = await leftovers('conformance-core-');
    const { code, stdout, stderr } = await runCli('conformance', ['--minimal-core', '--image', 'central-ledger=conformance-test/absent:nope', '--reports-dir', join(await tempDir('minimal-core-absent'), 'reports')]);
    assert.equal(code, 4, stderr + stdout);
    assert.match(stdout, /\nerror: the minimal core's images are not on the Docker engine .*: conformance-test\/absent:nope \(central-ledger\); the run pulls nothing — build them \(npm run harness:images builds the reference ones\) or docker pull them first\n/);
    assert.deepEqual(await leftovers('conformance-core-'), before);
  });

  it('Ctrl-C during bring-up lets the start under way settle, then tears everything down (exit 130)', { timeout: 5 * 60_000 }, async () => {
    const reports = join(await tempDir('minimal-core-ctrl-c'), 'reports');
    const cli = startCli('conformance', ['--minimal-core', '--reports-dir', reports,
      '--image', `central-ledger=${images['reference-hub']}`, '--image', `simulator=${images['reference-hub']}`, '--image', `mysql=${images.mariadb}`], { timeoutMs: 4 * 60_000 });
    // mysql is ready and central-ledger's start is under way: its container is created after the interrupt unless the run waits for it.
    const up = await waitForOutput(cli.output, /minimal core (conformance-core-[0-9a-f]{6}): mysql ready/, 120_000);
    cli.child.kill('SIGINT');
    const { code, stdout, stderr } = await cli.done;
    assert.equal(code, 130, stderr + stdout);
    assert.match(stdout, /SIGINT received — stopping, tearing down .*\(press Ctrl-C again to leave \d+ containers? running: minimal core /);
    assert.deepEqual(await leftovers(up[1]!), []);
  });

  it('Ctrl-C tears down saying what a second would leave; a second exits 130 at once with the command that removes what is left', { timeout: 5 * 60_000 }, async () => {
    await buildMiniImage();
    const dir = await tempDir('minimal-core-interrupt');
    const config = join(dir, 'conformance.yaml');
    // A service of the compose tests' image: Node as PID 1 without a SIGTERM handler ignores SIGTERM,
    // so stopping it takes the full 10 s stop timeout — a teardown long enough to interrupt.
    await writeFile(config, [
      'target: compose',
      'compose:',
      `  images: { mysql: "${images.mariadb}" }`,
      '  minimalCore:',
      '    enabled: true',
      '    services:',
      '      stubborn:',
      `        image: "${MINI_IMAGE}"`,
      '        command: [/node, /server.mjs]',
      '        environment: { SERVICE: stubborn, PORT: "8080" }',
      '        ports: [8080]',
      '        health: { port: 8080, path: /health }',
    ].join('\n'));
    const cli = startCli('conformance', ['-c', config, '--reports-dir', join(dir, 'reports')]);
    const up = await waitForOutput(cli.output, /minimal core (conformance-core-[0-9a-f]{6}): stubborn ready/, 120_000);
    const project = up[1]!;
    cli.child.kill('SIGINT');
    const hint = await waitForOutput(cli.output, /SIGINT received — stopping, tearing down .*\(press Ctrl-C again to leave (\d+) containers running: minimal core (\S+)\)/, 10_000);
    assert.equal(hint[1], '2');
    assert.equal(hint[2], project);
    // Past the window in which a repeat is npm's echo of the same Ctrl-C (1 s); stopping stubborn takes 10 s.
    await sleep(1500);
    const sent = Date.now();
    cli.child.kill('SIGINT');
    const { code, stderr } = await cli.done;
    assert.equal(code, 130, stderr);
    assert.ok(Date.now() - sent < 5000, 'the second Ctrl-C must not wait for the teardown');
    const line = new RegExp(`^  minimal core ${project} \\(2 containers\\): remove it with \`(.+)\`$`, 'm').exec(stderr);
    assert.ok(line, stderr);
    assert.notDeepEqual(await leftovers(project), []);
    await execFileAsync('sh', ['-c', line[1]!], { timeout: 120_000 });
    assert.deepEqual(await leftovers(project), []);
  });
});
