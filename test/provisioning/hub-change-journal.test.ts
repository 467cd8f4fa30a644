import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HubAdminClient } from '../../src/fspiop/hub-admin-client.ts';
import { HubChangeJournal, HubChangeJournalError } from '../../src/provisioning/hub-change-journal.ts';
import { tempDir } from '../helpers/cli.ts';
import { ReferenceHubRig } from '../helpers/reference-hub-rig.ts';

const entriesIn = async (file: string) => (JSON.parse(await readFile(file, 'utf8')) as { entries: { adminUrl: string; change: { kind: string } }[] }).entries;

describe('HubChangeJournal: temporary changes to a hub are written down first and put back', () => {
  const rig = new ReferenceHubRig();
  let client: HubAdminClient;

  before(async () => {
    await rig.start();
    await rig.hub.onboard({ fspId: 'payerfsp', currencies: ['USD'], netDebitCap: '1000', liquidity: '5000' });
    client = rig.client();
  });
  after(() => rig.stop());

  it('journals the previous cap before lowering it, and restore() puts it back and strikes the entry', async () => {
    const file = join(await tempDir('journal'), '.hub-changes.json');
    const journal = new HubChangeJournal(file);
    const change = await client.changeNetDebitCap('payerfsp', 'USD', 10, journal);
    assert.equal(await client.netDebitCap('payerfsp', 'USD'), 10);
    assert.deepEqual((await entriesIn(file)).map((entry) => entry.change), [{ kind: 'netDebitCap', participant: 'payerfsp', currency: 'USD', previous: 1000 }]);
    await change.restore();
    assert.equal(await client.netDebitCap('payerfsp', 'USD'), 1000);
    assert.deepEqual(await entriesIn(file), []);
  });

  it('a run killed before restoring: the next run\'s restorePending puts the cap and the liquidity back, and says what it restored', async () => {
    const file = join(await tempDir('journal'), '.hub-changes.json');
    const killed = new HubChangeJournal(file);
    await client.changeNetDebitCap('payerfsp', 'USD', 10, killed);
    await client.changeNetDebitCap('payerfsp', 'USD', 20, killed);
    await client.takeLiquidityOut('payerfsp', 'USD', 1500, killed);
    assert.equal(await client.liquidity('payerfsp', 'USD'), 3500);
    // The killed run's process is gone: a new one, with a new journal object on the same file.
    const restored = await new HubChangeJournal(file).restorePending(client);
    assert.deepEqual(restored.map((entry) => entry.description), [
      '1500 USD of liquidity back into payerfsp\'s settlement account', 'net debit cap of payerfsp in USD back to 10', 'net debit cap of payerfsp in USD back to 1000']);
    assert.equal(await client.netDebitCap('payerfsp', 'USD'), 1000, 'undone newest first: the cap ends at its first value');
    assert.equal(await client.liquidity('payerfsp', 'USD'), 5000);
    assert.deepEqual(await entriesIn(file), []);
    assert.deepEqual(await new HubChangeJournal(file).restorePending(client), [], 'nothing left to put back');
  });

  it('a process SIGKILLed between lowering the cap and restoring it: the next process puts the cap back', async () => {
    const file = join(await tempDir('journal'), '.hub-changes.json');
    const script = `
      import { HubAdminClient } from ${JSON.stringify(new URL('../../src/fspiop/hub-admin-client.ts', import.meta.url).href)};
      import { HubChangeJournal } from ${JSON.stringify(new URL('../../src/provisioning/hub-change-journal.ts', import.meta.url).href)};
      await new HubAdminClient(${JSON.stringify(rig.adminUrl)}, 5000).changeNetDebitCap('payerfsp', 'USD', 3, new HubChangeJournal(${JSON.stringify(file)}));
      process.kill(process.pid, 'SIGKILL');`;
    const child = spawn(process.execPath, ['--input-type=module', '--no-warnings', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code, signal] = await once(child, 'exit') as [number | null, string | null];
    assert.equal(signal, 'SIGKILL', `the child ended with code ${code}: ${stderr}`);
    assert.equal(await client.netDebitCap('payerfsp', 'USD'), 3, 'the killed run left the cap lowered');
    const restored = await new HubChangeJournal(file).restorePending(client);
    assert.deepEqual(restored.map((entry) => entry.description), ['net debit cap of payerfsp in USD back to 1000']);
    assert.equal(await client.netDebitCap('payerfsp', 'USD'), 1000);
  });

  it('restores only changes to the hub it is given, and stores the admin URL without its query values', async () => {
    const file = join(await tempDir('journal'), '.hub-changes.json');
    const journal = new HubChangeJournal(file);
    await journal.record('http://other-hub.example:3001/?apikey=s3cret', { kind: 'netDebitCap', participant: 'x', currency: 'USD', previous: 1 });
    assert.deepEqual(await journal.restorePending(client), []);
    const text = await readFile(file, 'utf8');
    assert.doesNotMatch(text, /s3cret/);
    assert.equal((await journal.pending('http://other-hub.example:3001/?apikey=s3cret')).length, 1);
  });

  it('changes nothing when the journal cannot be written: the change is never made unrecorded', async () => {
    const dir = await tempDir('journal');
    await writeFile(join(dir, 'not-a-dir'), '');
    const journal = new HubChangeJournal(join(dir, 'not-a-dir', '.hub-changes.json'));
    await assert.rejects(client.changeNetDebitCap('payerfsp', 'USD', 10, journal), (error: unknown) => error instanceof HubChangeJournalError && /cannot (read|write) the hub change journal .*not-a-dir/.test(error.message));
    assert.equal(await client.netDebitCap('payerfsp', 'USD'), 1000);
  });

  it('refuses a journal it did not write, naming the file and what to do', async () => {
    const file = join(await tempDir('journal'), '.hub-changes.json');
    await writeFile(file, '{"something": "else"}');
    await assert.rejects(new HubChangeJournal(file).restorePending(client), /hub change journal .*\.hub-changes\.json is not one this tool wrote: look at it .*then move it away/);
  });

  it('keeps an entry it could not undo, and says which', async () => {
    const file = join(await tempDir('journal'), '.hub-changes.json');
    const journal = new HubChangeJournal(file);
    await journal.record(client.url, { kind: 'netDebitCap', participant: 'gonefsp', currency: 'USD', previous: 5 });
    await assert.rejects(journal.restorePending(client), /could not put back the net debit cap of gonefsp in USD back to 5 .*The entry stays in the journal/);
    assert.equal((await entriesIn(file)).length, 1);
  });
});
