import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cli.ts';

describe('npm run hub --ledger and npm run payee (user mistakes)', () => {
  it('refuses a --ledger URL that is not MySQL in one line naming the flag and the form, never the password', async () => {
    const bad = await runCli('hub', ['--ledger', 'postgres://hub:s3cret@db:5432/ledger']);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'error: --ledger must start with mysql:// (got postgres://); expected mysql://USER:PASSWORD@HOST:PORT/DATABASE\n');
    const noDatabase = await runCli('hub', ['--ledger', 'mysql://hub:s3cret@db:3306']);
    assert.equal(noDatabase.code, 2);
    assert.match(noDatabase.stderr, /^error: --ledger names no database .*expected mysql:\/\/USER:PASSWORD@HOST:PORT\/DATABASE\n$/);
    assert.doesNotMatch(bad.stderr + noDatabase.stderr + bad.stdout + noDatabase.stdout, /s3cret/);
    const both = await runCli('hub', ['--ledger', 'mysql://hub:s3cret@db:3306/ledger', '--data-dir', 'x']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /^error: --ledger and --data-dir both say where the ledger is/);
  });

  it('says in one line, without the password, that the database named by --ledger cannot be reached', async () => {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    const down = await runCli('hub', ['--ledger', 'mysql://hub:s3cret@127.0.0.1:1/ledger']);
    assert.equal(down.code, 4);
    assert.equal(down.stderr, 'error: the hub cannot start: the hub\'s ledger (mysql (127.0.0.1:1/ledger)) is unavailable: ECONNREFUSED\n');
    assert.doesNotMatch(down.stdout + down.stderr, /s3cret/);
  });

  it('npm run payee needs the hub it answers through', async () => {
    const bad = await runCli('payee', []);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'error: --hub-url is required: the hub\'s FSPIOP API, e.g. --hub-url http://ml-api-adapter:3000\n');
  });
});
