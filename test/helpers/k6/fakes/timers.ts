/** k6/timers on Node's timers, unref'd: a wait the script forgot can never hold the test process. */
export function setTimeout(callback: () => void, delay: number): NodeJS.Timeout {
  return globalThis.setTimeout(callback, delay).unref();
}

export function clearTimeout(timer: NodeJS.Timeout | undefined): void {
  globalThis.clearTimeout(timer);
}

export default { setTimeout, clearTimeout };
