import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readCatalogue } from '../../src/catalogue/feature-catalogue.ts';
import { TIERS } from '../../src/config/schema.ts';
import { ROOT } from '../helpers/cli.ts';
import { scriptedRunner } from '../helpers/load.ts';
import { runInProcess, functionalIds } from '../helpers/run.ts';

const verdictLines = (output: string) => output.split('\n').filter((line) => /^(✔ PASS|✘ FAIL|○ NOT EVALUATED) /.test(line));

describe('ConformanceRun on the embedded target, per tier', () => {
  it('prints the count of guarantees per tier, matching the feature files, and a certificate line for every tier', async () => {
    const catalogue = await readCatalogue(join(ROOT, 'features'));
    for (const tier of TIERS) {
      // Load is scripted here (its own tests drive real load): this test is about the tier's catalogue and verdicts.
      const { result, exitCode, output } = await runInProcess({ tier }, { loadRunner: scriptedRunner({ lookups: 10, quotes: 10, transfers: 10 }).runner });
      const count = catalogue.filter((e) => e.tier === tier).length;
      assert.match(output, new RegExp(`${count} guarantees stated in features/${tier}/`));
      assert.match(output, new RegExp(`Guarantees: ${count} · `));
      assert.equal(verdictLines(output).length, count);
      assert.match(output, /^Certificate: (INCOMPLETE|NOT CERTIFIED) \(tier /m);
      assert.equal(result.guarantees.length, count);
      const evaluated = result.guarantees.filter((g) => g.verdict !== 'NOT_EVALUATED').map((g) => g.id);
      if (tier === 'helm') {
        assert.deepEqual(evaluated, functionalIds('HELM'),
          'the embedded target evaluates the FSPIOP guarantees of HELM; resilience needs fault injection, the rest an inventory');
        // The SLA is measured, but under the smoke profile's reduced load what would pass is not evaluated.
        const sla = result.guarantees.filter((g) => g.concern === 'sla');
        assert.ok(sla.length === 5 && sla.every((g) => g.verdict === 'NOT_EVALUATED' && g.reducedLoad && /^held 20 transfers\/s for 60 s \(profile smoke\)/.test(g.reason!)), JSON.stringify(sla.map((g) => g.reason)));
        assert.equal(exitCode, 0);
      }
      if (tier === 'iac') {
        // The embedded hub is plaintext, needs no client certificate and no signature: IaC security fails, with evidence;
        // it has no certificate to be valid and no TLS to refuse old versions of. No OAuth2 credentials: the wrong-scope check is not evaluated.
        assert.deepEqual(result.guarantees.filter((g) => g.verdict === 'FAIL').map((g) => g.id), ['IAC-SEC-01', 'IAC-SEC-02', 'IAC-SEC-03', 'IAC-SEC-04', 'IAC-SEC-08', 'IAC-SEC-09']);
        assert.match(result.guarantees.find((g) => g.id === 'IAC-SEC-04')!.reason!, /anonymous admin API request was HTTP 200, expected refused: HTTP 401 or 403/);
        assert.match(result.guarantees.find((g) => g.id === 'IAC-SEC-03')!.reason!, /quote request without an FSPIOP-Signature was HTTP 202, then a success callback \(accepted\)/);
        assert.match(result.guarantees.find((g) => g.id === 'IAC-SEC-10')!.reason!, /no OAuth2 client credentials are configured/);
        assert.match(result.guarantees.find((g) => g.id === 'IAC-SEC-01')!.reason!, /FSPIOP endpoint transport was http \(plaintext\), expected TLS 1.2 or newer/);
        assert.equal(exitCode, 1);
        assert.equal(result.certificate.status, 'NOT_CERTIFIED');
      }
    }
  });

  it('exits 3 with --require-certificate when the certificate is incomplete', async () => {
    const { exitCode, result } = await runInProcess({}, { requireCertificate: true, tags: '@guarantee:CTH-FUN-01' });
    assert.equal(exitCode, 3);
    assert.equal(result.exitCode, 3);
  });

  it('never certifies a tier from a subset of its guarantees selected by --tags', async () => {
    const tags = '@concern:functional and not @needs:compose-inventory';
    const { exitCode, output, result } = await runInProcess({}, { tags, requireCertificate: true });
    assert.equal(exitCode, 3, output);
    assert.deepEqual(verdictLines(output).map((l) => l.split('  ')[1]), functionalIds('CTH'));
    assert.equal(result.certificate.status, 'INCOMPLETE');
    const left = result.guarantees.filter((g) => !functionalIds('CTH').includes(g.id));
    assert.ok(left.length > 0 && left.every((g) => g.verdict === 'NOT_EVALUATED' && g.reason === `not selected by the tag filter "${tags}"`));
  });

  it('exits 3 when a tag filter leaves nothing evaluated, so a CI gate cannot go green on nothing', async () => {
    const { exitCode, result } = await runInProcess({}, { tags: '@guarantee:CTH-FUN-99' });
    assert.equal(exitCode, 3);
    assert.equal(result.summary.passed, 0);
  });

  it('evaluates documentation from reviewer attestations in the config, and fails a stale one', async () => {
    const recent = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    const { exitCode, byId, output } = await runInProcess({
      attestations: [
        { guarantee: 'CTH-DOC-01', reviewer: 'Release QA', date: recent, reference: 'docs.mojaloop.io v17.1' },
        { guarantee: 'CTH-DOC-02', reviewer: 'Release QA', date: '2024-01-15', reference: 'learning guide v1' },
      ],
    }, { tags: '@concern:documentation' });
    assert.equal(exitCode, 1, output);
    assert.equal(byId['CTH-DOC-01']!.verdict, 'PASS');
    assert.match(byId['CTH-DOC-01']!.measured!, /attested by Release QA on .* \(docs\.mojaloop\.io v17\.1\)/);
    assert.equal(byId['CTH-DOC-02']!.verdict, 'FAIL');
    assert.equal(byId['CTH-DOC-03']!.verdict, 'NOT_EVALUATED');
    assert.match(byId['CTH-DOC-03']!.reason!, /no reviewer attestation for CTH-DOC-03/);
  });

  it('refuses an attestation naming no guarantee (a typo), and says when one belongs to another tier', async () => {
    const typo = await runInProcess({ attestations: [{ guarantee: 'CTH-DOC-09', reviewer: 'QA', date: '2026-11-01', reference: 'docs' }] });
    assert.equal(typo.exitCode, 2);
    assert.match(typo.result.error!, /^attestations\.0\.guarantee: "CTH-DOC-09" names no guarantee of any tier; the guarantees of core-test-harness a reviewer attests are CTH-DOC-01, CTH-DOC-02, CTH-DOC-03$/);
    const elsewhere = await runInProcess({ attestations: [{ guarantee: 'HELM-DOC-01', reviewer: 'QA', date: '2026-11-01', reference: 'docs' }] }, { tags: '@guarantee:CTH-FUN-01' });
    assert.equal(elsewhere.exitCode, 0);
    assert.match(elsewhere.output, /note: attestation for HELM-DOC-01 applies to tier helm, not core-test-harness: ignored/);
  });

  it('fails a guarantee with evidence and exits 1 when the hub does not answer as a switch must', async () => {
    // The "unknown" party is in fact the payee, so the lookup succeeds where 3204 is demanded: CTH-FUN-02 must fail.
    const { exitCode, output, byId, result } = await runInProcess({ parties: { unknown: { type: 'MSISDN', id: '27713803912' } } });
    assert.equal(exitCode, 1, output);
    assert.match(output, /✘ FAIL {2}CTH-FUN-02/);
    assert.equal(byId['CTH-FUN-02']!.verdict, 'FAIL');
    assert.match(byId['CTH-FUN-02']!.reason!, /^lookup callback was success callback after \d+ ms, expected error callback within 10000 ms$/);
    assert.equal(result.guarantees.filter((g) => g.verdict === 'PASS').length, 20);
    assert.equal(result.certificate.status, 'NOT_CERTIFIED');
  });
});

describe('ConformanceRun, two at once in one process', () => {
  it('keeps each run\'s session, verdicts and reports its own', async () => {
    const load = { loadRunner: scriptedRunner({ lookups: 10, quotes: 10, transfers: 10 }).runner };
    const [harness, helm] = await Promise.all([runInProcess({ tier: 'core-test-harness' }, load), runInProcess({ tier: 'helm' }, load)]);
    assert.equal(harness.result.tier, 'core-test-harness');
    assert.equal(helm.result.tier, 'helm');
    assert.deepEqual(harness.result.guarantees.filter((g) => g.verdict === 'PASS').map((g) => g.id), [...functionalIds('CTH'), 'CTH-LIM-01', 'CTH-SEC-01']);
    assert.deepEqual(helm.result.guarantees.filter((g) => g.verdict === 'PASS').map((g) => g.id), functionalIds('HELM'));
    assert.deepEqual(helm.result.guarantees.filter((g) => g.reducedLoad).map((g) => g.id), ['HELM-SLA-01', 'HELM-SLA-02', 'HELM-SLA-03', 'HELM-SLA-04', 'HELM-SLA-05'],
      'each SLA judged on the load of its own run');
    assert.notEqual(harness.result.environment!.endpoints.hub, helm.result.environment!.endpoints.hub, 'each run started its own hub');
    assert.equal(harness.exitCode, 0);
    assert.equal(helm.exitCode, 0);
  });
});
