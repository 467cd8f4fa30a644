import { createHash } from 'node:crypto';

/** The hub's own check: a fulfilment is valid when SHA-256(fulfilment) equals the condition (both base64url). */
export function fulfilmentMatchesCondition(fulfilment: string, condition: string): boolean {
  const preimage = Buffer.from(fulfilment, 'base64url');
  if (preimage.length !== 32) return false;
  const digest = createHash('sha256').update(preimage).digest('base64url');
  return digest === condition;
}
