/**
 * Module resolution hooks (node:module `register`) that map k6's built-in modules — `k6`,
 * `k6/http`, `k6/websockets`, … — to the recording fakes in ./fakes/, so a bundle built for k6
 * runs in Node. A k6 module without a fake fails the import, naming it.
 */
const FAKES = new URL('./fakes/', import.meta.url);

interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>;

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<{ url: string; shortCircuit?: boolean; format?: string }> {
  if (specifier !== 'k6' && !specifier.startsWith('k6/')) return nextResolve(specifier, context);
  const name = specifier === 'k6' ? 'k6' : specifier.slice(3);
  if (!/^[a-z0-9]+$/.test(name)) throw new Error(`no fake for k6 module "${specifier}" (test/helpers/k6/fakes/)`);
  const url = new URL(`${name}.ts`, FAKES);
  try {
    return { ...(await nextResolve(url.href, context)), shortCircuit: true };
  } catch {
    throw new Error(`no fake for k6 module "${specifier}" (test/helpers/k6/fakes/${name}.ts)`);
  }
}
