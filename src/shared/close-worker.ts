/**
 * Ends a worker thread that answers the message 'close' by finishing its work and exiting (the request log's
 * writer, the span exporter). The workers are unreferenced while they run, so they never keep the process
 * alive on their own; this references the worker again, so the process waits for its last work instead of
 * exiting under it.
 */
import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';

export async function closeWorker(worker: Worker): Promise<void> {
  worker.ref();
  const exited = once(worker, 'exit');
  worker.postMessage('close');
  await exited;
}
