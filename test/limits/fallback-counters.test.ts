/**
 * The fallback around a shared counter store, over a real RateLimiterPostgres whose pool reaches no
 * server: every count comes from the in-process limiter (a number, never NaN), each `add` is reported as a
 * fallback, and the outage is logged once, as a warning.
 */
import { createServer } from 'node:net';
import { Writable } from 'node:stream';

import { Pool } from 'pg';
import { RateLimiterPostgres } from 'rate-limiter-flexible';

import { counterOptions, FallbackCounters, LimiterCounters } from '../../src/limits/window-counters';
import { createLogger } from '../../src/logging/logger';
import { teeToRunLog } from '../support/run-log';

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the rate-limit counters when PostgreSQL cannot be reached', () => {
  let pool: Pool;
  afterAll(() => pool.end());

  it('count in process, report every add as a fallback and log the outage once', async () => {
    pool = new Pool({ host: '127.0.0.1', port: await deadPort(), user: 'postgres', database: 'postgres', connectionTimeoutMillis: 500 });
    pool.on('error', () => undefined);
    const store = new RateLimiterPostgres({ storeClient: pool, storeType: 'pool', tableName: 'rate_limit_counters', tableCreated: true, clearExpiredByTimeout: false, ...counterOptions(4, 'test') });
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    let fallbacks = 0;
    let now = 1_000_000;
    const counters = new FallbackCounters(new LimiterCounters(store), 4, { logger: createLogger('info', teeToRunLog(sink)), store: 'postgresql', onFallback: () => (fallbacks += 1) }, () => now);

    expect(await counters.add('org:2s:1')).toEqual({ count: 1, fallback: true });
    expect(await counters.read('org:2s:1')).toEqual({ count: 1, fallback: true });
    // Past the pause, the store is tried again, and fails again: still one warning for the one outage.
    now += 5_000;
    expect(await counters.add('org:2s:1')).toEqual({ count: 2, fallback: true });
    await counters.undo('org:2s:1');
    expect(await counters.read('org:2s:1')).toEqual({ count: 1, fallback: true });
    expect(fallbacks).toBe(2);
    const warnings = lines.filter((line) => line.includes('rate-limit store unavailable'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0])).toMatchObject({ level: 40, store: 'postgresql' });
  });
});
