import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { ROOT, tempDir } from '../helpers/cli.ts';

async function runEntryWith(mainSource: string) {
  const dir = await tempDir('entry');
  const module = join(dir, 'main.mjs');
  await writeFile(module, mainSource);
  const entry = pathToFileURL(join(ROOT, 'bin', 'entry.mjs')).href;
  return spawnSync(process.execPath, ['--input-type=module', '-e', `import { runMain } from '${entry}'; await runMain('${pathToFileURL(module).href}');`], { encoding: 'utf8' });
}

describe('bin/entry.mjs', () => {
  it('exits with what main returns', async () => {
    assert.equal((await runEntryWith('export async function main() { return 3; }')).status, 3);
  });

  it('turns an uncaught error into exit 70 with its stack, even after a library swallowed such errors', async () => {
    const result = await runEntryWith(`
      process.on('uncaughtException', () => {}); // what winston does with exitOnError: false
      export async function main() {
        setImmediate(() => { throw new Error('boom'); });
        await new Promise(() => {}); // never returns: only the defect handler can end the process
        return 0;
      }`);
    assert.equal(result.status, 70);
    assert.match(result.stderr, /internal error: Error: boom\n\s+at /);
  });
});
