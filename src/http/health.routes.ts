/** Probes for load balancers: liveness (process up) and readiness (database answers). */
import type { MikroORM } from '@mikro-orm/core';
import { Router } from 'express';

export function healthRoutes(orm: MikroORM): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const ok = await orm.em
      .getConnection()
      .execute('select 1')
      .then(() => true)
      .catch(() => false);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'unavailable', database: ok ? 'up' : 'down' });
  });
  return router;
}
