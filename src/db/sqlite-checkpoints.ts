/**
 * SQLite WAL checkpoints on a worker thread, off the event loop, and the bound on the -wal file.
 *
 * In WAL mode every commit appends pages to the -wal file, and a checkpoint copies them back into the
 * database file and (with synchronous = NORMAL) fsyncs both. Left to SQLite, the checkpoint runs inside
 * whichever commit crosses `wal_autocheckpoint`, on the event loop: measured, about half of a commit's
 * cost. Here a worker with its own connection runs a PASSIVE checkpoint (it never blocks the writer)
 * every `intervalMs`. The service's own connection keeps a far higher automatic threshold as a backstop,
 * so the WAL stays bounded even if the worker were to stall.
 *
 * What no checkpoint can do is copy frames that a read transaction may still need: a reader holding an
 * old snapshot (an sqlite3 shell, a backup, a long report) stops every checkpoint at its snapshot, and
 * the WAL grows by everything written until it lets go. The worker warns while that holds the WAL past
 * its limit, and once a checkpoint completes again it truncates a -wal file left larger than the limit.
 * `journal_size_limit` (set on both connections) cuts the file back to the limit whenever the WAL
 * restarts from its beginning, which keeps it there under steady writes.
 */
import { Worker } from 'node:worker_threads';

/** Pages the WAL may hold before the service's connection checkpoints by itself (about 40 MB). */
export const BACKSTOP_WAL_PAGES = 10_000;

/** Default size the -wal file is cut back to after a checkpoint (`journal_size_limit`), in bytes. */
export const DEFAULT_WAL_LIMIT_BYTES = 64 * 1024 * 1024;

/** How often, at most, the warning about a reader holding the WAL back is repeated while it lasts. */
const HELD_BACK_WARNING_EVERY_MS = 30_000;

const WORKER = `
const { statSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const { path, limitBytes, warnEveryMs } = workerData;
const db = new Database(path);
db.pragma('busy_timeout = 1000');
db.pragma('journal_size_limit = ' + limitBytes);
const frameBytes = db.pragma('page_size', { simple: true }) + 24;
const mb = (bytes) => (bytes / 1048576).toFixed(1) + ' MB';
const walFileBytes = () => {
  try {
    return statSync(path + '-wal').size;
  } catch {
    return 0;
  }
};
let heldSince = 0;
let warnedAt = 0;
const truncate = () => {
  // Never wait: the service's writes would queue behind this connection. Busy now, next round.
  db.pragma('busy_timeout = 0');
  try {
    return db.pragma('wal_checkpoint(TRUNCATE)')[0].busy === 0;
  } finally {
    db.pragma('busy_timeout = 1000');
  }
};
const checkpoint = () => {
  try {
    const [{ log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)');
    const now = Date.now();
    if (checkpointed < log) {
      // A read transaction still needs frames past what could be copied.
      const walBytes = log * frameBytes;
      if (walBytes > limitBytes) {
        heldSince ||= now;
        if (now - warnedAt >= warnEveryMs) {
          warnedAt = now;
          parentPort.postMessage('WAL checkpoints held back by a read transaction: the WAL holds ' + mb(walBytes) +
            ' (limit ' + mb(limitBytes) + '), over the limit for ' + Math.round((now - heldSince) / 1000) +
            ' s, and grows with every write until that reader ends');
        }
      }
      return;
    }
    const fileBytes = walFileBytes();
    // Busy (a write or a read in progress): next round.
    if (fileBytes > limitBytes && !truncate()) return;
    if (heldSince) {
      parentPort.postMessage('WAL checkpoints caught up after ' + Math.round((now - heldSince) / 1000) + ' s over the limit' +
        (fileBytes > limitBytes ? '; truncated the WAL from ' + mb(fileBytes) : ''));
    }
    heldSince = 0;
    warnedAt = 0;
  } catch (error) {
    parentPort.postMessage('WAL checkpoint failed: ' + String(error && error.message || error));
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

/** How the checkpointer runs. */
export interface CheckpointerOptions {
  /** Milliseconds between checkpoints (default 500). */
  intervalMs?: number;
  /** Size the -wal file is cut back to, in bytes (default DEFAULT_WAL_LIMIT_BYTES). */
  limitBytes?: number;
}

/** A running checkpointer. */
export interface Checkpointer {
  /** Runs a last checkpoint and ends the worker. */
  stop(): Promise<void>;
}

/**
 * Starts checkpointing the WAL of the SQLite file at `path`; `onWarning` hears about failed checkpoints
 * and about a reader holding the WAL back (rate-limited), and when the WAL was truncated after that.
 */
export function startCheckpointer(path: string, onWarning: (message: string) => void, options: CheckpointerOptions = {}): Checkpointer {
  const workerData = {
    path,
    intervalMs: options.intervalMs ?? 500,
    limitBytes: options.limitBytes ?? DEFAULT_WAL_LIMIT_BYTES,
    warnEveryMs: HELD_BACK_WARNING_EVERY_MS,
    driver: require.resolve('better-sqlite3'),
  };
  const worker = new Worker(WORKER, { eval: true, workerData });
  worker.on('message', onWarning);
  worker.on('error', (error) => onWarning(`WAL checkpointer stopped: ${error.message}`));
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
