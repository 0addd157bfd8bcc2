/**
 * Probes for load balancers: liveness (process up) and readiness (database answers, start-up done, and not
 * shutting down: from the shutdown signal on, `/readyz` answers 503 so a balancer stops sending traffic).
 */
import type { MikroORM } from '@mikro-orm/core';
import { Router } from 'express';

import type { DrainState } from './drain-state';

/** `/healthz` and `/readyz`. */
export function healthRoutes(orm: MikroORM, drain: DrainState): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (drain.draining) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    if (drain.starting) {
      res.status(503).json({ status: 'starting' });
      return;
    }
    const ok = await orm.em
      .getConnection()
      .execute('select 1')
      .then(() => true)
      .catch(() => false);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'unavailable', database: ok ? 'up' : 'down' });
  });
  return router;
}
