import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CertificateAuthority } from '../../src/support/pki.ts';
import { runCli, startCli, tempDir, waitForOutput } from '../helpers/cli.ts';
import { closeServer, freePort, listen } from '../helpers/servers.ts';

/** Every file under `dir`, with its text. */
async function filesUnder(dir: string): Promise<Array<{ path: string; text: string }>> {
  const found: Array<{ path: string; text: string }> = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    found.push({ path, text: await readFile(path, 'latin1') });
  }
  return found;
}

/** A line from the middle of a PEM body: what a leaked key would show however it was cut or wrapped. */
const distinctiveLine = (pem: string) => pem.trim().split('\n').slice(1, -1)[1]!;

describe('planted secrets (a url run with every credential configured)', () => {
  it('appear nowhere: not in its output, result.json, Allure results or any other file it writes', async () => {
    const work = await tempDir('planted');
    const reports = join(work, 'reports');
    const ca = await CertificateAuthority.create();
    const tlsClient = await ca.issue('conformancepayer', { client: true });
    const callbackServer = await ca.issue('callbacks', { serverNames: ['127.0.0.1', 'localhost'] });
    const jws = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const clientSecret = `planted-client-secret-${randomBytes(8).toString('hex')}`;
    const accessToken = `planted-access-token-${randomBytes(8).toString('hex')}`;
    for (const [name, text] of Object.entries({ 'ca.crt': ca.certPem, 'client.crt': tlsClient.certPem, 'client.key': tlsClient.keyPem, 'callback.crt': callbackServer.certPem, 'callback.key': callbackServer.keyPem, 'jws.key': jws.privateKey, 'jws.pub': jws.publicKey })) {
      await writeFile(join(work, name), text);
    }
    // The token endpoint: grants our client, counts what it was asked.
    let granted = 0;
    const tokens = createServer((request, response) => {
      let form = '';
      request.on('data', (chunk: Buffer) => { form += chunk.toString(); });
      request.on('end', () => {
        const basic = Buffer.from((request.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
        if (!form.includes('grant_type=client_credentials') || basic !== `conformancepayer:${clientSecret}`) {
          response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
          return;
        }
        granted += 1;
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: 3600 }));
      });
    });
    const tokenUrl = `${await listen(tokens)}/oauth2/token`;
    const callbackPort = await freePort();
    // The hub stand-in calls our callback server over https: it trusts our CA as a secured hub would.
    const hub = startCli('hub', ['--payer-callback-url', `https://127.0.0.1:${callbackPort}`], { env: { NODE_EXTRA_CA_CERTS: join(work, 'ca.crt') } });
    try {
      const [, hubUrl] = await waitForOutput(hub.output, /listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
      const config = {
        target: 'url', hub: { url: hubUrl }, callback: { port: callbackPort }, reportsDir: reports,
        security: {
          tls: { cert: join(work, 'client.crt'), key: join(work, 'client.key'), ca: join(work, 'ca.crt') },
          oauth2: { tokenUrl, clientId: 'conformancepayer', clientSecret: { env: 'PLANTED_CLIENT_SECRET' } },
          jws: { privateKey: { file: join(work, 'jws.key') }, verificationKeys: { elsewherefsp: join(work, 'jws.pub') } },
          callbackTls: { cert: join(work, 'callback.crt'), key: join(work, 'callback.key') },
        },
      };
      await writeFile(join(work, 'config.json'), JSON.stringify(config));
      const run = await runCli('conformance', ['--config', join(work, 'config.json'), '--tags', '@guarantee:CTH-FUN-01'], { env: { PLANTED_CLIENT_SECRET: clientSecret }, timeoutMs: 180_000 });
      const output = `${run.stdout}\n${run.stderr}`;
      // The code paths that could leak were taken: a token was asked for and used, our callback server served https.
      assert.equal(run.code, 0, output);
      assert.ok(granted >= 1, 'the run asked the token endpoint');
      assert.match(run.stdout, /security: OAuth2: a bearer token from http:\/\/127\.0\.0\.1:\d+\/oauth2\/token/);
      assert.match(run.stdout, /callbacks +https:\/\/127\.0\.0\.1:\d+/);

      const written = [...await filesUnder(reports), ...await filesUnder(run.userDir)];
      assert.ok(written.some((file) => file.path.endsWith('result.json')) && written.some((file) => file.path.includes('allure-results')), `files written: ${written.map((f) => f.path).join(', ')}`);
      const planted = {
        'the client secret': clientSecret, 'the access token': accessToken,
        'the TLS client key': distinctiveLine(tlsClient.keyPem), 'the JWS private key': distinctiveLine(jws.privateKey), 'the callback server key': distinctiveLine(callbackServer.keyPem),
      };
      for (const [what, secret] of Object.entries(planted)) {
        assert.ok(!output.includes(secret), `${what} is in the run's output`);
        for (const file of written) assert.ok(!file.text.includes(secret), `${what} is in ${file.path}`);
      }
    } finally {
      hub.child.kill('SIGINT');
      await hub.done;
      await closeServer(tokens);
    }
  });

  it('a secret that cannot be read stops the run in one line naming the field and the variable, exit 2', async () => {
    const work = await tempDir('planted');
    await writeFile(join(work, 'config.json'), JSON.stringify({
      target: 'url', hub: { url: 'http://127.0.0.1:9' }, reportsDir: join(work, 'reports'),
      security: { oauth2: { tokenUrl: 'http://127.0.0.1:9/token', clientId: 'c', clientSecret: { env: 'UNSET_PLANTED_SECRET' } } },
    }));
    const run = await runCli('conformance', ['--config', join(work, 'config.json')], { env: { UNSET_PLANTED_SECRET: undefined } });
    assert.equal(run.code, 2, run.stdout);
    assert.match(run.stdout + run.stderr, /security\.oauth2\.clientSecret: environment variable UNSET_PLANTED_SECRET is not set/);
    assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at /, 'no stack trace');
  });
});
