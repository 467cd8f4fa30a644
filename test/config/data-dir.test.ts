import assert from 'node:assert/strict';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { prepareDataDir } from '../../src/config/data-dir.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { tempDir } from '../helpers/cli.ts';

describe('prepareDataDir', () => {
  it('creates a folder that does not exist yet, parents included (mkdir -p)', async () => {
    const dir = join(await tempDir('data'), 'not', 'yet', 'there');
    await prepareDataDir(dir, 'embedded.dataDir');
    assert.ok((await stat(dir)).isDirectory());
    await prepareDataDir(dir, 'embedded.dataDir');
  });

  it('refuses a folder that cannot be made, naming the field, the path and why — a user error, not a stack', async () => {
    const file = join(await tempDir('data'), 'a-file');
    await writeFile(file, '');
    await assert.rejects(prepareDataDir(join(file, 'ledger'), '--data-dir'), (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.message, `--data-dir: the folder "${join(file, 'ledger')}" cannot be created (ENOTDIR); name a folder you can write, or leave it out`);
      return true;
    });
  });
});
