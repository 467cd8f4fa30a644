import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../../config/project.ts';

/** The k6 scripts' sources: every `load/*.ts` is an entry (shared code lives in `load/lib/`). */
export const LOAD_SOURCE_DIR = join(PROJECT_ROOT, 'load');
/** Where the bundles k6 runs are written: `dist/load/<name>.js`. */
export const LOAD_BUNDLE_DIR = join(PROJECT_ROOT, 'dist', 'load');

export interface BuiltScript {
  name: string;
  source: string;
  bundle: string;
}

/**
 * Bundles each k6 script with esbuild into one ES module that imports nothing but k6's own
 * modules (`k6`, `k6/*`): the shared FSPIOP builders are inlined, TypeScript is stripped and the
 * syntax lowered to ES2020 for k6's JavaScript runtime. esbuild does not type-check: the test
 * runs `tsc -p load/tsconfig.json` for that.
 */
export async function buildLoadScripts(options: { outDir?: string } = {}): Promise<BuiltScript[]> {
  const outDir = options.outDir ?? LOAD_BUNDLE_DIR;
  const names = (await readdir(LOAD_SOURCE_DIR)).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts')).map((file) => file.slice(0, -3)).sort();
  // esbuild is a build tool: loaded only when a bundle is built.
  const { build } = await import('esbuild');
  await build({
    entryPoints: names.map((name) => join(LOAD_SOURCE_DIR, `${name}.ts`)),
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    external: ['k6', 'k6/*'],
    logLevel: 'silent',
    legalComments: 'none',
    banner: { js: `// Built from load/ by scripts/build-load.ts (npm run build:load); edit the TypeScript, not this file.` },
  });
  return names.map((name) => ({ name, source: relative(PROJECT_ROOT, join(LOAD_SOURCE_DIR, `${name}.ts`)), bundle: join(outDir, `${name}.js`) }));
}
