import type { Profile, Tier } from '../config/schema.ts';
import type { GuaranteeVerdict } from './guarantee-verdict.ts';

export type CertificateStatus = 'CERTIFIED' | 'NOT_CERTIFIED' | 'INCOMPLETE';

export interface Certificate {
  tier: Tier;
  profile: Profile;
  status: CertificateStatus;
  /** What a certificate of this tier can ever vouch for. */
  scope: 'development and testing only' | 'production';
  /** The sentence printed and stored with the result. */
  statement: string;
}

/** Tiers the seed says must never carry real money, whatever their guarantees show. */
const DEVELOPMENT_TIERS: ReadonlySet<Tier> = new Set<Tier>(['core-test-harness', 'miniloop']);

/**
 * CERTIFIED only when every guarantee of the tier was evaluated at full threshold and passed;
 * NOT CERTIFIED when any failed (under a reduced load, too); INCOMPLETE otherwise (something not
 * evaluated — a pass under a reduced load is not evaluated — or an SLA passed under a profile that
 * does not certify).
 */
export function issueCertificate(tier: Tier, profile: Profile, verdicts: readonly GuaranteeVerdict[]): Certificate {
  const scope = DEVELOPMENT_TIERS.has(tier) ? 'development and testing only' : 'production';
  const failed = verdicts.filter((v) => v.verdict === 'FAIL');
  const notEvaluated = verdicts.filter((v) => v.verdict === 'NOT_EVALUATED');
  const reduced = verdicts.filter((v) => v.verdict === 'PASS' && !v.fullThreshold);
  // A development tier's certificate says so in every state, not only when CERTIFIED.
  const where = `tier ${tier}, profile ${profile}${scope === 'development and testing only' ? '; development and testing only' : ''}`;
  if (verdicts.length === 0) {
    return { tier, profile, status: 'INCOMPLETE', scope, statement: `INCOMPLETE (${where}): no guarantee was run` };
  }
  if (failed.length > 0) {
    return { tier, profile, status: 'NOT_CERTIFIED', scope, statement: `NOT CERTIFIED (${where}): ${failed.length} guarantee${failed.length > 1 ? 's' : ''} failed (${failed.map((v) => v.id).join(', ')})` };
  }
  if (notEvaluated.length > 0 || reduced.length > 0) {
    const parts = [
      notEvaluated.length > 0 ? `${notEvaluated.length} not evaluated` : '',
      reduced.length > 0 ? `${reduced.length} guarantee${reduced.length > 1 ? 's' : ''} passed under profile ${profile}, which does not certify (use --profile certify)` : '',
    ].filter(Boolean);
    return { tier, profile, status: 'INCOMPLETE', scope, statement: `INCOMPLETE (${where}): ${parts.join(', ')}` };
  }
  const use = scope === 'production' ? 'production-ready' : 'for development and testing only — never production or real money';
  return { tier, profile, status: 'CERTIFIED', scope, statement: `CERTIFIED ${use} (${where}): all ${verdicts.length} guarantees passed` };
}
