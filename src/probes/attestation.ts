import type { Attestation } from '../config/schema.ts';
import type { Measurement } from '../evidence/evidence.ts';
import type { Finding } from '../evidence/finding.ts';

/** A review older than this no longer vouches for the current documentation. */
export const ATTESTATION_MAX_AGE_DAYS = 365;

/** A person's review, recorded in the config, as evidence: who, when, what — and whether it is still current. */
export function judgeAttestation(attestation: Attestation, subject: string, now: Date): Measurement {
  const ageDays = Math.floor((now.getTime() - Date.parse(attestation.date)) / 86_400_000);
  return {
    name: `${subject} review`,
    value: `attested by ${attestation.reviewer} on ${attestation.date} (${attestation.reference})`,
    threshold: `a review dated within the last ${ATTESTATION_MAX_AGE_DAYS} days, not in the future`,
    ok: ageDays >= 0 && ageDays <= ATTESTATION_MAX_AGE_DAYS,
    source: 'reviewer attestation in the configuration',
  };
}

/** The review of one guarantee among the config's attestations; without one it cannot be evaluated. */
export function attestedReview(attestations: readonly Attestation[], guaranteeId: string, subject: string, now: Date): Finding {
  const attestation = attestations.find((a) => a.guarantee === guaranteeId);
  if (!attestation) return { notEvaluated: `no reviewer attestation for ${guaranteeId} in the config (attestations)`, capability: 'human-review' };
  return [judgeAttestation(attestation, subject, now)];
}
