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

/**
 * One cause, one classification. A hub that answered when the run began and stops answering fails
 * what it is asked: through FSPIOP the payer's request fails ("connection refused …", FAIL), and
 * through its admin API the same — not NOT EVALUATED, which would read as "the tool could not ask"
 * and, beside nothing failed, let a run whose hub died end green. (A hub unreachable before any
 * scenario stops the run instead: exit 4, every guarantee NOT EVALUATED, nothing was tested.)
 * An admin API that answers something unlike central-ledger is still the tool's question: an error.
 */
describe('HubLedgerProbe, the hub gone mid-run', () => {
  it('fails the scenario\'s reads naming the call that got no answer, as the FSPIOP checks fail', async () => {
    const ledger = new HubLedger();
    const api = new HubAdminApi(ledger);
    ledger.ensureParticipant('payerfsp', ['USD'], '1000');
    ledger.ensureParticipant('payeefsp', ['USD'], '1000');
    const client = new HubAdminClient(await api.start(0, '127.0.0.1'), 2000);
    const journal = new HubChangeJournal(join(await tempDir('journal'), '.hub-changes.json'));
    const probe = new HubLedgerProbe(client, config, journal);
    assert.deepEqual(await probe.notePosition(), []);
    await api.stop();
    ledger.close();
    for (const measurements of [await probe.positionUnchanged(), await new HubLedgerProbe(client, config, journal).notePosition(), await probe.leaveHeadroom('10')]) {
      assert.equal(measurements.length, 1);
      const [gone] = measurements;
      assert.equal(gone!.ok, false);
      assert.match(String(gone!.value), /^no answer: GET http:\/\/127\.0\.0\.1:\d+\/participants\/payer(fsp)?.* failed: .*(ECONNREFUSED|other side closed)/, "refused, or a kept-alive connection closed by the hub going");
      assert.match(gone!.source, /^GET http:\/\/127\.0\.0\.1:\d+\/participants\//);
    }
  });

  it('still treats an answer unlike central-ledger\'s as an error of the question, not a verdict', async () => {
    const ledger = new HubLedger();
    const api = new HubAdminApi(ledger);
    try {
      const client = new HubAdminClient(await api.start(0, '127.0.0.1'), 2000);
      // No such participant: the admin API answers, with an error — not the hub going silent.
      const probe = new HubLedgerProbe(client, config, new HubChangeJournal(join(await tempDir('journal'), '.hub-changes.json')));
      await assert.rejects(probe.notePosition(), { name: 'HubAdminError' });
    } finally {
      await api.stop();
      ledger.close();
    }
  });
});
