import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config/errors.ts';
import { validateConfig } from '../../src/config/load-config.ts';
import { readOnboarding } from '../../src/environment/onboarding.ts';
import { tempDir } from '../helpers/cli.ts';

describe('the embedded hub\'s onboarding fixture', () => {
  it('onboards the run\'s payer and payee and gives every controlled-payee role a party of the simulated payee', () => {
    const onboarding = readOnboarding(validateConfig({ participants: { payer: { fspId: 'bluebank', currency: 'EUR' }, payee: { fspId: 'greenbank' } } }));
    assert.deepEqual(onboarding.participants.map((p) => [p.role, p.fspId, p.currencies]), [['payer', 'bluebank', ['EUR']], ['payee', 'greenbank', ['EUR']], ['bystander', 'bystanderfsp', ['EUR']]]);
    assert.deepEqual(Object.keys(onboarding.controlledPayee).sort(), ['invalidFulfilment', 'nonLatinName', 'rejecting', 'silent', 'withSubId']);
    assert.equal(onboarding.controlledPayee.withSubId?.subId, 'savings');
    assert.equal(onboarding.controlledPayee.nonLatinName?.lastName, '李小龍');
    assert.deepEqual(onboarding.payeeParties.map((p) => p.behaviour), ['fulfil', 'invalid-fulfilment', 'reject', 'silent', 'fulfil', 'fulfil']);
  });

  it('onboards the bystander, which moves no money (no cap, no liquidity), under the id the config gives it', () => {
    const onboarding = readOnboarding(validateConfig({ participants: { bystander: { fspId: 'greybank' } } }));
    const bystander = onboarding.participants.find((p) => p.role === 'bystander');
    assert.deepEqual(bystander && [bystander.fspId, bystander.netDebitCap, bystander.liquidity], ['greybank', '0', '0']);
  });

  it('lets the config name a role\'s party instead of the fixture\'s', () => {
    const onboarding = readOnboarding(validateConfig({ parties: { rejecting: { type: 'EMAIL', id: 'no@example.com' } } }));
    assert.deepEqual(onboarding.controlledPayee.rejecting, { type: 'EMAIL', id: 'no@example.com', firstName: 'Rex', lastName: 'Refuser' });
    assert.ok(onboarding.payeeParties.some((p) => p.id === 'no@example.com' && p.behaviour === 'reject'));
  });

  it('names the file and the field of a broken fixture (a user error, exit 2)', async () => {
    const dir = await tempDir('onboarding');
    const file = join(dir, 'broken.yaml');
    await writeFile(file, 'participants:\n  - role: payer\n    netDebitCap: lots\npayeeParties: []\n');
    assert.throws(() => readOnboarding(validateConfig({ embedded: { onboarding: file } })),
      (error: unknown) => error instanceof ConfigError && error.message.includes(file) && /participants\.0\.netDebitCap/.test(error.message));
    assert.throws(() => readOnboarding(validateConfig({ embedded: { onboarding: join(dir, 'missing.yaml') } })), /embedded\.onboarding: cannot read .*missing\.yaml/);
  });
});
