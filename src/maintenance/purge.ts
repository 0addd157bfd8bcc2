/** Background purge: old calls (retention), expired variables and provisional customers nobody learnt anything about. */
import type { MikroORM } from '@mikro-orm/core';

import { dropOldSnapshots } from '../calls/replay-window';
import type { Logger } from '../logging/logger';
import type { Services } from '../services';
import { DEFAULT_PURGE_BATCH_SIZE, purgeOldCalls } from './call-retention';
import { withPurgeLock } from './purge-lock';

/** What one purge removed. */
export interface PurgeResult {
  calls: number;
  variables: number;
  customers: number;
}

/** How a purge runs. */
export interface PurgeOptions {
  /** Calls deleted per transaction. */
  batchSize?: number;
}

/**
 * Runs one purge across all tenants; undefined when another instance on the same PostgreSQL database is
 * running one (this run is skipped, see purge-lock.ts).
 */
export function runPurge(orm: MikroORM, services: Services, options: PurgeOptions = {}): Promise<PurgeResult | undefined> {
  return withPurgeLock(orm, async () => {
    const em = orm.em.fork();
    const now = services.clock.now();
    const calls = await purgeOldCalls(em, services.rules.callRetentionMs, now, options.batchSize ?? DEFAULT_PURGE_BATCH_SIZE);
    await dropOldSnapshots(em, services.rules.replayWindowMs, now);
    const variables = await services.variables.purgeExpired(em, now);
    const customers = await services.customers.purgeProvisional(em);
    return { calls, variables, customers };
  });
}

/** Purges every `intervalMs` (0: never) until the returned function is called. */
export function schedulePurge(orm: MikroORM, services: Services, intervalMs: number, logger: Logger): () => void {
  if (intervalMs <= 0) return () => {};
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runPurge(orm, services)
      .then((removed) => {
        if (!removed) logger.debug('purge skipped: another instance is purging');
        else if (removed.calls + removed.variables + removed.customers > 0) logger.info(removed, 'purged expired data');
      })
      .catch((error: unknown) => logger.error({ err: error }, 'purge failed'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
