/**
 * The request log's writer: entries are queued in memory (at most `queueLimit`, counting those handed over
 * and not yet written) and handed to the writer in batches off the request path, every `handOverMs` of
 * the writer or as soon as a batch is full. A worker's writer takes them within tens of milliseconds and
 * commits on its own schedule (worker-log-writer.ts), so that entries do not age on the event loop's heap.
 * Writing never slows or fails a call: a full queue drops the new entry, a failed write drops its batch;
 * both are counted (`request_log_entries_total{outcome="dropped"}`). Bodies are read and masked when the entry is queued,
 * only for organisations that keep them (organisations.log_bodies); masked bodies waiting in the queue are
 * bounded too (MAX_QUEUED_BODY_CHARS).
 *
 * `close()` writes what is queued and ends the writer: call it before the ORM closes (shutdown.ts).
 * A failed write logs one warning per run of failures, without the error (its SQL may quote entries).
 */
import type { MikroORM } from '@mikro-orm/core';

import type { RequestLogConfig } from '../config-operations';
import type { OrganisationLimits } from '../limits/organisation-limits';
import type { Logger } from '../logging/logger';
import type { ServiceMetrics } from '../telemetry/service-metrics';
import { inTransaction } from '../db/sql';
import type { Tenant } from '../tenancy/environment';
import { deleteApiRequestsOfCalls, ormApiRequestWriter, type ApiRequestRow, type ApiRequestWriter } from './api-request.sql';
import { maskedBodyText } from './mask-body';

/** The raw bodies of a request, read only when its organisation keeps bodies. */
export interface RawBodies {
  request?: unknown;
  response?: unknown;
}

/** An entry waiting to be written: the row, its bodies already masked (or null). */
type QueuedRow = ApiRequestRow;

/** How long entries of erased calls are still dropped as they come (requests answered around the erase). */
export const ERASED_CALLS_MEMORY_MS = 10_000;

/** Most characters of masked bodies waiting in the queue; past it, entries with bodies are dropped. */
export const MAX_QUEUED_BODY_CHARS = 32 * 1024 * 1024;

export class RequestLog {
  private queue: QueuedRow[] = [];
  private bodyChars = 0;
  /** Entries whose organisation's body setting is being read (they count against the queue limit). */
  private readonly reading = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  /** The batches handed to the writer and not yet written or dropped, and how many entries they hold. */
  private readonly writes = new Set<Promise<void>>();
  private handedOver = 0;
  private closed = false;
  private failing = false;
  private readonly em: ReturnType<MikroORM['em']['fork']>;
  /** Erased calls (tenant and logged call id) whose entries are dropped, until when. */
  private readonly erased = new Map<string, number>();
  private readonly writer: ApiRequestWriter;

  /** `writer` takes the batches (default: the ORM's connection; a worker thread's: log-writers.ts). */
  constructor(
    orm: MikroORM,
    private readonly limits: OrganisationLimits,
    private readonly telemetry: ServiceMetrics,
    private readonly logger: Logger,
    readonly config: RequestLogConfig,
    writer?: ApiRequestWriter,
  ) {
    this.em = orm.em.fork();
    this.writer = writer ?? ormApiRequestWriter(this.em);
  }

  /** Whether requests are recorded (REQUEST_LOG, and not closed). */
  get enabled(): boolean {
    return this.config.enabled && !this.closed;
  }

  /** Entries waiting to be written. */
  get queued(): number {
    return this.queue.length + this.reading.size + this.handedOver;
  }

  /**
   * Queues an entry (bodies read, masked and kept only if its organisation keeps bodies), or drops and
   * counts it when the queue is full. Never throws, never waits.
   */
  record(row: Omit<ApiRequestRow, 'requestBody' | 'responseBody'>, bodies?: () => RawBodies): void {
    if (!this.enabled) return;
    if (this.queued >= this.config.queueLimit) {
      this.dropped(1);
      return;
    }
    const known = this.limits.cached(row.organisationId);
    if (known) {
      // The usual case: the organisation's body setting is cached, the entry is queued at once.
      this.enqueueWithBodies(row, known.logBodies ? bodies : undefined);
      return;
    }
    const reading = this.limits
      .of(this.em, row.organisationId)
      .then(
        (limits) => this.enqueueWithBodies(row, limits.logBodies ? bodies : undefined),
        () => this.enqueueWithBodies(row, undefined),
      )
      .finally(() => this.reading.delete(reading));
    this.reading.add(reading);
  }

  /** Queues the entry with its bodies read and masked (none when `bodies` is undefined); a failure drops it, counted. */
  private enqueueWithBodies(row: Omit<ApiRequestRow, 'requestBody' | 'responseBody'>, bodies: (() => RawBodies) | undefined): void {
    try {
      const raw = bodies ? bodies() : {};
      this.enqueue({ ...row, requestBody: maskedBodyText(raw.request), responseBody: maskedBodyText(raw.response) });
    } catch {
      this.dropped(1);
    }
  }

  /**
   * An erase committed (privacy/privacy.service.ts deleted the calls' stored entries in it): drops what this
   * instance still holds of those calls, queued or arriving in the next seconds; what it already handed to
   * the writer is written at once and deleted again. Never rejects.
   */
  async forgetCalls(tenant: Tenant, loggedCallIds: readonly string[]): Promise<void> {
    if (loggedCallIds.length === 0) return;
    const until = Date.now() + ERASED_CALLS_MEMORY_MS;
    for (const [key, expiry] of this.erased) if (expiry < Date.now()) this.erased.delete(key);
    for (const callId of loggedCallIds) this.erased.set(erasedKey(tenant.organisationId, tenant.environment, callId), until);
    this.queue = this.queue.filter((row) => !this.isErased(row));
    const inFlight = [...this.writes];
    if (inFlight.length === 0) return;
    this.writer.flush();
    await Promise.all(inFlight);
    await inTransaction(this.em.fork(), (sql) => deleteApiRequestsOfCalls(sql, tenant, loggedCallIds)).catch(() => undefined);
  }

  private isErased(row: Pick<ApiRequestRow, 'organisationId' | 'environment' | 'callId'>): boolean {
    if (row.callId === null || this.erased.size === 0) return false;
    const until = this.erased.get(erasedKey(row.organisationId, row.environment, row.callId));
    return until !== undefined && until >= Date.now();
  }

  /** Writes everything queued so far; resolves when it is written (or dropped). Never rejects. */
  async flush(): Promise<void> {
    while (this.reading.size > 0) await Promise.all(this.reading);
    this.handOver();
    this.writer.flush();
    while (this.writes.size > 0) await Promise.all(this.writes);
  }

  /** Stops taking entries and writes what is queued. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    await this.writer.close();
  }

  private enqueue(row: QueuedRow): void {
    if (this.isErased(row)) return;
    const chars = (row.requestBody?.length ?? 0) + (row.responseBody?.length ?? 0);
    if (chars > 0 && this.bodyChars + chars > MAX_QUEUED_BODY_CHARS) {
      this.dropped(1);
      return;
    }
    this.bodyChars += chars;
    this.queue.push(row);
    if (this.queue.length >= this.writer.batchSize) this.handOver();
    else this.timer ??= setTimeout(() => this.handOver(), this.writer.handOverMs).unref();
  }

  private dropped(count: number): void {
    this.telemetry.requestLogEntries.inc({ outcome: 'dropped' }, count);
  }

  /** Hands everything queued to the writer, a batch at a time, without waiting for the writes. */
  private handOver(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.writer.batchSize);
      for (const row of batch) this.bodyChars -= (row.requestBody?.length ?? 0) + (row.responseBody?.length ?? 0);
      // The callbacks below keep only the count: a closure naming `batch` would hold its entries on the
      // event loop's heap until the worker's commit answers (up to WORKER_COMMIT_MS), long enough for the
      // garbage collector to copy them twice and promote them (issue 13, tenth session).
      const entries = batch.length;
      this.handedOver += entries;
      const write: Promise<void> = this.writer
        .insert(batch)
        .then(
          () => this.written(entries),
          (error: unknown) => this.failed(entries, error),
        )
        .finally(() => {
          this.handedOver -= entries;
          this.writes.delete(write);
        });
      this.writes.add(write);
    }
  }

  private written(count: number): void {
    this.telemetry.requestLogEntries.inc({ outcome: 'written' }, count);
    this.failing = false;
  }

  private failed(count: number, error: unknown): void {
    this.dropped(count);
    // One warning per run of failures; never the error itself, whose SQL may quote the entries.
    if (!this.failing) {
      const code = (error as { code?: unknown } | null)?.code;
      this.logger.warn({ entries: count, error: error instanceof Error ? error.name : 'unknown', ...(typeof code === 'string' ? { code } : {}) }, 'request log: a batch could not be written and was dropped');
    }
    this.failing = true;
  }
}

function erasedKey(organisationId: string, environment: string, callId: string): string {
  return `${organisationId}\u0000${environment}\u0000${callId}`;
}
