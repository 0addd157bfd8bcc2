/** Background purge: expired variables and provisional customers nobody learnt anything about. */
import type { MikroORM } from '@mikro-orm/core';

import type { Logger } from '../logging/logger';
import type { Services } from '../services';

/** What one purge removed. */
export interface PurgeResult {
  variables: number;
  customers: number;
}

/** Runs one purge across all tenants. */
export async function runPurge(orm: MikroORM, services: Services): Promise<PurgeResult> {
  const em = orm.em.fork();
  const variables = await services.variables.purgeExpired(em, services.clock.now());
  const customers = await services.customers.purgeProvisional(em);
  return { variables, customers };
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
        if (removed.variables + removed.customers > 0) logger.info(removed, 'purged expired data');
      })
      .catch((error: unknown) => logger.error({ err: error }, 'purge failed'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
