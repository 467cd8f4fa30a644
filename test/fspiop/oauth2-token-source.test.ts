import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { OAuth2TokenSource, TokenRequestError } from '../../src/fspiop/oauth2-token-source.ts';
import { ManualClock } from '../helpers/manual-clock.ts';
import { closeServer, listen } from '../helpers/servers.ts';

const SECRET = 'planted-client-secret-7f3a';

/** A token endpoint: grants `client`/SECRET, tokens numbered in order, answers held until released when `hold` is set. */
function tokenEndpoint() {
  const asked: Array<{ authorization: string | undefined; form: URLSearchParams }> = [];
  let issued = 0;
  let hold: Promise<void> | undefined;
  const server = createServer(async (request: IncomingMessage, response) => {
    let text = '';
    for await (const chunk of request) text += chunk;
    const form = new URLSearchParams(text);
    asked.push({ authorization: request.headers.authorization, form });
    if (hold) await hold;
    const basic = request.headers.authorization?.startsWith('Basic ') ? Buffer.from(request.headers.authorization.slice(6), 'base64').toString() : undefined;
    const [id, secret] = basic ? basic.split(':').map((part) => decodeURIComponent(part.replace(/\+/g, ' '))) : [form.get('client_id'), form.get('client_secret')];
    response.setHeader('content-type', 'application/json');
    if (form.get('grant_type') !== 'client_credentials' || id !== 'client' || secret !== SECRET) {
      response.writeHead(401).end(JSON.stringify({ error: 'invalid_client', error_description: `bad secret ${secret}` }));
      return;
    }
    issued += 1;
    response.end(JSON.stringify({ access_token: `token-${issued}`, token_type: 'Bearer', expires_in: 300 }));
  });
  return { server, asked, holdWith: (gate: Promise<void> | undefined) => { hold = gate; } };
}

describe('OAuth2TokenSource (client credentials)', () => {
  const endpoint = tokenEndpoint();
  let url = '';
  before(async () => { url = `${await listen(endpoint.server)}/oauth2/token`; });
  after(() => closeServer(endpoint.server));

  it('asks once with HTTP Basic, keeps the token, and renews it before it expires', async () => {
    const clock = new ManualClock();
    const source = new OAuth2TokenSource({ tokenUrl: url, clientId: 'client', clientSecret: SECRET, scope: 'fspiop' }, { clock, renewBeforeMs: 30_000 });
    const first = await source.token();
    const asked = endpoint.asked.length;
    assert.equal(await source.token(), first);
    clock.advance(269_000);
    assert.equal(await source.token(), first, 'still 31 s before expiry');
    clock.advance(2_000);
    assert.notEqual(await source.token(), first, 'renewed within the margin');
    assert.equal(endpoint.asked.length, asked + 1);
    const request = endpoint.asked.at(-1)!;
    assert.match(request.authorization ?? '', /^Basic /);
    assert.equal(request.form.get('scope'), 'fspiop');
    assert.equal(request.form.get('client_secret'), null, 'Basic: the secret is not in the body');
  });

  it('puts the client credentials in the body when told to', async () => {
    const source = new OAuth2TokenSource({ tokenUrl: url, clientId: 'client', clientSecret: SECRET }, { clientAuthentication: 'body' });
    assert.match(await source.token(), /^token-/);
    const request = endpoint.asked.at(-1)!;
    assert.equal(request.authorization, undefined);
    assert.equal(request.form.get('client_id'), 'client');
  });

  it('makes concurrent callers share one token request', async () => {
    let release!: () => void;
    endpoint.holdWith(new Promise<void>((resolve) => { release = resolve; }));
    const source = new OAuth2TokenSource({ tokenUrl: url, clientId: 'client', clientSecret: SECRET });
    const before = endpoint.asked.length;
    const waiting = Array.from({ length: 20 }, () => source.token());
    // Bounded: the first request reaching the endpoint is what holds the others.
    for (let i = 0; i < 200 && endpoint.asked.length === before; i++) await new Promise((resolve) => setImmediate(resolve));
    release();
    endpoint.holdWith(undefined);
    const tokens = await Promise.all(waiting);
    assert.equal(new Set(tokens).size, 1);
    assert.equal(endpoint.asked.length, before + 1);
  });

  it('says in one line which endpoint refused and what it said, never the secret', async () => {
    const source = new OAuth2TokenSource({ tokenUrl: `${url}?tenant=x`, clientId: 'client', clientSecret: 'wrong-secret-91c2' });
    const error = await source.token().then(() => undefined, (caught: unknown) => caught);
    assert.ok(error instanceof TokenRequestError);
    assert.equal(error.refused, true);
    assert.match(error.message, /token endpoint http:\/\/127\.0\.0\.1:\d+\/oauth2\/token\?tenant=\*\*\* refused .*HTTP 401 \(error "invalid_client"\)/);
    assert.doesNotMatch(error.message, /wrong-secret|\n/);
  });

  it('tells an unreachable endpoint from a refusal', async () => {
    const source = new OAuth2TokenSource({ tokenUrl: 'http://127.0.0.1:9/token', clientId: 'client', clientSecret: SECRET });
    await assert.rejects(source.token(), (error: unknown) => error instanceof TokenRequestError && !error.refused && /could not be reached: ECONNREFUSED/.test(error.message));
  });
});
