/**
 * The request log's batches written by a worker thread with a database connection of its own
 * (sqlite-log-writer.ts, pg-log-writer.ts): the inserts, their statements' encoding and their commits
 * leave the event loop, and never take the ORM's connections or, on SQLite, the main file's write lock.
 *
 * The request log hands batches over every HAND_OVER_MS (request-log.ts), so that entries leave the event
 * loop's heap young, before its garbage collector has to copy and promote them. The worker holds what it is
 * handed and commits it in one transaction once it holds WORKER_BATCH entries or the oldest has waited
 * WORKER_COMMIT_MS, or at once when told to flush (WORKER_HOLDING, shared by both workers' sources).
 *
 * A batch goes over as its inserts (insertRuns: runs of 25, 5 and 1 entries) in JSON: SQLite's worker runs them
 * (`workerData.inserts` has their texts by entries per statement), PostgreSQL's copies their parameters'
 * rows. The worker starts with the first batch. After each commit it answers with the ids of the batches in
 * it and, on failure, the error's name and code, never its message (its SQL could quote entries). A failed
 * commit's batches are dropped and counted by the request log; if the worker dies, the batches it held fail
 * and the next batch starts another. `close()` lets it commit what it was sent, then ends it.
 */
import { Worker } from 'node:worker_threads';

import type { Dialect } from '../db/sql';
import { closeWorker } from '../shared/close-worker';
import { insertRuns, type ApiRequestRow, type ApiRequestWriter } from './api-request.sql';

/**
 * Most entries a worker writes per transaction. A commit writes each index page its rows touched, and call
 * ids land on random pages: the more entries per commit, the fewer pages per entry. The transaction holds
 * nothing a request waits for (on SQLite only the request log's file; an erase or a purge waits for it), so
 * it can take what half a second brings at a few thousand requests a second.
 */
export const WORKER_BATCH = 2000;

/** How long the worker holds entries before it commits them. */
export const WORKER_COMMIT_MS = 500;

/** How long entries wait on the event loop before they are handed to the worker. */
export const HAND_OVER_MS = 50;

/**
 * The worker's side of holding batches, in both workers' sources: `hold(message)` keeps a batch and
 * calls `commitHeld()` when WORKER_BATCH entries are held or the oldest has waited WORKER_COMMIT_MS;
 * `takeHeld()` (from commitHeld) returns the held batches and starts over.
 */
export const WORKER_HOLDING = `
let held = [];
let heldEntries = 0;
let commitTimer;
function hold(message) {
  held.push({ id: message.id, entries: message.entries, runs: JSON.parse(message.runs) });
  heldEntries += message.entries;
  if (heldEntries >= workerData.batch) commitHeld();
  else if (!commitTimer) commitTimer = setTimeout(commitHeld, workerData.commitMs);
}
function takeHeld() {
  clearTimeout(commitTimer);
  commitTimer = undefined;
  const taken = held;
  held = [];
  heldEntries = 0;
  return taken;
}
`;

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
  /** How long the worker holds entries before it commits them (default WORKER_COMMIT_MS). */
  commitMs?: number;
}

interface Pending {
  resolve(): void;
  reject(error: Error): void;
}

/** Writes batches of entries from a worker thread. */
export class WorkerLogWriter implements ApiRequestWriter {
  readonly batchSize = WORKER_BATCH;
  readonly handOverMs = HAND_OVER_MS;
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly options: WorkerLogWriterOptions) {}

  insert(rows: readonly ApiRequestRow[]): Promise<void> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // The runs as one JSON text: cloning a string is a copy, where cloning the runs' arrays walked every
      // value on both threads (issue 13, tenth session). Their values are text, numbers, null and, on
      // PostgreSQL, dates, which JSON turns into the ISO text COPY would have written for them.
      worker.postMessage({ id, entries: rows.length, runs: JSON.stringify(insertRuns(this.options.dialect, rows)) });
    });
  }

  flush(): void {
    this.worker?.postMessage('flush');
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    await closeWorker(worker);
  }

  private start(): Worker {
    const worker = new Worker(this.options.source, { eval: true, workerData: { batch: WORKER_BATCH, commitMs: this.options.commitMs ?? WORKER_COMMIT_MS, ...this.options.workerData } });
    // Never keeps the process alive on its own (close() waits for it).
    worker.unref();
    worker.on('message', ({ ids, failure }: { ids: number[]; failure?: { code?: string } }) => {
      for (const id of ids) {
        const waiting = this.pending.get(id);
        this.pending.delete(id);
        if (failure) waiting?.reject(new RequestLogWriteError(failure.code));
        else waiting?.resolve();
      }
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
