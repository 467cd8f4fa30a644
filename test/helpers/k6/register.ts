import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

register(new URL('./loader-hooks.ts', import.meta.url));

declare global {
  var __ENV: Record<string, string>;
  var __VU: number;
  var __ITER: number;
}

/**
 * Imports a k6 bundle in this process, its k6 modules mapped to the recording fakes, with `env`
 * as k6's `__ENV`. Each call evaluates the bundle afresh (its init context reads `__ENV`).
 */
let imports = 0;
export async function importK6Script<T = Record<string, unknown>>(bundle: string, env: Record<string, string>): Promise<T> {
  globalThis.__ENV = { ...env };
  globalThis.__VU = 1;
  globalThis.__ITER = 0;
  imports += 1;
  return (await import(`${pathToFileURL(bundle).href}?instance=${imports}`)) as T;
}
