import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import type { ConformanceConfig } from '../../config/schema.ts';
import { ReferenceDeployment, type ReferenceDeploymentOptions } from './reference-deployment.ts';

/** Runs the reference deployment on its own thread, driven by `DeploymentThread` (see its messages). */
const { config, options } = workerData as { config: ConformanceConfig; options: ReferenceDeploymentOptions };
// A crash fault ends this thread at once, as kill -9 ends a hub process; the run's own thread carries on and sees the hub gone.
const deployment = new ReferenceDeployment(config, { ...options, crash: () => process.exit(137) });
const port = parentPort!;

port.on('message', (message: { type: 'connect-payer'; fspId: string; url: string } | { type: 'heap' } | { type: 'stop' }) => {
  if (message.type === 'heap') {
    // Collected first when the process allows it (node --expose-gc): what the hub holds, not what it has yet to free.
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    port.postMessage({ type: 'heap', usedBytes: getHeapStatistics().used_heap_size, collected: gc !== undefined });
  } else if (message.type === 'connect-payer') {
    void deployment.connectPayer(message.fspId, message.url).then(() => port.postMessage({ type: 'payer-connected' }));
  } else {
    void deployment.stop().finally(() => {
      port.postMessage({ type: 'stopped' });
      port.close();
    });
  }
});

deployment.start().then(
  (urls) => port.postMessage({ type: 'started', urls }),
  (error: unknown) => port.postMessage({ type: 'failed', message: (error as Error).message }),
);
