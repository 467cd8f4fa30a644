import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from './helpers/cli.ts';

/** The boundaries docs/architecture.md promises, checked on every import statement. */
async function importsOf(dir: string): Promise<Array<{ file: string; specifier: string }>> {
  const out: Array<{ file: string; specifier: string }> = [];
  for (const entry of await readdir(join(ROOT, dir), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const path = join(entry.parentPath, entry.name);
    const text = await readFile(path, 'utf8');
    for (const match of text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/gm)) {
      out.push({ file: relative(ROOT, path), specifier: match[1] ?? match[2]! });
    }
  }
  return out;
}

describe('module boundaries (docs/architecture.md)', async () => {
  const src = await importsOf('src');

  it('src/ never imports the step definitions', () => {
    assert.deepEqual(src.filter((i) => i.specifier.includes('/steps/')), []);
  });

  it('only src/run/ drives the Cucumber runtime', () => {
    assert.deepEqual(src.filter((i) => i.specifier.startsWith('@cucumber/cucumber') && !i.file.startsWith('src/run/')), []);
  });

  it('src/verdict/ does no I/O and knows no technology: evidence, tags and config types only', () => {
    const allowed = /^\.\/|^\.\.\/(evidence|catalogue\/tags|config\/schema)\.?/;
    assert.deepEqual(src.filter((i) => i.file.startsWith('src/verdict/') && !allowed.test(i.specifier)), []);
  });

  it('only an environment\'s own folder knows its technology', () => {
    const technology = /^(testcontainers|@kubernetes\/client-node)/;
    assert.deepEqual(src.filter((i) => technology.test(i.specifier) && !i.file.startsWith('src/environment/')), []);
  });
});
