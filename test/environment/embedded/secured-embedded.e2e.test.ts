import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { validateConfigFor } from '../../../src/config/load-config.ts';
import { EmbeddedEnvironment } from '../../../src/environment/embedded/embedded-environment.ts';
import type { StartedEnvironment } from '../../../src/environment/environment.ts';
import { partyPath } from '../../../src/fspiop/messages.ts';
import { SecuredTestDfsp } from '../../helpers/secured-dfsp.ts';
import { waitFor } from '../../helpers/wait.ts';

describe('the embedded target with hub.security: full', () => {
  const config = validateConfigFor('embedded', { hub: { security: 'full' }, timeouts: { callbackMs: 5000 } });
  const { payer, payee, bystander } = config.participants;
  let started: StartedEnvironment;
  let dfsp: SecuredTestDfsp;

  before(async () => {
    started = await new EmbeddedEnvironment(config).start();
    dfsp = new SecuredTestDfsp(payer.fspId, started.issuedCredentials!);
    await dfsp.start();
    await started.connectPayer({ fspId: payer.fspId, callbackUrl: dfsp.url, correlator: { expect: () => { throw new Error('not used'); } } as never });
  });
  after(async () => {
    await dfsp?.stop();
    await started?.stop();
  });

  it('issues our payer what a secured hub demands: a certificate, a token client, a signing key with the payee\'s and the hub\'s keys, and TLS for its callback server', () => {
    const issued = started.issuedCredentials!;
    assert.match(issued.tls!.certPem, /BEGIN CERTIFICATE/);
    assert.match(issued.oauth2!.tokenUrl, /^https:\/\/127\.0\.0\.1:\d+\/oauth2\/token$/);
    assert.equal(issued.oauth2!.scope, 'fspiop');
    assert.deepEqual(Object.keys(issued.jws!.verificationKeys).sort(), [...new Set([payee.fspId, 'Hub', ...config.hub.sourceIds])].sort());
    assert.equal(issued.callbackTls!.requireClientCertificate, true);
    assert.ok(!(bystander.fspId in issued.jws!.verificationKeys), 'the bystander is ours and signs with the payer\'s key');
  });

  it('describes its posture and endpoints and never a secret', () => {
    const description = started.describe();
    assert.match(description.summary, /fully secured: TLS 1\.2\+ with client certificates/);
    assert.match(description.endpoints.hub!, /^https:/);
    assert.match(description.endpoints.tokenEndpoint!, /\/oauth2\/token$/);
    const shown = JSON.stringify(description);
    const issued = started.issuedCredentials!;
    for (const secret of [issued.oauth2!.clientSecret, issued.tls!.keyPem, issued.jws!.privateKeyPem]) assert.ok(!shown.includes(secret));
    assert.doesNotMatch(shown, /PRIVATE KEY|BEGIN CERTIFICATE/);
  });

  it('hands the run an operator\'s admin client with the admin API', () => {
    const admin = started.provides['admin-api']!;
    assert.equal(admin.credentials?.oauth2.scope, 'admin');
    assert.match(admin.credentials!.caPem, /BEGIN CERTIFICATE/);
    assert.equal(started.provides['hub-ledger']!.credentials?.oauth2.clientId, admin.credentials!.oauth2.clientId);
  });

  it('reads what the simulated payee was told over its https endpoint, which demands a certificate of the hub\'s CA', async () => {
    const observed = await started.provides['payee-observation']!.transferErrors('00000000-0000-4000-8000-000000000000');
    assert.deepEqual(observed.errorCodes, []);
    assert.match(observed.source, /^GET https:/);
  });

  it('carries a lookup with what it issued, and after its hub is killed and restarted the same credentials still hold', async () => {
    const lookup = async (expected: number) => {
      const before = dfsp.received.length;
      const answer = await dfsp.send(started.hubUrl, 'GET', partyPath(payee.party), 'parties', undefined);
      assert.equal(answer.status, 202, answer.body);
      const received = await waitFor(() => dfsp.received.slice(before).find((callback) => callback.path === partyPath(payee.party)),
        { timeoutMs: 5000, what: `lookup ${expected}'s callback` });
      assert.equal(received.signatureProblem, undefined);
    };
    await lookup(1);
    assert.ok(await started.provides['fault-injection']!.killOne('central-ledger'));
    await lookup(2);
  });
});

describe('the embedded target by default', () => {
  it('serves its hub plain and open, and says so', () => {
    const config = validateConfigFor('embedded', {});
    assert.equal(config.hub.security, 'none');
    assert.equal(new EmbeddedEnvironment(config).describeTarget(), 'embedded (built-in reference hub on loopback)');
  });

  it('refuses hub.security on a target whose hub it does not run, naming the field', () => {
    assert.throws(() => validateConfigFor('url', { hub: { url: 'http://hub.example:4000', security: 'full' } }), /hub\.security.*embedded/s);
  });
});
