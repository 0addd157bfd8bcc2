/**
 * A rate-limit store outage never takes calls down: with a Redis of the test's own (its own port, a
 * password), killed or frozen mid-test, calls go on with 200 on the in-process limiter, the outage is
 * logged once (without the Redis URL's password) and every fallback decision is counted in /metrics'
 * registry. A frozen Redis costs a bounded wait, not a stalled request.
 */
import { Redis } from 'ioredis';

import { limitedOrg, startCall } from '../support/rate-limited-org';
import { createLoggedApp, type LoggedApp } from '../support/logged-app';
import { startRedis, type OwnRedis } from '../support/redis-server';
import type { TestApp } from '../support/test-app';

const PASSWORD = 'limiter-test-pw-7f3a91';
const OUTAGE = 'rate-limit store unavailable';

/** The logged app as the helpers take it (they use only the app, its ORM and keys). */
function asTestApp(logged: LoggedApp): TestApp {
  return { ...logged.built, orm: logged.orm } as unknown as TestApp;
}

/** The value of the fallback counter in the app's registry. */
async function fallbacks(logged: LoggedApp): Promise<number> {
  const text = await logged.built.services.telemetry.registry.getSingleMetricAsString('caller_memory_rate_limiter_fallbacks_total');
  return Number(/^caller_memory_rate_limiter_fallbacks_total (\d+)$/m.exec(text)?.[1]);
}

describe.each([
  ['killed', (redis: OwnRedis) => redis.kill()],
  ['frozen (SIGSTOP)', async (redis: OwnRedis) => void redis.process.kill('SIGSTOP')],
])('the rate limit when its Redis is %s mid-test', (_how, stop) => {
  let redis: OwnRedis;
  let logged: LoggedApp;
  let t: TestApp;
  beforeAll(async () => {
    redis = await startRedis(PASSWORD);
    logged = await createLoggedApp({ REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:${redis.port}`, RATE_LIMIT_PER_MINUTE: '100' });
    t = asTestApp(logged);
  });
  afterAll(async () => {
    redis.process.kill('SIGCONT');
    await redis.kill();
    await logged.close();
  });

  it('goes on answering calls from the in-process limiter, logs the outage once and counts each fallback', async () => {
    const org = await limitedOrg(t);
    for (let i = 0; i < 3; i++) expect((await startCall(t.app, org.testKey)).status).toBe(200);
    const direct = new Redis({ port: redis.port, password: PASSWORD });
    try {
      expect(await direct.keys(`cm-rate:${org.id}:*`)).not.toHaveLength(0);
    } finally {
      direct.disconnect();
    }
    expect(await fallbacks(logged)).toBe(0);

    await stop(redis);
    for (let i = 0; i < 5; i++) {
      const res = await startCall(t.app, org.testKey);
      expect(res.status).toBe(200);
      expect(res.headers.ratelimit).toMatch(/^"organisation";r=\d+;t=\d+$/);
    }
    const warnings = logged.lines.filter((line) => line.includes(OUTAGE));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0])).toMatchObject({ level: 40, store: 'redis' });
    expect(logged.lines.join('\n')).not.toContain(PASSWORD);
    expect(await fallbacks(logged)).toBe(5);
  });
});
