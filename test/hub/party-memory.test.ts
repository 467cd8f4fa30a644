import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { partyKey } from '../../src/fspiop/messages.ts';
import { HubLedger } from '../../src/hub/ledger.ts';
import { SqliteLedgerStore } from '../../src/hub/ledger-store.ts';
import { ReferenceHub } from '../../src/hub/reference-hub.ts';

describe('the parties DFSPs register, across a restart of the hub', () => {
  it('are kept by the ledger store and taken back by a hub started on the same ledger', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'conformance-party-memory-'));
    const file = join(dir, 'hub-ledger.sqlite');
    const party = { type: 'MSISDN', id: '27799900101' };
    try {
      const first = new SqliteLedgerStore(new HubLedger(file), file);
      await first.recordParty(partyKey(party), 'conformancepayee');
      await first.recordParty(partyKey({ ...party, subId: 'savings' }), 'conformancepayee');
      // The same party registered again by another DFSP: the last registration holds.
      await first.recordParty(partyKey(party), 'otherfsp');
      await first.close();

      const restarted = new ReferenceHub({ store: new SqliteLedgerStore(new HubLedger(file), file) });
      assert.equal(restarted.oracle.ownerOf(party), undefined, 'nothing before it is restored');
      await restarted.restoreParties();
      assert.equal(restarted.oracle.ownerOf(party), 'otherfsp');
      assert.equal(restarted.oracle.ownerOf({ ...party, subId: 'savings' }), 'conformancepayee');
      assert.equal(restarted.oracle.ownerOf({ type: 'MSISDN', id: '1' }), undefined);
      await restarted.store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
