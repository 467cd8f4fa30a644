import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { validateConfig } from '../../src/config/load-config.ts';
import { ReferenceDeployment } from '../../src/environment/embedded/reference-deployment.ts';
import { ROOT } from '../helpers/cli.ts';

const SCRIPT = join(ROOT, 'fixtures', 'harness', 'scripts', 'ttk-provisioning.ts');

function provision(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // Asynchronous: the hub it talks to runs in this process.
  const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('the reference harness\'s ttk-provisioning job', () => {
  it('registers the external payee\'s callback endpoints on a hub started with --external-payee, and exits 1 with one line when it cannot', async () => {
    const deployment = new ReferenceDeployment(validateConfig({}), { externalPayee: true });
    try {
      const { adminUrl, payeeUrl } = await deployment.start();
      assert.equal(payeeUrl, undefined, 'no payee of its own');
      assert.deepEqual(deployment.hub.store.directory.endpointsOf('payeefsp'), [], 'the payee is onboarded without endpoints: provisioning registers them');

      const done = await provision(adminUrl, 'payeefsp', 'http://simulator:8444');
      assert.equal(done.code, 0, done.stderr);
      assert.equal(done.stdout, 'ttk-provisioning: payeefsp\'s 27 callback endpoints point at http://simulator:8444\n');
      assert.equal(deployment.hub.store.directory.endpoint('payeefsp', 'FSPIOP_CALLBACK_URL_TRANSFER_POST'), 'http://simulator:8444/transfers');

      const unknown = await provision(adminUrl, 'nosuchfsp', 'http://simulator:8444');
      assert.equal(unknown.code, 1);
      assert.equal(unknown.stderr, `ttk-provisioning: FAILED: the hub at ${adminUrl} has no participant nosuchfsp\n`);
    } finally {
      await deployment.stop();
    }
  });
});
