import { Worker } from 'node:worker_threads';
import type { ConformanceConfig } from '../../config/schema.ts';
import type { DeploymentUrls, ReferenceDeploymentOptions } from './reference-deployment.ts';

type Reply = { type: 'started'; urls: DeploymentUrls } | { type: 'failed'; message: string } | { type: 'payer-connected' } | { type: 'stopped' }
  | { type: 'heap'; usedBytes: number; collected: boolean };

/**
 * The reference deployment (hub and simulated payee) on a worker thread, so that a load's two
 * sides — our payer and its runner here, the hub there — use both cores of the machine.
 */
export class DeploymentThread {
  readonly #worker: Worker;
  #stopped: Promise<void> | undefined;
  readonly #replies: Reply[] = [];
  #waiting: { types: Array<Reply['type']>; resolve(reply: Reply): void; reject(error: Error): void } | undefined;
  #ended: Error | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (reply: Reply) => {
      this.#replies.push(reply);
      this.#settle();
    });
    const end = (error: Error) => {
      this.#ended ??= error;
      this.#settle();
    };
    worker.on('error', end);
    worker.on('exit', (code) => end(new Error(`the reference deployment's thread exited (code ${code})`)));
  }

  static async start(config: ConformanceConfig, options: ReferenceDeploymentOptions = {}): Promise<{ thread: DeploymentThread; urls: DeploymentUrls }> {
    const worker = new Worker(new URL('./deployment-worker.ts', import.meta.url), { workerData: { config, options } });
    const thread = new DeploymentThread(worker);
    const reply = await thread.#next(['started', 'failed']);
    if (reply.type === 'failed') {
      await worker.terminate();
      throw new Error(reply.message);
    }
    return { thread, urls: (reply as Extract<Reply, { type: 'started' }>).urls };
  }

  async connectPayer(fspId: string, url: string): Promise<void> {
    this.#worker.postMessage({ type: 'connect-payer', fspId, url });
    await this.#next(['payer-connected']);
  }

  /** The deployment thread's V8 heap in use — after a full collection when the process runs with --expose-gc (`collected`). */
  async heap(): Promise<{ usedBytes: number; collected: boolean }> {
    this.#worker.postMessage({ type: 'heap' });
    const reply = await this.#next(['heap']);
    return reply as Extract<Reply, { type: 'heap' }>;
  }

  /** Ends the thread at once, as kill -9 ends a process: nothing is closed or finished. */
  async kill(): Promise<void> {
    this.#stopped ??= this.#worker.terminate().then(() => undefined);
    await this.#stopped;
  }

  /** Stops the deployment on its thread and ends the thread. Safe to call twice. */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      this.#worker.postMessage({ type: 'stop' });
      await this.#next(['stopped']).catch(() => undefined);
      await this.#worker.terminate();
    })();
    return this.#stopped;
  }

  /** The next reply of one of these kinds; the thread ending first is an error naming its cause. */
  #next(types: Array<Reply['type']>): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.#waiting = { types, resolve, reject };
      this.#settle();
    });
  }

  #settle(): void {
    const waiting = this.#waiting;
    if (!waiting) return;
    const index = this.#replies.findIndex((reply) => waiting.types.includes(reply.type));
    if (index >= 0) {
      this.#waiting = undefined;
      waiting.resolve(this.#replies.splice(index, 1)[0]!);
    } else if (this.#ended) {
      this.#waiting = undefined;
      waiting.reject(this.#ended);
    }
  }
}
