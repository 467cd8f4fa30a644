import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { realpath, readFile, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { ResultDocument } from '../../src/reports/result-document.ts';
import { ROOT, runCli, startCli, tempDir, waitForOutput } from '../helpers/cli.ts';
import { buildMiniImage, composeDown, dockerOrSkip, leftovers, MINI_HARNESS } from '../helpers/compose-mini.ts';
import { freePort } from '../helpers/servers.ts';

const skip = await dockerOrSkip();
const execFileAsync = promisify(execFile);
/** A whole run through the harness: bring-up alone took 47 s on a machine at load 14 (2 cores); runCli's default 120 s is too tight for it. */
const RUN_BOUND_MS = 5 * 60_000;
const readResult = async (reportsDir: string) => JSON.parse(await readFile(join(reportsDir, 'latest', 'result.json'), 'utf8')) as ResultDocument;

/** A config that brings compose-mini up with the reference hub in it (service central-ledger, alias ml-api-adapter), and the env its compose file reads. */
async function harness(profiles: string[]) {
  const project = `ctest-${randomBytes(3).toString('hex')}`;
  const dir = await tempDir('compose-cli');
  const config = join(dir, 'conformance.yaml');
  await writeFile(config, [
    'target: compose',
    'compose:',
    `  harness: ${MINI_HARNESS}`,
    `  projectName: ${project}`,
    `  profiles: [${profiles.join(', ')}]`,
    // No endpoints: the defaults (ml-api-adapter:3000, central-ledger:3001) find the hub by its network alias.
  ].join('\n'));
  const env = {
    CONFORMANCE_ROOT: ROOT, CONFORMANCE_MODULES: await realpath(join(ROOT, 'node_modules')),
    MINI_FSPIOP_PORT: String(await freePort()), MINI_ADMIN_PORT: String(await freePort()),
  };
  return { project, config, env, reports: join(dir, 'reports') };
}

describe('npm run conformance --target compose on a real Docker engine', { skip: skip ?? false }, () => {
  const projects: string[] = [];
  before(async () => { await buildMiniImage(); });
  after(async () => { for (const project of projects) await composeDown(project); });

  it('brings the harness up, evaluates deployment, functional and CI guarantees through it, and leaves nothing behind', async () => {
    const h = await harness(['all-services', 'hub', 'ttk-provisioning', 'ttk-tests']);
    projects.push(h.project);
    const { code, stdout, stderr } = await runCli('conformance', ['-c', h.config, '--reports-dir', h.reports], { env: { ...h.env, TTK_TESTS_EXIT: '3' }, timeoutMs: RUN_BOUND_MS });
    assert.equal(code, 1, stderr + stdout);
    assert.match(stdout, new RegExp(`compose ${h.project}: central-ledger healthy`));
    assert.match(stdout, /callbacks reach us at http:\/\/[\d.]+:\d+ \(the gateway of the harness's network\)/);
    const result = await readResult(h.reports);
    const verdict = new Map(result.guarantees.map((g) => [g.id, g]));
    for (const id of ['CTH-DEP-01', 'CTH-DEP-02', 'CTH-DEP-03', 'CTH-DEP-04', 'CTH-DEP-05', 'CTH-DEP-06', 'CTH-DEP-07', 'CTH-DEP-10', 'CTH-DEP-11', 'CTH-SEC-01', 'CTH-SEC-02', 'CTH-RES-01', 'CTH-LIM-01',
      ...Array.from({ length: 19 }, (_, i) => `CTH-FUN-${String(i + 1).padStart(2, '0')}`)]) {
      assert.equal(verdict.get(id)!.verdict, 'PASS', `${id}: ${verdict.get(id)!.reason ?? JSON.stringify(verdict.get(id)!.evidence)}`);
    }
    // The harness's own golden-path job failed: its exit code is the verdict, its report is kept.
    const ci = verdict.get('CTH-CI-01')!;
    assert.equal(ci.verdict, 'FAIL');
    assert.match(String(ci.evidence[0]!.value), /^exit code 3 \(kept: .*compose-jobs\/ttk-tests-report\.html\)$/);
    assert.match(await readFile(join(h.reports, 'compose-jobs', 'ttk-tests-report.html'), 'utf8'), /exit code 3/);
    // mini names its services like the harness only in part: the rest is reported missing, not guessed.
    assert.equal(verdict.get('CTH-DEP-08')!.verdict, 'FAIL');
    assert.deepEqual(await leftovers(h.project), []);
  });

  it('kills the hub container under load and measures recovery and committed transfers (helm tier RSL scenarios)', async () => {
    const h = await harness(['all-services', 'hub']);
    projects.push(h.project);
    const { stdout, stderr } = await runCli('conformance', ['-c', h.config, '--reports-dir', h.reports, '--tier', 'helm', '--runner', 'builtin',
      '--tags', '@guarantee:HELM-RSL-01 or @guarantee:HELM-RSL-02'], { env: h.env, timeoutMs: RUN_BOUND_MS });
    const result = await readResult(h.reports);
    for (const id of ['HELM-RSL-01', 'HELM-RSL-02']) {
      const g = result.guarantees.find((v) => v.id === id)!;
      // Under the smoke profile a recovery that would pass is NOT EVALUATED with what was measured; a failure is FAIL.
      assert.notEqual(g.verdict, 'PASS', id);
      const text = JSON.stringify(g);
      assert.match(text, new RegExp(`container ${h.project}-central-ledger-1 \\(service central-ledger, id [0-9a-f]{12}\\) killed with SIGKILL`), `${id}: ${text}\n${stdout}${stderr}`);
    }
    assert.deepEqual(await leftovers(h.project), []);
  });

  it('tears the harness down on Ctrl-C during bring-up', async () => {
    const h = await harness(['all-services']);
    projects.push(h.project);
    const cli = startCli('conformance', ['-c', h.config, '--reports-dir', h.reports], { env: h.env });
    await waitForOutput(cli.output, new RegExp(`compose ${h.project}: bringing up`), 60_000);
    cli.child.kill('SIGINT');
    const { code } = await cli.done;
    assert.equal(code, 130);
    assert.deepEqual(await leftovers(h.project), []);
  });

  it('a second Ctrl-C during the teardown exits at once (130), naming the project it leaves and the command that removes it', async () => {
    // compose-mini's services are Node as PID 1 without a SIGTERM handler: they ignore SIGTERM, so
    // `compose down` waits its full 10 s stop timeout for each — a teardown long enough to interrupt.
    const h = await harness(['all-services']);
    projects.push(h.project);
    const cli = startCli('conformance', ['-c', h.config, '--reports-dir', h.reports], { env: h.env });
    await waitForOutput(cli.output, new RegExp(`compose ${h.project}: sidecar running`), 90_000);
    cli.child.kill('SIGINT');
    const hint = await waitForOutput(cli.output, /SIGINT received — stopping, tearing down .*\(press Ctrl-C again to leave (\d+) containers? running: compose project (\S+)\)/, 10_000);
    assert.ok(Number(hint[1]) >= 1, hint[0]);
    assert.equal(hint[2], h.project);
    // Past the window in which a repeat is npm's echo of the same Ctrl-C (1 s); the teardown lasts 10 s or more.
    await sleep(1500);
    const sent = Date.now();
    cli.child.kill('SIGINT');
    const { code, stderr } = await cli.done;
    const exitedAfterMs = Date.now() - sent;
    assert.equal(code, 130, stderr);
    assert.ok(exitedAfterMs < 5000, `exited ${exitedAfterMs} ms after the second SIGINT: it must not wait for the teardown`);
    assert.match(stderr, /^SIGINT again: exiting now, before the teardown finished — left running:$/m);
    const line = new RegExp(`^  compose project ${h.project} \\((\\d+) containers?\\): remove it with \`(docker compose -p ${h.project} down -v)\`$`, 'm').exec(stderr);
    assert.ok(line, stderr);
    // What it says it left is there, and the command it printed removes it.
    assert.notDeepEqual(await leftovers(h.project), []);
    await execFileAsync('sh', ['-c', line[2]!], { timeout: 120_000 });
    assert.deepEqual(await leftovers(h.project), []);
  });
});
