import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ATTESTATION_FILE, writeRunAttestation } from '../../../src/reports/attestation/run-attestation.ts';
import { isDsseEnvelope } from '../../../src/reports/attestation/dsse-envelope.ts';
import { verifyReportCommand } from '../../../src/reports/attestation/verify-report-command.ts';
import { loadVerificationKey } from '../../../src/reports/attestation/signing-key.ts';
import { verificationLines, verifyRunDirectory } from '../../../src/reports/attestation/verify-run.ts';
import { ROOT, tempDir } from '../../helpers/cli.ts';

/** `npm run verify-report -- …` as a user runs it: a child process, typed in `cwd`. */
function verifyReportProcess(args: string[], cwd: string) {
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'verify-report.ts'), ...args], {
    cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1', INIT_CWD: cwd },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The same command in this process (what the script runs), for the cases past its wiring. */
async function verifyReport(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await verifyReportCommand(args, { cwd, out: (text) => { stdout += text; }, err: (text) => { stderr += text; } });
  return { code, stdout, stderr };
}

/** A run folder as a run leaves it: the fixture's result.json, the other reports, a nested file, then the statement. */
async function attestedRun(options: Parameters<typeof writeRunAttestation>[1] = {}): Promise<{ cwd: string; dir: string }> {
  const cwd = await tempDir('verify');
  const dir = join(cwd, 'reports', 'runs', 'r1');
  await mkdir(join(dir, 'charts'), { recursive: true });
  cpSync(join(ROOT, 'fixtures', 'reports', 'baseline', 'result.json'), join(dir, 'result.json'));
  writeFileSync(join(dir, 'summary.md'), '# HELM: INCOMPLETE\n');
  writeFileSync(join(dir, 'junit.xml'), '<testsuites/>\n');
  writeFileSync(join(dir, 'charts', 'latency.svg'), '<svg/>\n');
  await writeRunAttestation(dir, options);
  return { cwd, dir };
}

function pemFiles(cwd: string, kind: 'ed25519' | 'ec') {
  const pair = kind === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const files = { privateKey: join(cwd, `${kind}-private.pem`), publicKey: join(cwd, `${kind}-public.pem`), privatePem, key: pair.privateKey };
  writeFileSync(files.privateKey, privatePem);
  writeFileSync(files.publicKey, pair.publicKey.export({ type: 'spki', format: 'pem' }));
  return files;
}

/** What verify-report decides and prints, in this process (the child-process tests above cover the command itself). */
async function verifyInProcess(dir: string, publicKeyFile?: string) {
  const publicKey = publicKeyFile ? await loadVerificationKey(publicKeyFile) : undefined;
  const verification = await verifyRunDirectory(dir, publicKey ? { publicKey } : {});
  return { ok: verification.ok, stdout: `${verificationLines(verification, publicKey).join('\n')}\n` };
}

describe('npm run verify-report', () => {
  it('passes on an untouched run folder, listing every file it wrote', async () => {
    const { cwd } = await attestedRun();

    const result = await verifyReport(['reports/runs/r1'], cwd);

    assert.equal(result.code, 0, result.stdout + result.stderr);
    for (const name of ['result.json', 'summary.md', 'junit.xml', 'charts/latency.svg']) assert.match(result.stdout, new RegExp(`^OK +${name}$`, 'm'));
    assert.match(result.stdout, /signature: none/);
    assert.match(result.stdout, /verification passed: 4 files unchanged \(statement result WARNED\)/);
  });

  it('fails naming result.json when one byte of it changed', async () => {
    const { cwd, dir } = await attestedRun();
    const file = join(dir, 'result.json');
    const bytes = readFileSync(file);
    bytes[bytes.indexOf('PASS')] = 'F'.charCodeAt(0); // "PASS" → "FASS": one byte
    writeFileSync(file, bytes);

    const result = verifyReportProcess([dir], cwd); // as a user runs it: exit code and output of the real command

    assert.equal(result.code, 1);
    assert.match(result.stdout, /^CHANGED +result\.json$/m);
    assert.match(result.stdout, /^OK +summary\.md$/m);
    assert.match(result.stdout, /verification FAILED \(1 file changed\): /);
  });

  it('fails on a deleted file and on a file the statement does not cover', async () => {
    const { dir } = await attestedRun();
    rmSync(join(dir, 'junit.xml'));
    writeFileSync(join(dir, 'report.html'), '<html>written after the statement</html>');

    const result = await verifyInProcess(dir);

    assert.equal(result.ok, false);
    assert.match(result.stdout, /^MISSING +junit\.xml$/m);
    assert.match(result.stdout, /^EXTRA +report\.html \(not covered by the statement\)$/m);
  });

  it('fails a statement whose subject names a file outside the run folder, without reading it', async () => {
    const { dir } = await attestedRun();
    const statement = JSON.parse(readFileSync(join(dir, ATTESTATION_FILE), 'utf8')) as { subject: Array<{ name: string; digest: { sha256: string } }> };
    statement.subject.push({ name: '../../../../etc/hostname', digest: { sha256: '0'.repeat(64) } });
    writeFileSync(join(dir, ATTESTATION_FILE), JSON.stringify(statement));

    const result = await verifyInProcess(dir);

    assert.equal(result.ok, false);
    assert.match(result.stdout, /^OUTSIDE +\.\.\/\.\.\/\.\.\/\.\.\/etc\/hostname/m);
  });

  for (const kind of ['ed25519', 'ec'] as const) {
    it(`checks a ${kind} signature made when the run wrote its statement, and fails with another key`, async () => {
      const cwd = await tempDir('keys');
      const keys = pemFiles(cwd, kind);
      const other = pemFiles(await tempDir('other-keys'), kind);
      const { dir } = await attestedRun({ signingKey: keys.key });
      assert.ok(isDsseEnvelope(JSON.parse(readFileSync(join(dir, ATTESTATION_FILE), 'utf8'))));

      const good = await verifyInProcess(dir, keys.publicKey);
      const unchecked = await verifyInProcess(dir);
      const bad = await verifyReport([dir, '--key', other.publicKey], cwd);

      assert.ok(good.ok, good.stdout);
      assert.match(good.stdout, /signature: valid/);
      assert.ok(unchecked.ok, 'the digests alone still match');
      assert.match(unchecked.stdout, /signature: present \(1\), not checked: give --key/);
      assert.equal(bad.code, 1);
      assert.match(bad.stdout, /signature: INVALID/);
    });
  }

  it('fails a signed statement whose payload was edited to match a changed file', async () => {
    const cwd = await tempDir('keys');
    const keys = pemFiles(cwd, 'ed25519');
    const { dir } = await attestedRun({ signingKey: keys.key });
    const file = join(dir, ATTESTATION_FILE);
    const envelope = JSON.parse(readFileSync(file, 'utf8')) as { payload: string };
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { predicate: { result: string } };
    statement.predicate.result = 'PASSED';
    envelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
    writeFileSync(file, JSON.stringify(envelope));

    const result = await verifyInProcess(dir, keys.publicKey);

    assert.equal(result.ok, false);
    assert.match(result.stdout, /signature: INVALID/);
  });

  it('fails when a key is given but the statement is not signed', async () => {
    const { cwd, dir } = await attestedRun();
    const keys = pemFiles(cwd, 'ed25519');

    const result = await verifyInProcess(dir, keys.publicKey);

    assert.equal(result.ok, false);
    assert.match(result.stdout, /signature: MISSING/);
  });

  it('signs a checked folder with --signing-key, never printing the key, and refuses to sign a changed one', async () => {
    const { cwd, dir } = await attestedRun();
    const keys = pemFiles(cwd, 'ec');
    const before = readFileSync(join(dir, ATTESTATION_FILE), 'utf8');

    const signed = await verifyReport([dir, '--signing-key', keys.privateKey], cwd);
    const checked = await verifyInProcess(dir, keys.publicKey);

    assert.equal(signed.code, 0, signed.stdout + signed.stderr);
    assert.match(signed.stdout, /signed the statement/);
    assert.match(signed.stdout, /signature: valid/);
    const keyBody = keys.privatePem.split('\n')[1]!;
    assert.ok(!signed.stdout.includes(keyBody) && !signed.stderr.includes(keyBody), 'the private key is never printed');
    assert.ok(!readFileSync(join(dir, ATTESTATION_FILE), 'utf8').includes(keyBody));
    const envelope = JSON.parse(readFileSync(join(dir, ATTESTATION_FILE), 'utf8')) as { payload: string };
    assert.equal(Buffer.from(envelope.payload, 'base64').toString('utf8'), before, 'the statement signed is the one checked, byte for byte');
    assert.ok(checked.ok, checked.stdout);

    writeFileSync(join(dir, 'summary.md'), '# HELM: CERTIFIED\n');
    const refused = await verifyReport([dir, '--signing-key', keys.privateKey], cwd);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /not signed: the folder does not pass verification/);
  });

  it('countersigns a statement CI signed, after checking CI\'s signature with --key', async () => {
    const cwd = await tempDir('keys');
    const ci = pemFiles(cwd, 'ed25519');
    const releaseManager = pemFiles(await tempDir('release-keys'), 'ec');
    const { dir } = await attestedRun({ signingKey: ci.key });

    const countersigned = await verifyReport([dir, '--key', ci.publicKey, '--signing-key', releaseManager.privateKey], cwd);

    assert.equal(countersigned.code, 0, countersigned.stdout);
    assert.equal((JSON.parse(readFileSync(join(dir, ATTESTATION_FILE), 'utf8')) as { signatures: unknown[] }).signatures.length, 2);
    assert.ok((await verifyInProcess(dir, ci.publicKey)).ok);
    assert.ok((await verifyInProcess(dir, releaseManager.publicKey)).ok);
  });

  it('says in one line, exit 2, when the folder, the statement or the key is not there', async () => {
    const { cwd, dir } = await attestedRun();
    const empty = await tempDir('empty-run');
    writeFileSync(join(cwd, 'not-a-key.pem'), '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ5dGVz\n-----END PRIVATE KEY-----\n');

    const cases = [
      { args: ['reports/runs/nope'], error: /^error: no such folder ".*reports\/runs\/nope": name a run's folder/ },
      { args: [empty], error: new RegExp(`^error: no ${ATTESTATION_FILE.replace(/\./g, '\\.')} in ".*": a run writes one last`) },
      { args: [dir, '--signing-key', 'not-a-key.pem'], error: /^error: the signing key ".*not-a-key\.pem" is not a PEM private key/ },
    ];
    for (const [index, { args, error }] of cases.entries()) {
      const result = index === 0 ? verifyReportProcess(args, cwd) : await verifyReport(args, cwd);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, error);
      assert.equal(result.stderr.trim().split('\n').length, 1, `one line: ${result.stderr}`);
      assert.doesNotMatch(result.stderr, /c2VjcmV0LWJ5dGVz/);
    }
  });
});

describe('the keys verify-report reads', () => {
  it('names a missing or unusable key file in one line, never quoting it', async () => {
    const cwd = await tempDir('bad-keys');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' });
    writeFileSync(join(cwd, 'rsa.pem'), rsa);

    await assert.rejects(loadVerificationKey(join(cwd, 'missing.pem')), /^UserError: cannot read the public key ".*missing\.pem" \(ENOENT\)$/);
    await assert.rejects(loadVerificationKey(join(cwd, 'rsa.pem')), /the key ".*rsa\.pem" is rsa; use Ed25519 or ECDSA P-256/);
  });
});
