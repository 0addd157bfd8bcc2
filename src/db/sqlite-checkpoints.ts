/**
 * SQLite WAL checkpoints on a worker thread, off the event loop.
 *
 * In WAL mode every commit appends pages to the -wal file, and a checkpoint copies them back into the
 * database file and (with synchronous = NORMAL) fsyncs both. Left to SQLite, the checkpoint runs inside
 * whichever commit crosses `wal_autocheckpoint`, on the event loop: measured, about half of a commit's
 * cost. Here a worker with its own connection runs a PASSIVE checkpoint (it never blocks the writer)
 * every `intervalMs`. The service's own connection keeps a far higher automatic threshold as a backstop,
 * so the WAL stays bounded even if the worker were to stall.
 */
import { Worker } from 'node:worker_threads';

/** Pages the WAL may hold before the service's connection checkpoints by itself (about 40 MB). */
export const BACKSTOP_WAL_PAGES = 10_000;

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage(String(error && error.message || error));
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/** A running checkpointer. */
export interface Checkpointer {
  /** Runs a last checkpoint and ends the worker. */
  stop(): Promise<void>;
}

/** Starts checkpointing the WAL of the SQLite file at `path`; `onError` hears about failed checkpoints. */
export function startCheckpointer(path: string, onError: (message: string) => void, intervalMs = 500): Checkpointer {
  const worker = new Worker(WORKER, { eval: true, workerData: { path, intervalMs, driver: require.resolve('better-sqlite3') } });
  worker.on('message', onError);
  worker.on('error', (error) => onError(error.message));
  // Never keeps the process alive on its own.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    stop: async () => {
      // Referenced again, so the process waits for the last checkpoint instead of exiting under it.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
