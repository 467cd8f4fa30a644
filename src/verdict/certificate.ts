import type { Profile, Tier } from '../config/schema.ts';
import type { GuaranteeVerdict } from './guarantee-verdict.ts';

export type CertificateStatus = 'CERTIFIED' | 'NOT_CERTIFIED' | 'INCOMPLETE';

export type CertificateScope = 'development and testing only' | 'production';

export interface Certificate {
  tier: Tier;
  profile: Profile;
  status: CertificateStatus;
  /**
   * What this certificate vouches for: `production` only when CERTIFIED — an incomplete or failed
   * run of a production tier vouches for nothing (null); a development tier says so in every state.
   */
  scope: CertificateScope | null;
  /** What a certificate of this tier can ever vouch for, whatever this run showed. */
  tierScope: CertificateScope;
  /** Whether the profile offers the load the guarantees ask (`certifies` in scenarios/<profile>.yaml); false: this run can certify no SLA. */
  profileCertifies: boolean;
  /** Guarantees judged under a load the profile reduced (their passes are NOT EVALUATED, their failures FAIL). */
  reducedLoad: number;
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
export function issueCertificate(tier: Tier, profile: Profile, verdicts: readonly GuaranteeVerdict[], options: { profileCertifies?: boolean } = {}): Certificate {
  const tierScope: CertificateScope = DEVELOPMENT_TIERS.has(tier) ? 'development and testing only' : 'production';
  const profileCertifies = options.profileCertifies ?? profile === 'certify';
  const failed = verdicts.filter((v) => v.verdict === 'FAIL');
  const notEvaluated = verdicts.filter((v) => v.verdict === 'NOT_EVALUATED');
  const reduced = verdicts.filter((v) => v.verdict === 'PASS' && !v.fullThreshold);
  const reducedLoad = verdicts.filter((v) => v.reducedLoad !== undefined).length;
  // A development tier's certificate says so in every state, not only when CERTIFIED; a profile that reduces the load says so too.
  // Said only where it matters: a tier with no SLA guarantee among those judged loses nothing to the profile.
  const limitedByProfile = !profileCertifies && verdicts.some((v) => !v.fullThreshold);
  const where = `tier ${tier}, profile ${profile}${limitedByProfile ? ' (a reduced load: certifies no SLA)' : ''}${tierScope === 'development and testing only' ? '; development and testing only' : ''}`;
  const issued = (status: CertificateStatus, statement: string): Certificate => ({
    tier, profile, status, scope: status === 'CERTIFIED' || tierScope === 'development and testing only' ? tierScope : null, tierScope, profileCertifies, reducedLoad, statement,
  });
  if (verdicts.length === 0) return issued('INCOMPLETE', `INCOMPLETE (${where}): no guarantee was run`);
  if (failed.length > 0) {
    return issued('NOT_CERTIFIED', `NOT CERTIFIED (${where}): ${failed.length} guarantee${failed.length > 1 ? 's' : ''} failed (${failed.map((v) => v.id).join(', ')})`);
  }
  if (notEvaluated.length > 0 || reduced.length > 0) {
    const heldReduced = notEvaluated.filter((v) => v.reducedLoad !== undefined).length;
    const parts = [
      notEvaluated.length > heldReduced ? `${notEvaluated.length - heldReduced} not evaluated` : '',
      heldReduced > 0 ? `${heldReduced} held only a reduced load (profile ${profile}; use --profile certify)` : '',
      reduced.length > 0 ? `${reduced.length} guarantee${reduced.length > 1 ? 's' : ''} passed under profile ${profile}, which does not certify (use --profile certify)` : '',
    ].filter(Boolean);
    return issued('INCOMPLETE', `INCOMPLETE (${where}): ${parts.join(', ')}`);
  }
  const use = tierScope === 'production' ? 'production-ready' : 'for development and testing only — never production or real money';
  return issued('CERTIFIED', `CERTIFIED ${use} (${where}): all ${verdicts.length} guarantees passed`);
}
