/**
 * closeWorker (shared/close-worker.ts) ends a worker that was unreferenced while it ran, after the work it
 * answers 'close' with: the request log's writer and the span exporter rely on it to lose nothing on shutdown.
 */
import { Worker } from 'node:worker_threads';

import { closeWorker } from '../../src/shared/close-worker';

describe('closeWorker', () => {
  it('waits for an unreferenced worker to finish what it does on close, then for its exit', async () => {
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       parentPort.on('message', (message) => {
         if (message === 'close') setTimeout(() => { parentPort.postMessage('last work done'); process.exit(0); }, 200);
       });`,
      { eval: true },
    );
    worker.unref();
    const said: string[] = [];
    worker.on('message', (message: string) => said.push(message));
    let exitCode: number | undefined;
    worker.on('exit', (code) => (exitCode = code));

    await closeWorker(worker);

    expect(said).toEqual(['last work done']);
    expect(exitCode).toBe(0);
  });
});
