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

  it('is incomplete when no guarantee ran', () => {
    assert.equal(issueCertificate('iac', 'certify', []).status, 'INCOMPLETE');
  });
});
