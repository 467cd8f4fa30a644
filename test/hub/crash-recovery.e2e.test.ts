import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { validateConfig } from '../../src/config/load-config.ts';
import { CallbackServer } from '../../src/fspiop/callback-server.ts';
import { PayerDfsp } from '../../src/fspiop/payer-dfsp.ts';
import { QuotesPut } from '../../src/fspiop/payloads.ts';
import { toUnits } from '../../src/hub/ledger-amount.ts';
import { HubLedger, IN_FLIGHT_ACCOUNT } from '../../src/hub/ledger.ts';
import { startCli, tempDir, waitForOutput } from '../helpers/cli.ts';

const config = validateConfig({});

/** `npm run hub` on a ledger folder, as a separate process that can be killed. */
async function startHub(dataDir: string, payerCallbackUrl: string) {
  const hub = startCli('hub', ['--data-dir', dataDir, '--payer-callback-url', payerCallbackUrl]);
  const [, hubUrl] = await waitForOutput(hub.output, /listening on (http:\/\/\S+)/, 60_000);
  return { ...hub, hubUrl: hubUrl! };
}

describe('the reference hub killed with kill -9 under load', () => {
  it('loses no transfer it reported COMMITTED, and restarts with positions that still balance', async () => {
    const dataDir = await tempDir('hub-data');
    const callbacks = new CallbackServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 65_536, addressing: { dfsps: ['payerfsp'], senders: ['Hub', 'payeefsp'] } });
    await callbacks.start();
    // Whatever fails below, the callback server is stopped: left listening, it keeps this test
    // file's process alive and the whole suite waits on it forever.
    try {
      await killedAndRestarted(dataDir, callbacks);
    } finally {
      await callbacks.stop();
    }
  });
});

/** 150 transfers committed under load, the hub killed with kill -9, restarted on its ledger and asked back. */
async function killedAndRestarted(dataDir: string, callbacks: CallbackServer): Promise<void> {
  const first = await startHub(dataDir, callbacks.url);
  const committed = new Set<string>();
  try {
    const payer = new PayerDfsp({ hubUrl: first.hubUrl, fspId: 'payerfsp', callbacks, callbackTimeoutMs: 5000, requestTimeoutMs: 5000 });
    let killed = false;
    const amount = { amount: '2.5', currency: 'USD' };
    // A regression that stops commits must fail here, not hang the suite.
    const deadline = Date.now() + 60_000;
    // 20 payers in a closed loop until the hub dies under them.
    const worker = async () => {
      while (!killed) {
        if (Date.now() > deadline) throw new Error(`only ${committed.size} transfers committed within 60 s`);
        const quote = await payer.requestQuote({ payer: config.participants.payer.party, payee: config.participants.payee.party, payeeFsp: 'payeefsp', amount });
        const terms = QuotesPut.safeParse(quote.callback?.body);
        if (!terms.success) continue;
        const transfer = await payer.prepareTransfer({ payeeFsp: 'payeefsp', amount, terms: terms.data });
        if ((transfer.callback?.body as { transferState?: string } | undefined)?.transferState === 'COMMITTED') {
          committed.add((transfer.requestBody as { transferId: string }).transferId);
          if (committed.size >= 150 && !killed) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
    const died = await first.done;
    assert.equal(died.signal, 'SIGKILL');
  } finally {
    first.child.kill('SIGKILL');
  }

  const second = await startHub(dataDir, callbacks.url);
  try {
    const payer = new PayerDfsp({ hubUrl: second.hubUrl, fspId: 'payerfsp', callbacks, callbackTimeoutMs: 10_000, requestTimeoutMs: 10_000 });
    const states = await Promise.all([...committed].map(async (transferId) => (await payer.queryTransfer(transferId)).callback?.body as { transferState?: string } | undefined));
    const notCommitted = states.filter((state) => state?.transferState !== 'COMMITTED');
    assert.deepEqual(notCommitted, [], `of ${committed.size} transfers reported COMMITTED before the kill`);

    // The restarted hub's books, read beside it (write-ahead logging lets a reader in).
    const ledger = new HubLedger(join(dataDir, 'hub-ledger.sqlite'));
    try {
      const position = (participant: string) => toUnits(ledger.allAccounts().find((a) => a.participant === participant)?.position ?? '0');
      const total = ledger.allAccounts().reduce((sum, account) => sum + toUnits(account.position), 0n);
      assert.equal(total, 0n, 'every account together sums to zero');
      const reserved = ledger.reservedTransfers().reduce((sum, transfer) => sum + toUnits(transfer.amount.amount), 0n);
      assert.equal(position(IN_FLIGHT_ACCOUNT), -reserved, 'in flight: exactly the transfers still reserved');
      assert.equal(position('payerfsp'), -position('payeefsp') + reserved, 'the payer owes what was committed and what is reserved');
      assert.ok(-position('payeefsp') >= toUnits('2.5') * BigInt(committed.size), 'the payee holds at least every reported commit');
    } finally {
      ledger.close();
    }
  } finally {
    second.child.kill('SIGTERM');
    assert.equal((await second.done).code, 0);
  }
}
