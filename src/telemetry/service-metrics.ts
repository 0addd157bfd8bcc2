/**
 * The service's Prometheus metrics: one registry per app (tests build many apps in one process), every
 * series defined here so names and labels stay in one place. Modules record through the typed fields;
 * gauges read their source when scraped (`onCollect`). Served by telemetry/metrics.routes.ts.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const PREFIX = 'caller_memory_';

/** Seconds: around the IVRs' budgets, from a 25 ms screen-pop lookup to a 5 s hard timeout. */
export const LATENCY_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];

/** A gauge's reading, taken when Prometheus scrapes. */
type Reading = () => number | undefined | Promise<number | undefined>;

export class ServiceMetrics {
  readonly registry = new Registry();

  /** Every request: route pattern (never the raw path), method, status. */
  readonly requestDuration = new Histogram({
    name: `${PREFIX}http_request_duration_seconds`,
    help: 'Time from a request’s arrival to its answer’s end, by route pattern, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /** Records a finished request (http/access-log.ts hands over the route pattern it logged). */
  readonly observeRequest = (route: string, method: string, status: number, seconds: number): void => {
    this.requestDuration.labels(route, method, String(status)).observe(seconds);
  };

  /** Each start's identification recommendation: reuse, confirm or ignore. */
  readonly identifications = new Counter({
    name: `${PREFIX}identifications_total`,
    help: 'Call starts by identification recommendation (reuse, confirm, ignore).',
    labelNames: ['recommendation'] as const,
    registers: [this.registry],
  });

  /** Replayed requests (a retried start or end answered from what was stored). */
  readonly replays = new Counter({
    name: `${PREFIX}replays_total`,
    help: 'Starts and ends answered as replays of an earlier request.',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  /** Requests refused with 409 (idempotency or reference conflicts). */
  readonly conflicts = new Counter({
    name: `${PREFIX}conflicts_total`,
    help: 'Starts and ends refused as conflicts (409).',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  /** Transactions committed together by SQLite's group commit. */
  readonly groupCommitBatch = new Histogram({
    name: `${PREFIX}group_commit_batch_size`,
    help: 'Units of work committed in one SQLite transaction by the group commit.',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128],
    registers: [this.registry],
  });

  /** Background purges: what they purged and whether they ran or failed. */
  readonly purgeRuns = new Counter({
    name: `${PREFIX}purge_runs_total`,
    help: 'Background purge runs, by outcome (done, skipped: another instance holds the lock, failed).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** Rate-limit decisions taken by the local limiter because the shared store failed. */
  readonly limiterFallbacks = new Counter({
    name: `${PREFIX}rate_limiter_fallbacks_total`,
    help: 'Rate-limit checks answered by the in-process limiter because the shared store (Redis, PostgreSQL) failed.',
    registers: [this.registry],
  });

  /** Requests refused by a limit: 429 rate, 402 quota. */
  readonly limitRefusals = new Counter({
    name: `${PREFIX}limit_refusals_total`,
    help: 'Requests refused by the rate limit (rate) or the monthly quota (quota).',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  /** Request-log entries written, and dropped because the queue was full or the write failed. */
  readonly requestLogEntries = new Counter({
    name: `${PREFIX}request_log_entries_total`,
    help: 'Request-log entries by outcome (written, dropped).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    // Labelled series appear once a label value is used: the known ones start at 0, so a dashboard or an
    // alert finds every series from the first scrape instead of "no data" until the first event.
    for (const recommendation of ['reuse', 'confirm', 'ignore']) this.identifications.labels(recommendation).inc(0);
    for (const operation of ['start', 'end']) {
      this.replays.labels(operation).inc(0);
      this.conflicts.labels(operation).inc(0);
    }
    for (const outcome of ['done', 'skipped', 'failed']) this.purgeRuns.labels(outcome).inc(0);
    for (const limit of ['rate', 'quota']) this.limitRefusals.labels(limit).inc(0);
    for (const outcome of ['written', 'dropped']) this.requestLogEntries.labels(outcome).inc(0);
  }

  /** Counts a purge run by how it ended: done, skipped (undefined: another instance holds the lock) or failed. */
  async countPurge<T>(run: Promise<T | undefined>): Promise<T | undefined> {
    try {
      const result = await run;
      this.purgeRuns.labels(result === undefined ? 'skipped' : 'done').inc();
      return result;
    } catch (error) {
      this.purgeRuns.labels('failed').inc();
      throw error;
    }
  }

  /**
   * The process's own series (CPU, memory, event-loop lag, GC): called once by main.ts for the service
   * process, not per app (each call adds observers, and tests build hundreds of apps in one process).
   */
  collectProcessMetrics(): void {
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
  }

  /** A gauge read at each scrape; a reading of undefined leaves the series out. */
  gauge(name: string, help: string, read: Reading): void {
    new Gauge({
      name: `${PREFIX}${name}`,
      help,
      registers: [this.registry],
      async collect() {
        this.reset();
        const value = await read();
        if (value !== undefined) this.set(value);
      },
    });
  }

  /** A labelled gauge read at each scrape (e.g. the database pool by state). */
  labelledGauge<L extends string>(
    name: string,
    help: string,
    label: L,
    read: () => Record<string, number> | undefined | Promise<Record<string, number> | undefined>,
  ): void {
    new Gauge({
      name: `${PREFIX}${name}`,
      help,
      labelNames: [label],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [value, reading] of Object.entries((await read()) ?? {})) this.set({ [label]: value } as Record<L, string>, reading);
      },
    });
  }
}
