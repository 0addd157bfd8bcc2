/**
 * Background purge: old calls (retention), expired variables, provisional customers nobody learnt anything
 * about, and request-log entries past REQUEST_LOG_RETENTION_DAYS.
 */
import type { MikroORM } from '@mikro-orm/core';

import { dropOldSnapshots } from '../calls/replay-window';
import type { Logger } from '../logging/logger';
import { purgeOldApiRequests } from '../request-log/api-request.sql';
import type { Services } from '../services';
import { DEFAULT_PURGE_BATCH_SIZE, purgeOldCalls } from './call-retention';
import { withPurgeLock } from './purge-lock';

/** Request-log retention when none is given (REQUEST_LOG_RETENTION_DAYS' default). */
const DEFAULT_REQUEST_LOG_RETENTION_MS = 14 * 24 * 60 * 60 * 1000;

/** What one purge removed. */
export interface PurgeResult {
  calls: number;
  variables: number;
  customers: number;
  /** Request-log entries past their retention. */
  apiRequests: number;
}

/** How a purge runs. */
export interface PurgeOptions {
  /** Calls deleted per transaction. */
  batchSize?: number;
  /** How long request-log entries are kept (config.requestLog.retentionMs; default 14 days). */
  requestLogRetentionMs?: number;
}

/**
 * Runs one purge across all tenants; undefined when another instance on the same PostgreSQL database is
 * running one (this run is skipped, see purge-lock.ts).
 */
export function runPurge(orm: MikroORM, services: Services, options: PurgeOptions = {}): Promise<PurgeResult | undefined> {
  return services.telemetry.countPurge(withPurgeLock(orm, async () => {
    const em = orm.em.fork();
    const now = services.clock.now();
    const calls = await purgeOldCalls(em, services.rules.callRetentionMs, now, options.batchSize ?? DEFAULT_PURGE_BATCH_SIZE);
    await dropOldSnapshots(em, services.rules.replayWindowMs, now);
    const variables = await services.variables.purgeExpired(em, now);
    const customers = await services.customers.purgeProvisional(em);
    const apiRequests = await purgeOldApiRequests(em, options.requestLogRetentionMs ?? DEFAULT_REQUEST_LOG_RETENTION_MS, now);
    return { calls, variables, customers, apiRequests };
  }));
}

/** Purges every `intervalMs` (0: never) until the returned function is called. */
export function schedulePurge(orm: MikroORM, services: Services, intervalMs: number, logger: Logger, options: PurgeOptions = {}): () => void {
  if (intervalMs <= 0) return () => {};
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runPurge(orm, services, options)
      .then((removed) => {
        if (!removed) logger.debug('purge skipped: another instance is purging');
        else if (removed.calls + removed.variables + removed.customers + removed.apiRequests > 0) logger.info(removed, 'purged expired data');
      })
      .catch((error: unknown) => logger.error({ err: error }, 'purge failed'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
