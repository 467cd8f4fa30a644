import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { issueCertificate } from '../../src/verdict/certificate.ts';
import type { GuaranteeVerdict, Verdict } from '../../src/verdict/guarantee-verdict.ts';

const verdict = (id: string, v: Verdict, fullThreshold = true): GuaranteeVerdict => ({
  id, title: id, verdict: v, measured: v === 'NOT_EVALUATED' ? null : 'x', threshold: 'y', reason: v === 'PASS' ? null : 'z',
  fullThreshold, concern: null, location: 'f:1', evidence: [],
});

describe('issueCertificate', () => {
  it('certifies only when every guarantee passed at full threshold', () => {
    const certificate = issueCertificate('helm', 'certify', [verdict('A', 'PASS'), verdict('B', 'PASS')]);
    assert.equal(certificate.status, 'CERTIFIED');
    assert.equal(certificate.scope, 'production');
    assert.match(certificate.statement, /production-ready/);
  });

  it('never certifies when a guarantee failed, even if others were not evaluated', () => {
    const certificate = issueCertificate('helm', 'certify', [verdict('A', 'PASS'), verdict('B', 'FAIL'), verdict('C', 'NOT_EVALUATED')]);
    assert.equal(certificate.status, 'NOT_CERTIFIED');
    assert.match(certificate.statement, /B/);
  });

  it('is incomplete when a guarantee was not evaluated', () => {
    assert.equal(issueCertificate('helm', 'certify', [verdict('A', 'PASS'), verdict('B', 'NOT_EVALUATED')]).status, 'INCOMPLETE');
  });

  it('never certifies an SLA passed under a profile that does not certify, and says which profile', () => {
    const certificate = issueCertificate('helm', 'smoke', [verdict('A', 'PASS'), verdict('SLA', 'PASS', false)]);
    assert.equal(certificate.status, 'INCOMPLETE');
    assert.match(certificate.statement, /1 guarantee passed under profile smoke, which does not certify/);
  });

  it('never certifies a tier whose SLA passes were not evaluated under a reduced load, and still fails one that failed there', () => {
    assert.equal(issueCertificate('helm', 'smoke', [verdict('A', 'PASS'), verdict('SLA-02', 'NOT_EVALUATED', false)]).status, 'INCOMPLETE');
    const failed = issueCertificate('helm', 'smoke', [verdict('A', 'PASS'), verdict('SLA-04', 'FAIL', false)]);
    assert.equal(failed.status, 'NOT_CERTIFIED');
    assert.match(failed.statement, /SLA-04/);
  });

  it('certifies a development tier for development and testing only, never production', () => {
    for (const tier of ['core-test-harness', 'miniloop'] as const) {
      const certificate = issueCertificate(tier, 'certify', [verdict('A', 'PASS')]);
      assert.equal(certificate.status, 'CERTIFIED');
      assert.equal(certificate.scope, 'development and testing only');
      assert.doesNotMatch(certificate.statement, /production-ready/);
      assert.match(certificate.statement, /never production or real money/);
    }
  });

  it('vouches for production only when CERTIFIED: an incomplete or failed production tier vouches for nothing', () => {
    const incomplete = issueCertificate('helm', 'certify', [verdict('A', 'PASS'), verdict('B', 'NOT_EVALUATED')]);
    assert.equal(incomplete.scope, null);
    assert.equal(incomplete.tierScope, 'production');
    assert.equal(issueCertificate('iac', 'certify', [verdict('A', 'FAIL')]).scope, null);
  });

  it('a --profile smoke HELM run says its load was reduced, counts the reduced-load results and never claims production', () => {
    const reduced = { ...verdict('HELM-SLA-01', 'NOT_EVALUATED', false), reducedLoad: { profile: 'smoke', asked: { ratePerSecond: 1000, durationMs: 3_600_000 }, offered: { ratePerSecond: 20, durationMs: 60_000 } } };
    const certificate = issueCertificate('helm', 'smoke', [verdict('HELM-FUN-01', 'PASS'), reduced], { profileCertifies: false });
    assert.equal(certificate.status, 'INCOMPLETE');
    assert.equal(certificate.scope, null);
    assert.equal(certificate.profileCertifies, false);
    assert.equal(certificate.reducedLoad, 1);
    assert.equal(certificate.statement, 'INCOMPLETE (tier helm, profile smoke (a reduced load: certifies no SLA)): 1 held only a reduced load (profile smoke; use --profile certify)');
  });

  it('does not speak of a reduced load where no guarantee judged depends on the load', () => {
    assert.equal(issueCertificate('core-test-harness', 'smoke', [verdict('A', 'PASS')], { profileCertifies: false }).statement,
      'CERTIFIED for development and testing only — never production or real money (tier core-test-harness, profile smoke; development and testing only): all 1 guarantees passed');
  });

  it('is incomplete when no guarantee ran', () => {
    assert.equal(issueCertificate('iac', 'certify', []).status, 'INCOMPLETE');
  });
});
