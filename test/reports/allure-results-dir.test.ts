import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { clearOurAllureResults, OUR_FILES, recordOurAllureResults } from '../../src/reports/allure-results-dir.ts';
import { tempDir } from '../helpers/cli.ts';

describe('allure-results/: only our own files are ours to remove', () => {
  it('lists what a run wrote, and the next run removes exactly that, leaving other tools\' results', async () => {
    const dir = join(await tempDir('allure'), 'allure-results');
    await mkdir(dir);
    await writeFile(join(dir, 'other-tool-result.json'), '{}');
    const notOurs = await clearOurAllureResults(dir);
    assert.deepEqual([...notOurs], ['other-tool-result.json']);
    // What the run writes while it runs.
    await writeFile(join(dir, 'a1-result.json'), '{}');
    await writeFile(join(dir, 'environment.properties'), 'tier=helm\n');
    await recordOurAllureResults(dir, notOurs);
    assert.deepEqual(JSON.parse(await readFile(join(dir, OUR_FILES), 'utf8')), { ours: ['a1-result.json', 'environment.properties'] });

    await writeFile(join(dir, 'later-other-tool-result.json'), '{}');
    assert.deepEqual([...await clearOurAllureResults(dir)].sort(), ['later-other-tool-result.json', 'other-tool-result.json']);
    assert.deepEqual((await readdir(dir)).sort(), [OUR_FILES, 'later-other-tool-result.json', 'other-tool-result.json']);
  });

  it('clears up after a run killed before it could list its files, from what was there when it started', async () => {
    const dir = join(await tempDir('allure'), 'allure-results');
    await mkdir(dir);
    await writeFile(join(dir, 'other-tool-result.json'), '{}');
    await clearOurAllureResults(dir);
    await writeFile(join(dir, 'killed-run-result.json'), '{}');
    // Killed here: recordOurAllureResults never ran.
    assert.deepEqual([...await clearOurAllureResults(dir)], ['other-tool-result.json']);
    assert.deepEqual((await readdir(dir)).filter((file) => file !== OUR_FILES), ['other-tool-result.json']);
  });

  it('creates a missing folder, and never removes anything outside it whatever the list says', async () => {
    const root = await tempDir('allure');
    const dir = join(root, 'reports', 'allure-results');
    assert.deepEqual([...await clearOurAllureResults(dir)], []);
    await writeFile(join(root, 'precious.txt'), 'keep');
    await writeFile(join(dir, OUR_FILES), JSON.stringify({ ours: ['../../precious.txt'] }));
    await clearOurAllureResults(dir);
    assert.equal(await readFile(join(root, 'precious.txt'), 'utf8'), 'keep');
  });
});
