import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { before, describe, it } from 'node:test';
import { K3S_LABEL } from '../../../src/environment/kubernetes/k3s-cluster.ts';
import { runCli, tempDir } from '../../helpers/cli.ts';
import { buildMiniImage, dockerOrSkip, MINI_IMAGE } from '../../helpers/compose-mini.ts';

// `--k3s` against the real Docker engine of this machine. No k3s image can be had here (no
// registry): the run must say so in one line, in seconds, with exit 4 — and a container that is
// no k3s must be removed again, whatever made it fail. Under CI=true a missing engine fails.

const skip = await dockerOrSkip();
const run = promisify(execFile);
const ABSENT_IMAGE = 'rancher/k3s:v0.0.0-conformance-absent';

/** The lines the run printed as errors. */
const errorLines = (out: string) => out.split('\n').filter((line) => line.startsWith('error:'));

/** k3s containers of runs on the engine now (by the label every one carries). */
async function k3sContainers(): Promise<string[]> {
  const { stdout } = await run('docker', ['ps', '-a', '--filter', `label=${K3S_LABEL}`, '--format', '{{.Names}}']);
  return stdout.split('\n').filter(Boolean);
}

describe('--k3s on a real Docker engine', { skip: skip ?? false }, () => {
  before(async () => {
    // The absent image must really be absent (a previous test run cannot have loaded it, but be sure).
    await run('docker', ['image', 'rm', ABSENT_IMAGE]).catch(() => undefined);
  });

  it('an image the engine lacks and cannot pull: exit 4 in seconds, one line naming the image, that it cannot be pulled, and what to do', { timeout: 60_000 }, async () => {
    const before = await k3sContainers();
    const reports = join(await tempDir('k3s-absent'), 'reports');
    const started = Date.now();
    const { code, stdout, stderr } = await runCli('conformance', ['--k3s-image', ABSENT_IMAGE, '--tier', 'miniloop', '--reports-dir', reports]);
    const ms = Date.now() - started;
    assert.equal(code, 4, stdout + stderr);
    assert.ok(ms < 20_000, `${ms} ms`);
    const errors = errorLines(`${stdout}\n${stderr}`);
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, new RegExp(`^error: the k3s image ${ABSENT_IMAGE.replace(/[.]/g, '\\.')} is not on the Docker engine \\S+ \\([^)]+\\) and cannot be pulled from here \\(.+\\); `
      + 'load it with `docker load -i k3s\\.tar` \\(made with `docker save .+` where a registry is reachable\\), choose one the engine has with --k3s-image, or point the run at a cluster with --kubeconfig$'));
    assert.doesNotMatch(stdout + stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(await k3sContainers(), before, 'no container made');
  });

  it('an image that is no k3s: its container is created, fails to become a cluster, and is removed; exit 4 with one line', { timeout: 120_000 }, async () => {
    await buildMiniImage();
    const before = await k3sContainers();
    const dir = await tempDir('k3s-stand-in');
    const config = join(dir, 'k3s.yaml');
    await writeFile(config, `kubernetes: { k3s: { enabled: true, image: "${MINI_IMAGE}", startupTimeoutMs: 5000 } }\n`);
    const { code, stdout, stderr } = await runCli('conformance', ['--config', config, '--reports-dir', join(dir, 'reports')]);
    assert.equal(code, 4, stdout + stderr);
    const name = /k3s cluster (conformance-k3s-[0-9a-f]{6}): starting /.exec(stdout)?.[1];
    assert.ok(name, stdout);
    const errors = errorLines(`${stdout}\n${stderr}`);
    assert.equal(errors.length, 1, errors.join('\n'));
    // Why it failed depends on the engine (here: privileged containers are refused; elsewhere: no k3s binary, or the wait's budget).
    assert.match(errors[0]!, new RegExp(`^error: the k3s cluster ${name} \\(${MINI_IMAGE.replace(/[.]/g, '\\.')}\\) did not come up: .+; removed — check that the Docker engine .+ may run privileged containers \\(k3s needs it\\), or point the run at a cluster with --kubeconfig$`));
    assert.doesNotMatch(stdout + stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(await k3sContainers(), before, `${name} left behind`);
  });
});

describe('--k3s without a Docker engine', () => {
  it('exit 4 with one line naming the engine and what to do instead', { timeout: 60_000 }, async () => {
    const dir = await tempDir('k3s-no-engine');
    const { code, stdout, stderr } = await runCli('conformance', ['--k3s', '--reports-dir', join(dir, 'reports')], { env: { DOCKER_HOST: `unix://${join(dir, 'no-docker.sock')}` } });
    assert.equal(code, 4, stdout + stderr);
    const errors = errorLines(`${stdout}\n${stderr}`);
    assert.deepEqual(errors, [`error: no Docker engine at unix://${join(dir, 'no-docker.sock')} (no such socket): --k3s runs a k3s cluster in a container — install and start Docker (docs/compose.md) or set DOCKER_HOST, or point the run at a cluster with --kubeconfig`]);
  });
});
