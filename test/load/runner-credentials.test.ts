import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config/errors.ts';
import { validateConfig } from '../../src/config/load-config.ts';
import { CallbackServer } from '../../src/fspiop/callback-server.ts';
import { FspiopTransport } from '../../src/fspiop/fspiop-transport.ts';
import { BuiltinLoadRunner } from '../../src/load/builtin/builtin-runner.ts';
import { createLoadRunner } from '../../src/load/create-load-runner.ts';

describe('a load runner on a run that presents credentials', () => {
  const config = validateConfig({});
  const callbacks = new CallbackServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 65_536, addressing: { dfsps: ['payerfsp'], senders: ['switch'] } });
  const signing = FspiopTransport.from({ jws: { privateKeyPem: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), verificationKeys: {} } });
  const deps = { config, hubUrl: 'http://hub:3000', callbacks, channel: undefined, transport: signing };

  it('refuses k6 asked for by name in one line, rather than sending load it cannot authenticate', () => {
    assert.throws(() => createLoadRunner({ kind: 'k6', note: '' }, deps),
      (error: unknown) => error instanceof ConfigError && /^load\.runner k6: the k6 scripts cannot present an FSPIOP-Signature.*use --runner builtin/.test(error.message) && !error.message.includes('\n'));
  });

  it('takes the builtin runner when auto chose k6, and says why', () => {
    const notices: string[] = [];
    const runner = createLoadRunner({ kind: 'k6', note: '', auto: true }, { ...deps, notice: (line) => notices.push(line) });
    assert.ok(runner instanceof BuiltinLoadRunner);
    assert.match(notices.join('\n'), /builtin instead of k6 \(auto\): k6's scripts cannot present an FSPIOP-Signature/);
  });

  it('leaves k6 alone when nothing is presented (verification keys or callback TLS only)', () => {
    assert.deepEqual(FspiopTransport.plain().presented, []);
    assert.deepEqual(signing.withoutCredentials().presented, []);
  });
});
