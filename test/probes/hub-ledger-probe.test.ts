import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { validateConfig } from '../../src/config/load-config.ts';
import { HubAdminClient } from '../../src/fspiop/hub-admin-client.ts';
import { HubAdminApi } from '../../src/hub/admin-api.ts';
import { HubLedger } from '../../src/hub/ledger.ts';
import { HubLedgerProbe } from '../../src/probes/hub-ledger-probe.ts';
import { join } from 'node:path';
import { HubChangeJournal } from '../../src/provisioning/hub-change-journal.ts';
import { tempDir } from '../helpers/cli.ts';
import { fundLiquidity } from '../helpers/liquidity.ts';

const config = validateConfig({});

describe('HubLedgerProbe, through a real admin API', () => {
  const ledger = new HubLedger();
  const api = new HubAdminApi(ledger);
  let client: HubAdminClient;
  let journal: HubChangeJournal;
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
    journal = new HubChangeJournal(join(await tempDir('journal'), '.hub-changes.json'));
  });
  after(async () => {
    await api.stop();
    ledger.close();
  });

  it('passes "unchanged" only when no funds moved, and says by how much they did', async () => {
    const probe = new HubLedgerProbe(client, config, journal);
    await probe.notePosition();
    assert.equal((await probe.positionUnchanged())[0]!.ok, true);
    reserve('2.5');
    const [moved] = await probe.positionUnchanged();
    assert.equal(moved!.ok, false);
    assert.match(String(moved!.value), /\(change 2\.5\)/);
    assert.match(moved!.source, /GET http:\/\/127\.0\.0\.1:\d+\/participants\/payerfsp\/positions/);
  });

  it('passes "moved once" for exactly one booking of the amount, and fails for two', async () => {
    const probe = new HubLedgerProbe(client, config, journal);
    await probe.notePosition();
    reserve('7');
    assert.equal((await probe.positionMovedOnce({ amount: '7', currency: 'USD' }))[0]!.ok, true);
    reserve('7');
    const [twice] = await probe.positionMovedOnce({ amount: '7', currency: 'USD' });
    assert.equal(twice!.ok, false);
    assert.match(String(twice!.value), /\(change 14\)/);
  });

  it('leaves the asked headroom under the net debit cap, journaled while it lasts, and puts the cap back', async () => {
    const probe = new HubLedgerProbe(client, config, journal);
    await probe.leaveHeadroom('50');
    const position = await client.position('payerfsp', 'USD');
    assert.equal(await client.netDebitCap('payerfsp', 'USD'), position + 50);
    assert.deepEqual((await journal.pending()).map((entry) => entry.description), ['net debit cap of payerfsp in USD back to 1000'], 'a run killed now has it put back by the next');
    await probe.restore();
    assert.deepEqual(await journal.pending(), []);
    assert.equal(await client.netDebitCap('payerfsp', 'USD'), 1000);
    await probe.restore();
    assert.equal(await client.netDebitCap('payerfsp', 'USD'), 1000, 'restoring twice changes nothing');
  });

  it('passes "the payee moved once" when the payee is credited the amount once on commit', async () => {
    const probe = new HubLedgerProbe(client, config, journal);
    await probe.notePosition();
    const transfer = reserve('3');
    assert.equal(transfer.kind, 'reserved');
    const [before] = await probe.payeePositionMovedOnce({ amount: '3', currency: 'USD' });
    assert.equal(before!.ok, false, 'a reservation alone credits nobody');
    ledger.commit(transfer.transfer.transferId, 'fulfilment', new Date().toISOString());
    const [after] = await probe.payeePositionMovedOnce({ amount: '3', currency: 'USD' });
    assert.equal(after!.ok, true, String(after!.value));
    assert.match(after!.name, /^payee payeefsp position in USD$/);
  });

  it('says a cap scenario cannot be evaluated when the payer\'s liquidity would stop the transfer first (4001 before 4200)', async () => {
    const probe = new HubLedgerProbe(client, config, journal);
    assert.deepEqual(await probe.liquidityCovers('10'), []);
    const finding = await probe.liquidityCovers('1000000');
    assert.ok('notEvaluated' in finding);
    assert.match(finding.notEvaluated, /leaves [\d.]+, less than the 1000000 the scenario sends: the hub would answer 4001 before it reaches the net debit cap/);
  });

  it('takes liquidity out until the cover leaves the asked room, journaled, and funds it back in', async () => {
    const probe = new HubLedgerProbe(client, config, journal);
    const before = await client.liquidity('payerfsp', 'USD');
    assert.deepEqual(await probe.leaveLiquidity('50'), []);
    const position = await client.position('payerfsp', 'USD');
    assert.equal(await client.liquidity('payerfsp', 'USD'), position + 50);
    assert.equal((await journal.pending()).length, 1);
    await probe.restore();
    assert.equal(await client.liquidity('payerfsp', 'USD'), before);
    assert.deepEqual(await journal.pending(), []);
  });

  it('refuses to compare without a noted position: a mistake in the feature file, not a verdict', async () => {
    await assert.rejects(new HubLedgerProbe(client, config, journal).positionUnchanged(), /no position was noted/);
  });
});
