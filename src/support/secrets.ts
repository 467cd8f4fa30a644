import { createHash } from 'node:crypto';
import { redactUrl } from './url.ts';

/** Field names that hold a secret, whatever the section: secret, password, token, key, credential (apiKey, signingKey, clientSecret, bearerToken…). */
const SECRET_FIELD = /secret|passw|token|key|credential/i;

/**
 * A copy of `value` with every secret removed: fields named like a secret are left out (not
 * masked, so two configs differing only in a secret are the same config), and every string that
 * is a URL loses its credentials and query values (`redactUrl`). Safe to print, store and digest.
 */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (typeof value === 'string') return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? redactUrl(value) : value;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([name]) => !SECRET_FIELD.test(name)).map(([name, field]) => [name, withoutSecrets(field)]));
}

/** JSON with object keys sorted at every level: the same data always gives the same text, so the same digest. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) => (typeof field === 'object' && field !== null && !Array.isArray(field)
    ? Object.fromEntries(Object.entries(field).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : field));
}

/** `sha256:<hex>` of the canonical JSON of `value` with its secrets removed: says two runs used the same config without showing it. */
export function secretFreeDigest(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(withoutSecrets(value))).digest('hex')}`;
}
