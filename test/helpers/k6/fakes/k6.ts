import { recorder } from '../recorder.ts';

/** k6's `check`: records each named check with its outcome; true when all passed. */
export function check<T>(value: T, sets: Record<string, (value: T) => boolean>, tags: Record<string, string> = {}): boolean {
  let all = true;
  for (const [name, fn] of Object.entries(sets)) {
    const ok = fn(value);
    recorder.calls.push({ module: 'k6', check: name, ok, tags });
    all &&= ok;
  }
  return all;
}

export function sleep(): void {
  throw new Error('sleep() blocks a k6 VU; the load scripts must not call it');
}

export default { check, sleep };
