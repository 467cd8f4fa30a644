import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInProcess } from '../helpers/run.ts';

const SECURITY = '@tier:iac and @concern:security';
const measuredByTls = ['IAC-SEC-01', 'IAC-SEC-02', 'IAC-SEC-03', 'IAC-SEC-04', 'IAC-SEC-08', 'IAC-SEC-09', 'IAC-SEC-10'];

describe('the IaC security guarantees on the embedded target, both directions', () => {
  it('pass against the fully secured hub, each with the evidence that shows it', async () => {
    const { byId, output } = await runInProcess({ tier: 'iac', hub: { security: 'full' } }, { tags: SECURITY });
    for (const id of measuredByTls) assert.equal(byId[id]!.verdict, 'PASS', `${id}: ${byId[id]!.reason ?? ''}\n${output}`);
    assert.match(output, /✓ connection without a client certificate: refused: ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED/);
    assert.match(output, /✓ connection with our client certificate: answered: HTTP\/1\.1 200/);
    assert.match(output, /✓ quote request signed with a key the hub cannot know: HTTP 400 error 3105/);
    assert.match(output, /✓ plaintext http:\/\/127\.0\.0\.1:\d+\/ \(the TLS port\): refused/);
    assert.match(output, /✓ anonymous admin API request: HTTP 401/);
    // The terminal shortens long values; result.json keeps them whole.
    assert.match(JSON.stringify(byId['IAC-SEC-10']!.evidence), /not issued: token endpoint https:\/\/127\.0\.0\.1:\d+\/oauth2\/token answered HTTP 400 \(invalid_scope\)/);
    // Hardening needs a Kubernetes inventory, which the embedded target has not.
    for (const id of ['IAC-SEC-05', 'IAC-SEC-06', 'IAC-SEC-07', 'IAC-SEC-11']) assert.equal(byId[id]!.verdict, 'NOT_EVALUATED');
  });

  it('fail against the plain hub, the wrong-scope check not evaluated for want of OAuth2 credentials', async () => {
    const { byId } = await runInProcess({ tier: 'iac' }, { tags: SECURITY });
    for (const id of ['IAC-SEC-01', 'IAC-SEC-02', 'IAC-SEC-03', 'IAC-SEC-04', 'IAC-SEC-08', 'IAC-SEC-09']) assert.equal(byId[id]!.verdict, 'FAIL', id);
    assert.equal(byId['IAC-SEC-10']!.verdict, 'NOT_EVALUATED');
  });
});
