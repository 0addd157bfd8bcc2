/**
 * The request log's batches written by a worker thread with a database connection of its own
 * (sqlite-log-writer.ts, pg-log-writer.ts): the inserts, their statements' encoding and their commits
 * leave the event loop, and never take the ORM's connections or, on SQLite, the main file's write lock.
 *
 * A batch goes over as its inserts (insertRuns: runs of 25, 5 and 1 entries), and `workerData.inserts` has
 * their texts by entries per statement. The worker starts with the first batch. It answers each batch, in
 * order, with its id and, on failure,
 * the error's name and code, never its message (its SQL could quote entries). A failed batch is dropped
 * and counted by the writer (request-log.ts); if the worker dies, the batches it held fail and the next
 * batch starts another. `close()` lets it finish what it was sent, then ends it.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

import type { Dialect } from '../db/sql';
import { insertRuns, type ApiRequestRow, type ApiRequestWriter } from './api-request.sql';

/**
 * Most entries a worker writes per transaction. A commit writes each index page its rows touched, and call
 * ids land on random pages: the more entries per commit, the fewer pages per entry. The transaction holds
 * nothing a request waits for (on SQLite only the request log's file; an erase or a purge waits for it), so
 * it can take what half a second brings at a few thousand requests a second.
 */
export const WORKER_BATCH = 2000;

/** Why the worker could not write a batch: the error's name and database code, never its message. */
export class RequestLogWriteError extends Error {
  constructor(readonly code: string | undefined) {
    super('the request log worker could not write a batch');
    this.name = 'RequestLogWriteError';
  }
}

/** What a worker is started with. */
export interface WorkerLogWriterOptions {
  /** The worker's source (CommonJS, run with `eval`); it reads `workerData`. */
  source: string;
  workerData: Record<string, unknown>;
  /** How the entries' values are encoded for the worker's driver. */
  dialect: Dialect;
}

interface Pending {
  resolve(): void;
  reject(error: Error): void;
}

/** Writes batches of entries from a worker thread. */
export class WorkerLogWriter implements ApiRequestWriter {
  readonly batchSize = WORKER_BATCH;
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly options: WorkerLogWriterOptions) {}

  insert(rows: readonly ApiRequestRow[]): Promise<void> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, runs: insertRuns(this.options.dialect, rows) });
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
    const worker = new Worker(this.options.source, { eval: true, workerData: this.options.workerData });
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
