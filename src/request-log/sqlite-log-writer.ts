/**
 * On a SQLite file, the request log's batches are written by a worker thread with a connection of its own
 * to the request log's file (request-log-file.ts): the inserts, their index pages and their commits leave
 * the event loop, and they never wait for (nor hold up) the main file's write lock. Reads, the retention
 * purge and an erase's deletes stay on the ORM's connection, which has the file attached; they take its
 * write lock in turn with the worker (busy_timeout), which holds it one batch at a time.
 *
 * The worker starts with the first batch. A batch it fails to write is answered as failed (the writer
 * drops and counts it: request-log.ts); if the worker dies, the batches it held fail and the next batch
 * starts another. `close()` lets the worker finish what it was sent, then ends it.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

import { SQLITE } from '../db/sql';
import { apiRequestParams, insertApiRequestsText, type ApiRequestRow, type ApiRequestWriter } from './api-request.sql';

/** Entries per multi-row insert in the worker (the rest one by one). */
const ROWS_PER_INSERT = 25;

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
db.pragma('secure_delete = ON');
db.pragma('journal_size_limit = ' + workerData.walLimitBytes);
let many, one;
const write = db.transaction((rows) => {
  many ??= db.prepare(workerData.insertMany);
  one ??= db.prepare(workerData.insertOne);
  let at = 0;
  for (; rows.length - at >= workerData.many; at += workerData.many) many.run(rows.slice(at, at + workerData.many).flat());
  for (; at < rows.length; at += 1) one.run(rows[at]);
});
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    write(message.rows);
    parentPort.postMessage({ id: message.id });
  } catch (error) {
    many = one = undefined;
    parentPort.postMessage({ id: message.id, failure: { name: error.name, code: error.code } });
  }
});
`;

/** Why the worker could not write a batch: the error's name and SQLite code, never its message. */
export class RequestLogWriteError extends Error {
  constructor(readonly code: string | undefined) {
    super('the request log worker could not write a batch');
    this.name = 'RequestLogWriteError';
  }
}

interface Pending {
  resolve(): void;
  reject(error: Error): void;
}

/** Writes batches of entries into the request log's file at `path` from a worker thread. */
export class SqliteLogWriter implements ApiRequestWriter {
  /**
   * A worker's commit writes each index page its rows touched, and call ids land on random pages: the
   * more entries per commit, the fewer pages per entry. Its transaction holds only the request log's
   * file (an erase or a purge waits for it), so it can take what half a second brings at a few thousand
   * requests a second.
   */
  readonly batchSize = 2000;
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly path: string,
    private readonly walLimitBytes: number,
  ) {}

  insert(rows: readonly ApiRequestRow[]): Promise<void> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, rows: rows.map((row) => apiRequestParams(SQLITE, row)) });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    // Referenced again, so the process waits for the worker's last batch instead of exiting under it.
    worker.ref();
    const exited = once(worker, 'exit');
    worker.postMessage('close');
    await exited;
  }

  private start(): Worker {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        path: this.path,
        walLimitBytes: this.walLimitBytes,
        insertMany: insertApiRequestsText(ROWS_PER_INSERT),
        many: ROWS_PER_INSERT,
        insertOne: insertApiRequestsText(1),
        driver: require.resolve('better-sqlite3'),
      },
    });
    // Never keeps the process alive on its own (close() waits for it).
    worker.unref();
    worker.on('message', ({ id, failure }: { id: number; failure?: { code?: string } }) => {
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      if (failure) waiting?.reject(new RequestLogWriteError(failure.code));
      else waiting?.resolve();
    });
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, waiting] of this.pending) {
        this.pending.delete(id);
        waiting.reject(new RequestLogWriteError('WORKER_EXITED'));
      }
    });
    return worker;
  }
}
