import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeAttestation } from '../../src/probes/attestation.ts';

const attestation = { guarantee: 'CTH-DOC-01', reviewer: 'A. Reviewer', date: '2026-06-01', reference: 'docs.mojaloop.io v17' };

describe('judgeAttestation', () => {
  it('accepts a recent review and cites who, when and what', () => {
    const m = judgeAttestation(attestation, 'developer-focused documentation', new Date('2026-11-25'));
    assert.equal(m.ok, true);
    assert.equal(m.value, 'attested by A. Reviewer on 2026-06-01 (docs.mojaloop.io v17)');
  });

  it('rejects a review older than a year or dated in the future', () => {
    assert.equal(judgeAttestation(attestation, 'x', new Date('2027-07-01')).ok, false);
    assert.equal(judgeAttestation(attestation, 'x', new Date('2026-05-01')).ok, false);
  });
});
