// The stub hub on its own thread for `npm run bench`: the runner's thread then spends its CPU on
// the runner alone, which is what the bench's "runner alone" figures are.
import { parentPort, workerData } from 'node:worker_threads';
import { StubHub } from '../src/hub/stub-hub.ts';

const hub = new StubHub(workerData as { payerCallbackUrl: string; payeeFsp: string });
const url = await hub.start();
parentPort!.postMessage({ type: 'started', url });
parentPort!.on('message', (message: { type: string }) => {
  if (message.type === 'stop') void hub.stop().then(() => parentPort!.postMessage({ type: 'stopped' }));
});
