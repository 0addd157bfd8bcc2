/**
 * Two instances of the service share each organisation's rate limit: through Redis when REDIS_URL is set
 * (the machine's Redis; two instances on one SQLite file, which alone would count in process), through the
 * rate_limit_counters table on PostgreSQL otherwise. Organisation ids are random UUIDs, so counters of
 * different runs never meet in the shared Redis. An hour-long window: no window boundary (which moves the
 * rolling count) falls inside the test on a slow machine, and a fresh organisation has no earlier window.
 */
import { Redis } from 'ioredis';

import { limitedOrg, startCall, viewerQuery } from '../support/rate-limited-org';
import type { Engine } from '../support/scratch-database';
import { createTestApp, createTestAppOn, type TestApp } from '../support/test-app';

const LIMITS = { RATE_LIMIT_PER_MINUTE: '10', RATE_LIMIT_WINDOW_SECONDS: '3600' };
const REDIS_URL = 'redis://127.0.0.1:6379';

/** Instance A, and B on A's database, with the same settings. */
async function twoApps(engine: Engine, env: Record<string, string>): Promise<[TestApp, TestApp]> {
  const a = await createTestApp(engine, env);
  return [a, await createTestAppOn(a.database, env)];
}

/** 11 admitted across A and B (10 and its grace), then the 12th refused on both. */
async function expectSharedLimit(a: TestApp, b: TestApp, key: string): Promise<void> {
  for (let i = 0; i < 11; i++) {
    const res = await (i % 2 ? viewerQuery(b.app, key) : startCall(a.app, key));
    expect(res.status).toBe(200);
    expect(res.headers.ratelimit).toMatch(new RegExp(`^"organisation";r=${10 - i};`));
  }
  expect((await startCall(a.app, key)).status).toBe(429);
  expect((await startCall(b.app, key)).status).toBe(429);
}

describe('two instances on one Redis', () => {
  let a: TestApp;
  let b: TestApp;
  let redis: Redis;
  beforeAll(async () => {
    [a, b] = await twoApps('sqlite', { ...LIMITS, REDIS_URL });
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    redis.disconnect();
    await b.close();
    await a.close();
  });

  it('share the organisation’s limit through Redis', async () => {
    const org = await limitedOrg(a);
    await expectSharedLimit(a, b, org.testKey);
    expect(await redis.keys(`cm-rate:${org.id}:*`)).not.toHaveLength(0);
  });
});

describe('two instances on one PostgreSQL, no Redis', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    [a, b] = await twoApps('postgresql', LIMITS);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('share the organisation’s limit through the rate_limit_counters table', async () => {
    const org = await limitedOrg(a);
    await expectSharedLimit(a, b, org.testKey);
    const rows = await a.orm.em.fork().getConnection().execute<{ n: string }[]>('select count(*) as n from rate_limit_counters where key like ?', [`cm-rate:${org.id}:%`]);
    expect(Number(rows[0].n)).toBeGreaterThan(0);
  });
});
