import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gitCommit } from '../../src/support/git-commit.ts';
import { ROOT, tempDir } from '../helpers/cli.ts';

describe('gitCommit', () => {
  it('reads the commit of a checkout', { skip: !existsSync(join(ROOT, '.git')) && 'not run from a git checkout' }, async () => {
    assert.match(await gitCommit(ROOT) ?? 'null', /^[0-9a-f]{40}$/);
  });

  it('is null, never an error, outside a checkout', async () => {
    const dir = await tempDir('no-git');
    assert.equal(await gitCommit(dir, { env: { ...process.env, GIT_CEILING_DIRECTORIES: dir } }), null);
  });

  it('is null, never an error, where no git is installed', async () => {
    assert.equal(await gitCommit(ROOT, { env: { PATH: '' } }), null);
  });

  it('is null when the folder does not exist', async () => {
    assert.equal(await gitCommit(join(await tempDir('gone'), 'missing')), null);
  });
});
