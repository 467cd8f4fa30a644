import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { validateConfig } from '../../src/config/load-config.ts';
import { HubAdminClient } from '../../src/fspiop/hub-admin-client.ts';
import { HubAdminApi } from '../../src/hub/admin-api.ts';
import { HubLedger } from '../../src/hub/ledger.ts';
import { HubLedgerProbe } from '../../src/probes/hub-ledger-probe.ts';
import { fundLiquidity } from '../helpers/liquidity.ts';

const config = validateConfig({});

describe('HubLedgerProbe, through a real admin API', () => {
  const ledger = new HubLedger();
  const api = new HubAdminApi(ledger);
  let client: HubAdminClient;
  const reserve = (amount: string) => ledger.prepare({
    transferId: randomUUID(), payerFsp: 'payerfsp', payeeFsp: 'payeefsp', amount: { amount, currency: 'USD' },
    condition: 'GRzLaTP7DJ9t4P-a_BA0WA9wzzlsugf00-Tn6kESAfM', expiration: new Date(Date.now() + 60_000).toISOString(),
  }, 'hash');

  before(async () => {
    for (const fsp of ['payerfsp', 'payeefsp']) {
      ledger.ensureParticipant(fsp, ['USD'], '1000');
      fundLiquidity(ledger, fsp, '1000');
    }
    client = new HubAdminClient(await api.start(0, '127.0.0.1'), 5000);
  });
  after(async () => {
    await api.stop();
    ledger.close();
  });

  it('passes "unchanged" only when no funds moved, and says by how much they did', async () => {
    const probe = new HubLedgerProbe(client, config);
    await probe.notePosition();
    assert.equal((await probe.positionUnchanged())[0]!.ok, true);
    reserve('2.5');
    const [moved] = await probe.positionUnchanged();
    assert.equal(moved!.ok, false);
    assert.match(String(moved!.value), /\(change 2\.5\)/);
    assert.match(moved!.source, /GET http:\/\/127\.0\.0\.1:\d+\/participants\/payerfsp\/positions/);
  });

  it('passes "moved once" for exactly one booking of the amount, and fails for two', async () => {
    const probe = new HubLedgerProbe(client, config);
    await probe.notePosition();
    reserve('7');
    assert.equal((await probe.positionMovedOnce({ amount: '7', currency: 'USD' }))[0]!.ok, true);
    reserve('7');
    const [twice] = await probe.positionMovedOnce({ amount: '7', currency: 'USD' });
    assert.equal(twice!.ok, false);
    assert.match(String(twice!.value), /\(change 14\)/);
  });

  it('leaves the asked headroom under the net debit cap, and puts the cap back', async () => {
    const probe = new HubLedgerProbe(client, config);
    await probe.leaveHeadroom('50');
    const position = await client.position('payerfsp', 'USD');
    assert.equal(await client.netDebitCap('payerfsp', 'USD'), position + 50);
    await probe.restore();
    assert.equal(await client.netDebitCap('payerfsp', 'USD'), 1000);
    await probe.restore();
    assert.equal(await client.netDebitCap('payerfsp', 'USD'), 1000, 'restoring twice changes nothing');
  });

  it('refuses to compare without a noted position: a mistake in the feature file, not a verdict', async () => {
    await assert.rejects(new HubLedgerProbe(client, config).positionUnchanged(), /no position was noted/);
  });
});
