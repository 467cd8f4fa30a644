import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import { TARGETS } from '../src/config/schema.ts';
import { ROOT } from './helpers/cli.ts';

/**
 * Where a file decides by the target's kind: a comparison of `target` or `kind` (or anything with
 * a target kind's name), or a `case` on one. Those choices belong to the environment.
 */
function targetKindSwitches(files: Map<string, string>): string[] {
  const kinds = TARGETS.join('|');
  const switches = [
    new RegExp(`\\b(?:target|kind)\\s*[!=]==?\\s*['"\`](?:${kinds})['"\`]`),
    new RegExp(`['"\`](?:${kinds})['"\`]\\s*[!=]==?\\s*[\\w.]*\\b(?:target|kind)\\b`),
    new RegExp(`\\bcase\\s+['"\`](?:${kinds})['"\`]`),
    /\bswitch\s*\([^)]*\b(?:target|kind)\s*\)/,
  ];
  return [...files].flatMap(([file, text]) => text.split('\n').flatMap((line, index) =>
    switches.some((pattern) => pattern.test(line)) ? [`${file}:${index + 1}: ${line.trim()}`] : []));
}

/** The folder table of docs/architecture.md: folder → the folders it may import, in row order. */
function readLayerTable(markdown: string): Map<string, Set<string>> {
  const table = new Map<string, Set<string>>();
  for (const line of markdown.split('\n')) {
    const row = /^\| `([a-z-]+)\/` \|.*\| ([^|]+) \|$/.exec(line);
    if (row) table.set(row[1]!, new Set([...row[2]!.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]!)));
  }
  return table;
}

interface Import { file: string; specifier: string }

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^;'"]*?from\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;

async function sourceFiles(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(join(ROOT, dir), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(ROOT, path).split(sep).join('/'), await readFile(path, 'utf8'));
  }
  return files;
}

function importsOf(files: Map<string, string>): Import[] {
  return [...files].flatMap(([file, text]) => [...text.matchAll(IMPORT)].map((m) => ({ file, specifier: (m[1] ?? m[2] ?? m[3])! })));
}

/** `src/<folder>/…` of a relative import, or undefined for packages and files outside src/. */
function folderOf(path: string): string | undefined {
  const match = /^src\/([^/]+)\//.exec(path);
  return match?.[1];
}

function folderEdges(imports: Import[]): Array<Import & { from: string; to: string }> {
  return imports.flatMap((i) => {
    if (!i.specifier.startsWith('.')) return [];
    const target = relative(ROOT, resolve(ROOT, dirname(i.file), i.specifier)).split(sep).join('/');
    const from = folderOf(i.file);
    const to = folderOf(target);
    return from && to && from !== to ? [{ ...i, from, to }] : [];
  });
}

/** Every import the table forbids, as "file: import 'x' (a → b is not in the table)". */
function violations(imports: Import[], table: Map<string, Set<string>>): string[] {
  return folderEdges(imports)
    .filter((edge) => !table.get(edge.from)?.has(edge.to))
    .map((edge) => `${edge.file}: import '${edge.specifier}' (${edge.from} → ${edge.to} is not allowed by docs/architecture.md)`);
}

function cycles(edges: Array<{ from: string; to: string }>): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const { from, to } of edges) graph.set(from, (graph.get(from) ?? new Set()).add(to));
  const found: string[][] = [];
  const visit = (node: string, path: string[]) => {
    if (path.includes(node)) return found.push([...path.slice(path.indexOf(node)), node]);
    for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    return undefined;
  };
  for (const node of graph.keys()) visit(node, []);
  return found;
}

describe('module boundaries (docs/architecture.md)', async () => {
  const table = readLayerTable(await readFile(join(ROOT, 'docs', 'architecture.md'), 'utf8'));
  const srcFiles = await sourceFiles('src');
  const src = importsOf(srcFiles);

  it('places every folder of src/ in the table, each importing only rows above it', async () => {
    const folders = (await readdir(join(ROOT, 'src'), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    assert.deepEqual([...table.keys()].sort(), folders);
    const order = [...table.keys()];
    for (const [folder, allowed] of table) {
      for (const dependency of allowed) {
        assert.ok(order.indexOf(dependency) >= 0 && order.indexOf(dependency) < order.indexOf(folder), `${folder} may import ${dependency}, which is not a row above it`);
      }
    }
  });

  it('src/ imports only what the table allows', () => {
    assert.deepEqual(violations(src, table), []);
  });

  it('fails on a planted backward import, naming the file and the import', () => {
    const planted = new Map(srcFiles).set('src/config/planted.ts', "import { ConformanceRun } from '../run/conformance-run.ts';\n");
    assert.deepEqual(violations(importsOf(planted), table),
      ["src/config/planted.ts: import '../run/conformance-run.ts' (config → run is not allowed by docs/architecture.md)"]);
    const dynamic = new Map(srcFiles).set('src/verdict/planted.ts', "const r = await import('../reports/result-document.ts');\n");
    assert.equal(violations(importsOf(dynamic), table).length, 1);
    const doubleQuoted = new Map(srcFiles).set('src/config/planted.ts', 'import { ConformanceRun } from "../run/conformance-run.ts";\n');
    assert.equal(violations(importsOf(doubleQuoted), table).length, 1);
  });

  it('the folder graph of src/ has no cycle', () => {
    assert.deepEqual(cycles(folderEdges(src)), []);
  });

  it('src/ never imports the step definitions', () => {
    assert.deepEqual(src.filter((i) => i.specifier.includes('/steps/')), []);
  });

  it('only src/run/ drives the Cucumber runtime', () => {
    assert.deepEqual(src.filter((i) => i.specifier.startsWith('@cucumber/cucumber') && !i.file.startsWith('src/run/')), []);
  });

  it('src/verdict/ does no I/O', () => {
    assert.deepEqual(src.filter((i) => i.file.startsWith('src/verdict/') && !i.specifier.startsWith('.')), []);
  });

  it('only an environment\'s own folder, or the runner that drives that technology, knows it', () => {
    const technology = /^(testcontainers|@kubernetes\/client-node)/;
    // The k6-operator runner makes TestRuns in a cluster: it is @kubernetes/client-node's too, and nothing else of load/ is.
    const owns = (file: string, specifier: string) => file.startsWith('src/environment/') || (file.startsWith('src/load/k6-operator/') && specifier.startsWith('@kubernetes/client-node'));
    assert.deepEqual(src.filter((i) => technology.test(i.specifier) && !owns(i.file, i.specifier)), []);
  });

  it('src/run/ and src/reports/ never decide by the target kind (the environment does: callbackExposure, describeTarget)', () => {
    const runAndReports = new Map([...srcFiles].filter(([file]) => file.startsWith('src/run/') || file.startsWith('src/reports/')));
    assert.deepEqual(targetKindSwitches(runAndReports), []);
  });

  it('finds a planted switch on the target kind, in each of its shapes', () => {
    for (const line of ["const port = config.target === 'url' ? 4100 : 0;", "if (environment.kind !== 'embedded') return;", "if ('compose' === config.target) {}", "  case 'kubernetes':", 'switch (config.target) {']) {
      assert.equal(targetKindSwitches(new Map([['src/run/planted.ts', `${line}\n`]])).length, 1, line);
    }
    assert.deepEqual(targetKindSwitches(new Map([['src/run/planted.ts', "if (outcome.kind === 'not-evaluated') return;\n"]])), []);
  });

  it('steps/ import only src/ and each other', async () => {
    const steps = importsOf(await sourceFiles('steps'));
    assert.ok(steps.length > 0);
    assert.deepEqual(steps.filter((i) => i.specifier.startsWith('.') && !/^\.\.\/src\/|^\.\//.test(i.specifier)), []);
  });
});
