import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, startCli, tempDir, waitForOutput } from '../helpers/cli.ts';

test('npm run hub -- --security full serves https only, writes what it issued to the credentials folder (0600) and never prints a secret', async () => {
  const dir = join(await tempDir('conformance-hub-creds-'), 'issued');
  const hub = startCli('hub', ['--security', 'full', '--credentials-dir', dir], { timeoutMs: 60_000 });
  try {
    await waitForOutput(hub.output, /attach a run to it as payerfsp/, 30_000);
    const output = hub.output();
    assert.match(output, /listening on https:\/\/127\.0\.0\.1:\d+/);
    assert.match(output, /admin API \(central-ledger's shape\): https:/);
    assert.match(output, /token endpoint \(client credentials; scopes fspiop, admin\): https:\/\/127\.0\.0\.1:\d+\/oauth2\/token/);
    assert.match(output, new RegExp(`written to ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(files 0600\\)`));
    assert.doesNotMatch(output, /--hub-admin-url https/, 'a secured hub is attached to as its own payer, without provisioning');
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    for (const name of ['ca.pem', 'payer-cert.pem', 'payer-key.pem', 'payer-jws-key.pem', 'payee-jws-public.pem', 'hub-jws-public.pem', 'client-id', 'client-secret', 'admin-client-id', 'admin-client-secret', 'token-url']) {
      assert.equal(statSync(join(dir, name)).mode & 0o777, 0o600, name);
    }
    for (const secret of ['client-secret', 'admin-client-secret', 'payer-key.pem', 'payer-jws-key.pem']) {
      assert.ok(!output.includes(readFileSync(join(dir, secret), 'utf8').trim().split('\n')[1] ?? '\u0000'), `${secret} is not printed`);
    }
    assert.ok(!output.includes(readFileSync(join(dir, 'client-secret'), 'utf8')));
    assert.ok(!output.includes(readFileSync(join(dir, 'admin-client-secret'), 'utf8')));
  } finally {
    hub.child.kill('SIGINT');
  }
  const result = await hub.done;
  assert.equal(result.code, 0, result.stderr);
});

test('npm run hub refuses a security level it does not know, and a credentials folder without --security full, in one line (exit 2)', async () => {
  const unknown = await runCli('hub', ['--security', 'half']);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr, 'error: --security "half" is not one of: none, full\n');
  const orphan = await runCli('hub', ['--credentials-dir', '/tmp/nowhere']);
  assert.equal(orphan.code, 2);
  assert.match(orphan.stderr, /^error: --credentials-dir is where --security full writes the credentials it issues: give --security full too, or leave it out\n$/);
});
