import { relative } from 'node:path';
import { buildLoadScripts } from '../src/load/k6/k6-scripts.ts';

// `npm run build:load`: load/*.ts → dist/load/*.js, the scripts `k6 run` takes.
const started = performance.now();
const built = await buildLoadScripts();
for (const script of built) process.stdout.write(`${script.source} → ${relative(process.cwd(), script.bundle)}\n`);
process.stdout.write(`built ${built.length} k6 script(s) in ${Math.round(performance.now() - started)} ms\n`);
