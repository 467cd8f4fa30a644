/**
 * Ctrl-C under npm arrives twice (the terminal signals the process group and npm forwards it):
 * a repeat within `duplicateWindowMs` is that echo and is ignored. A signal after it means the
 * user insists — a teardown may hang — so `force` ends the process.
 */
export function onInterrupt(interrupt: (signal: NodeJS.Signals) => void, force: (signal: NodeJS.Signals) => void, duplicateWindowMs = 1000): () => void {
  let first: number | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (first === undefined) {
      first = Date.now();
      interrupt(signal);
    } else if (Date.now() - first > duplicateWindowMs) {
      force(signal);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
