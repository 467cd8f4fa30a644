import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccessTokens } from '../../src/hub/access-tokens.ts';
import type { HubSecurityMaterial } from '../../src/hub/hub-credentials.ts';

/** Only what the tokens read of the material: the clients and the token key (no certificate or key pair is needed). */
const material = {
  dfsps: { payerfsp: { clientId: 'payerfsp', clientSecret: 'payer-secret' }, bystanderfsp: { clientId: 'payerfsp', clientSecret: 'payer-secret' } },
  admin: { clientId: 'hub-operator', clientSecret: 'operator-secret' },
  tokenKey: 'token-key',
} as unknown as HubSecurityMaterial;

describe('AccessTokens (the secured hub\'s client credentials grant)', () => {
  let now = Date.parse('2026-12-05T12:00:00Z');
  const tokens = new AccessTokens(material, { ttlSeconds: 60, now: () => now });
  const grant = (id: string, secret: string, scope?: string) => tokens.grant(id, secret, scope);
  const bearer = (issued: ReturnType<typeof grant>) => {
    assert.ok('accessToken' in issued, JSON.stringify(issued));
    return `Bearer ${issued.accessToken}`;
  };

  it('grants a client its own scope by default and checks the token for it', () => {
    const issued = grant('payerfsp', 'payer-secret');
    assert.ok('scope' in issued && issued.scope === 'fspiop' && issued.expiresIn === 60);
    assert.deepEqual(tokens.check(bearer(issued), 'fspiop'), { ok: true, clientId: 'payerfsp' });
  });

  it('refuses an unknown client and a wrong secret alike (invalid_client, 401), and a scope the client may not have (invalid_scope, 400)', () => {
    for (const [id, secret] of [['nobody', 'payer-secret'], ['payerfsp', 'wrong'], ['payerfsp', 'payer-secre']]) {
      assert.deepEqual(grant(id!, secret!), { status: 401, error: 'invalid_client', description: 'client authentication failed' });
    }
    assert.equal((grant('payerfsp', 'payer-secret', 'fspiop admin') as { error: string }).error, 'invalid_scope');
    assert.equal((grant('hub-operator', 'operator-secret', 'fspiop') as { error: string }).error, 'invalid_scope');
  });

  it('answers insufficient_scope to a valid token of another scope, and invalid_token to none, a forged one and an expired one', () => {
    const operator = bearer(grant('hub-operator', 'operator-secret'));
    assert.equal((tokens.check(operator, 'fspiop') as { error: string }).error, 'insufficient_scope');
    assert.equal((tokens.check(undefined, 'fspiop') as { error: string }).error, 'invalid_token');
    const payer = bearer(grant('payerfsp', 'payer-secret'));
    const [claims] = payer.slice('Bearer '.length).split('.');
    const widened = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(claims!, 'base64url').toString()), scope: 'admin' })).toString('base64url');
    assert.equal((tokens.check(`Bearer ${widened}.${payer.split('.')[1]}`, 'admin') as { description: string }).description, 'the bearer token was not issued by this hub');
    now += 60_000;
    assert.equal((tokens.check(payer, 'fspiop') as { description: string }).description, 'the bearer token has expired');
  });

  it('holds a token issued before the hub restarted on the same material, and no other hub\'s', () => {
    const issued = bearer(grant('payerfsp', 'payer-secret'));
    assert.equal(new AccessTokens(material, { now: () => now }).check(issued, 'fspiop').ok, true);
    assert.equal(new AccessTokens({ ...material, tokenKey: 'another' }, { now: () => now }).check(issued, 'fspiop').ok, false);
  });
});
