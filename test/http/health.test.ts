import request from 'supertest';

import { createApp } from '../../src/app';
import { initOrm } from '../../src/db/orm';
import { createLogger } from '../../src/logging/logger';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, createTestOrm, testConfig } from '../support/test-app';

describe.each(ENGINES)('health probes on %s', (engine) => {
  it('report liveness and readiness without a key', async () => {
    const t = await createTestApp(engine);
    try {
      const live = await request(t.app).get('/healthz');
      expect(live.status).toBe(200);
      expect(live.body).toEqual({ status: 'ok' });

      const ready = await request(t.app).get('/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: 'ready', database: 'up' });
    } finally {
      await t.close();
    }
  });
});

describe('readiness while shutting down', () => {
  it('answers 503 draining from the shutdown signal on, while liveness stays 200', async () => {
    const { orm, close } = await createTestOrm('sqlite');
    const drain = { draining: false };
    const { app, apollo } = await createApp({ config: testConfig(), orm, logger: createLogger('silent'), drain });
    try {
      expect((await request(app).get('/readyz')).status).toBe(200);
      drain.draining = true;
      const ready = await request(app).get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body).toEqual({ status: 'draining' });
      expect((await request(app).get('/healthz')).status).toBe(200);
    } finally {
      await apollo.stop();
      await close();
    }
  });
});

describe('readiness while starting', () => {
  it('answers 503 starting until the first-start bootstrap is done, then 200', async () => {
    const { orm, close } = await createTestOrm('sqlite');
    const drain = { draining: false, starting: true };
    const { app, apollo } = await createApp({ config: testConfig(), orm, logger: createLogger('silent'), drain });
    try {
      const starting = await request(app).get('/readyz');
      expect([starting.status, starting.body]).toEqual([503, { status: 'starting' }]);
      expect((await request(app).get('/healthz')).status).toBe(200);
      drain.starting = false;
      expect((await request(app).get('/readyz')).status).toBe(200);
    } finally {
      await apollo.stop();
      await close();
    }
  });
});

describe('readiness with the database gone', () => {
  it('answers 503 while liveness stays 200', async () => {
    // Nothing listens on port 1: the ORM connects lazily, so the app builds and the probe finds out.
    const orm = await initOrm({ engine: 'postgresql', url: 'postgres://postgres@127.0.0.1:1/none' }, { migrate: false });
    const { app, apollo } = await createApp({ config: testConfig(), orm, logger: createLogger('silent') });
    try {
      expect((await request(app).get('/healthz')).status).toBe(200);
      const ready = await request(app).get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body).toEqual({ status: 'unavailable', database: 'down' });
    } finally {
      await apollo.stop();
      await orm.close(true).catch(() => undefined);
    }
  });
});
