import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ResultDocument } from '../../src/reports/result-document.ts';
import { ROOT, runCli, tempDir } from '../helpers/cli.ts';

const UPSTREAM = join(ROOT, 'fixtures', 'upstream', 'ml-core-test-harness');
const readResult = async (reportsDir: string) => JSON.parse(await readFile(join(reportsDir, 'latest', 'result.json'), 'utf8')) as ResultDocument;
/** The deployment guarantees the harness's compose files alone show. */
const FROM_DEFINITION = ['CTH-DEP-01', 'CTH-DEP-02', 'CTH-DEP-03', 'CTH-DEP-04', 'CTH-DEP-05', 'CTH-DEP-06', 'CTH-DEP-07', 'CTH-DEP-10', 'CTH-DEP-11'];

function assertDefinitionVerdicts(result: ResultDocument): void {
  const passed = result.guarantees.filter((g) => g.verdict === 'PASS').map((g) => g.id);
  assert.deepEqual(passed, FROM_DEFINITION);
  for (const g of result.guarantees.filter((v) => v.verdict === 'PASS')) {
    assert.ok(g.evidence.every((m) => /^compose definition .*ml-core-test-harness \(docker-compose\.yml; env dot-env; profiles all-services, ttk-provisioning\)$/.test(m.source)), `${g.id}: ${JSON.stringify(g.evidence)}`);
  }
  assert.equal(result.guarantees.filter((g) => g.verdict === 'FAIL').length, 0);
  for (const g of result.guarantees.filter((v) => v.verdict === 'NOT_EVALUATED')) assert.ok(g.reason, g.id);
  const byId = new Map(result.guarantees.map((g) => [g.id, g]));
  assert.match(byId.get('CTH-DEP-08')!.reason!, /central-ledger.*whether they are healthy needs the running containers/);
  assert.match(byId.get('CTH-SEC-02')!.reason!, /9440→4040 \(mojaloop-testing-toolkit\).*reachable without credentials needs the running deployment/);
  assert.match(byId.get('CTH-FUN-01')!.reason!, /compose definition/);
}

describe('npm run conformance --target compose without bringing anything up', () => {
  it('evaluates the deployment guarantees from the real harness files (--definition-only)', async () => {
    const reports = await tempDir('reports');
    // Bounded by runCli's timeout; its speed (about 6 s on an idle machine) is measured, not asserted: the machines tests run on are shared.
    const { code, stdout, stderr } = await runCli('conformance', ['--target', 'compose', '--harness', UPSTREAM, '--definition-only', '--reports-dir', reports]);
    assert.equal(code, 0, stderr + stdout);
    assert.match(stdout, /compose definition .*ml-core-test-harness \(docker-compose\.yml\), profiles all-services, ttk-provisioning — nothing started/);
    const result = await readResult(reports);
    assert.equal(result.target, 'compose');
    assertDefinitionVerdicts(result);
  });

  it('--harness alone means the compose target; bare --target compose is a config error on one line', async () => {
    const reports = await tempDir('reports');
    const { code, stdout, stderr } = await runCli('conformance', ['--target', 'compose', '--reports-dir', reports]);
    assert.equal(code, 2, stdout);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /^error: Invalid configuration: compose\.harness: required when target is "compose": .*--harness DIR/);
    assert.doesNotMatch(stderr + stdout, /\n\s+at /, 'no stack trace');
  });

  it('names a harness folder that does not exist', async () => {
    const reports = await tempDir('reports');
    const { code, stdout } = await runCli('conformance', ['--harness', join(ROOT, 'no-such-harness'), '--definition-only', '--reports-dir', reports]);
    assert.equal(code, 2, stdout);
    assert.match(stdout, /error: compose\.harness ".*no-such-harness" does not exist/);
  });

  it('names a candidate image for a service the harness does not have, and shows one it has', async () => {
    const reports = await tempDir('reports');
    const unknown = await runCli('conformance', ['--harness', UPSTREAM, '--definition-only', '--image', 'centralledger=mojaloop/central-ledger:v99', '--reports-dir', reports]);
    assert.equal(unknown.code, 2, unknown.stdout);
    assert.match(unknown.stdout, /error: --image centralledger=…: the harness has no service "centralledger"; it has central-ledger, /);
  });

  it('refuses an --image that is not SERVICE=IMAGE', async () => {
    const { code, stderr } = await runCli('conformance', ['--harness', UPSTREAM, '--image', 'central-ledger']);
    assert.equal(code, 2);
    assert.match(stderr, /--image "central-ledger" is not SERVICE=REPO:TAG/);
  });
});

describe('npm run conformance --target compose with no Docker engine', () => {
  it('says on one line what is missing and what still works, then evaluates the definition', async () => {
    const reports = await tempDir('reports');
    const { code, stdout, stderr } = await runCli('conformance', ['--harness', UPSTREAM, '--reports-dir', reports], { env: { DOCKER_HOST: `unix://${join(reports, 'no-docker.sock')}` } });
    assert.equal(code, 0, stderr + stdout);
    const lines = stdout.split('\n').filter((l) => /^\s*no Docker engine at/.test(l));
    assert.equal(lines.length, 1, stdout);
    assert.match(lines[0]!, /no Docker engine at unix:\/\/.*no-docker\.sock \(no such socket\): the harness cannot be brought up — install and start Docker \(docs\/compose\.md\) or set DOCKER_HOST; the compose-definition guarantees are evaluated from the files alone, and --target embedded or --target url need no Docker/);
    assertDefinitionVerdicts(await readResult(reports));
  });

  it('--minimal-core without an engine: exit 4 and one line (nothing to evaluate without containers)', async () => {
    const reports = await tempDir('reports');
    const { code, stdout, stderr } = await runCli('conformance', ['--minimal-core', '--reports-dir', reports], { env: { DOCKER_HOST: `unix://${join(reports, 'no-docker.sock')}` } });
    assert.equal(code, 4, stderr + stdout);
    const errors = stdout.split('\n').filter((l) => l.startsWith('error:'));
    assert.deepEqual(errors, [`error: no Docker engine at unix://${join(reports, 'no-docker.sock')} (no such socket): the minimal core runs in containers — install and start Docker (docs/compose.md) or set DOCKER_HOST; --target embedded or --target url need no Docker`]);
    assert.doesNotMatch(stdout + stderr, /\n\s+at /, 'no stack trace');
  });

  it('stops, on one line, at an engine that accepts connections and never answers — bounded, and never certifying less than asked', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => { sockets.push(socket); });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const reports = await tempDir('reports');
      const config = join(reports, 'conformance.yaml');
      await writeFile(config, 'compose:\n  engineTimeoutMs: 1500\n');
      // The engine's silence is bounded by compose.engineTimeoutMs; the run itself by runCli's timeout.
      const { code, stdout, stderr } = await runCli('conformance', ['-c', config, '--harness', UPSTREAM, '--reports-dir', reports], { env: { DOCKER_HOST: `tcp://127.0.0.1:${port}` } });
      assert.equal(code, 4, stderr + stdout);
      assert.ok(sockets.length >= 1, 'the engine was asked');
      assert.match(stdout, new RegExp(`error: the Docker engine at tcp://127\\.0\\.0\\.1:${port} does not work \\(it accepted the connection but did not answer within 1500 ms\\): check it with \`docker info\`, or evaluate the compose files alone with --definition-only`));
      assert.doesNotMatch(stdout, /\n\s+at /, 'no stack trace');
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
