import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, tempDir } from '../helpers/cli.ts';

const SCRIPT = join(ROOT, 'scripts', 'docker-engine.sh');

function run(args: string[], env: NodeJS.ProcessEnv) {
  // Bounded: the script bounds its own waits; this is the test's backstop.
  return spawnSync('bash', [SCRIPT, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 90_000 });
}

const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';

describe('scripts/docker-engine.sh', () => {
  it('refuses an unknown command with one line naming it and the ones it knows', async () => {
    const result = run(['restart'], { DOCKER_ENGINE_STATE: await tempDir('docker-engine') });
    assert.equal(result.status, 1);
    assert.equal(result.stderr.trim(), "docker-engine.sh: unknown command 'restart': use start (the default) or stop");
  });

  it('stop leaves alone an engine it did not start', async () => {
    // A state folder without a pid file: whatever dockerd runs on this machine is someone else's.
    const result = run(['stop'], { DOCKER_ENGINE_STATE: await tempDir('docker-engine') });
    assert.equal(result.status, 0);
    assert.match(result.stderr, /nothing stopped/);
  });

  it('fails with one line when the engine never answers, within its bound', async () => {
    // `docker` and `dockerd` that are installed but broken: the client never reaches a daemon and
    // the daemon exits at once. The script must neither hang nor claim success.
    const bin = await tempDir('docker-engine-bin');
    for (const name of ['docker', 'dockerd']) {
      writeFileSync(join(bin, name), '#!/bin/sh\necho "broken on purpose" >&2\nexit 1\n');
      chmodSync(join(bin, name), 0o755);
    }
    const started = Date.now();
    const result = run([], { DOCKER_ENGINE_STATE: await tempDir('docker-engine'), DOCKER_ENGINE_WAIT_S: '2', PATH: `${bin}:${process.env.PATH}` });
    assert.equal(result.status, 1);
    assert.match(lastLine(result.stderr), /^docker-engine\.sh: (dockerd exited before answering|docker info did not answer within 2s|starting dockerd needs root)/);
    assert.doesNotMatch(result.stdout, /ready/);
    assert.ok(Date.now() - started < 60_000, 'bounded');
  });

  const engine = spawnSync('docker', ['info'], { timeout: 10_000 }).status === 0;
  if (!engine && process.env.CI) {
    it('the Docker engine is there in CI', () => {
      assert.fail('CI is set but `docker info` fails: .ci/run starts it with scripts/docker-engine.sh; this test must not be skipped in CI');
    });
  } else {
    it('with an engine running, start only checks it and says it is ready', { skip: engine ? false : 'no Docker engine (scripts/docker-engine.sh starts one, as root)' }, async () => {
      const result = run([], { DOCKER_ENGINE_STATE: await tempDir('docker-engine') });
      assert.equal(result.status, 0, result.stderr);
      assert.match(lastLine(result.stdout), /^docker engine ready: server \S+, compose \S+/);
    });
  }
});
