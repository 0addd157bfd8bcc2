/**
 * Where the rate limit's counters live, chosen at start: Redis when REDIS_URL is set (instances share
 * them), else PostgreSQL when the database is (the `rate_limit_counters` table, created by the
 * migrations), else this process's memory (SQLite runs one instance). The shared stores are wrapped in
 * FallbackCounters, so their outage never takes calls down, and in CoalescedCounters, so that requests
 * arriving while a key's round trip is out share the next one.
 */
import { once } from 'node:events';

import type { MikroORM } from '@mikro-orm/core';
import { SqlitePlatform } from '@mikro-orm/sqlite';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis } from 'rate-limiter-flexible';

import type { Logger } from '../logging/logger';
import { CoalescedCounters } from './coalesced-counters';
import { counterOptions, FallbackCounters, LimiterCounters, STORE_TIMEOUT_MS, type WindowCounters } from './window-counters';

/** The counters and how to let go of their connections. */
export interface CounterStore {
  counters: WindowCounters;
  /** Which store: redis, postgresql or memory. */
  kind: 'redis' | 'postgresql' | 'memory';
  close(): Promise<void>;
}

/** What the store is chosen from. */
export interface CounterStoreDeps {
  redisUrl?: string;
  orm: MikroORM;
  logger: Logger;
  /** How long a counter lives, in seconds (two windows: the previous one is still read). */
  ttlSeconds: number;
  /** Called with the number of decisions the local limiter took because the store failed. */
  onFallback(requests: number): void;
}

const KEY_PREFIX = 'cm-rate';

/** Longest the start waits for Redis to be ready. */
const REDIS_START_WAIT_MS = 2000;

/** Connections the limiter opens to PostgreSQL, apart from the ORM's pool (requests never wait behind it). */
const PG_CONNECTIONS = 2;

/** Expired counter rows are deleted this often (PostgreSQL keeps them otherwise). */
const PG_CLEANUP_MS = 5 * 60_000;

/** The counters for this deployment. */
export async function createCounterStore(deps: CounterStoreDeps): Promise<CounterStore> {
  if (deps.redisUrl !== undefined) return redisStore(deps, deps.redisUrl);
  if (!(deps.orm.em.getPlatform() instanceof SqlitePlatform)) return postgresStore(deps);
  const limiter = new RateLimiterMemory(counterOptions(deps.ttlSeconds, KEY_PREFIX));
  return { counters: new LimiterCounters(limiter), kind: 'memory', close: async () => undefined };
}

async function redisStore(deps: CounterStoreDeps, url: string): Promise<CounterStore> {
  const client = new Redis(url, {
    // A command fails at once while disconnected (no queue to wait in) and within the timeout when the
    // server hangs; the limiter then answers from memory. Reconnecting goes on in the background.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: STORE_TIMEOUT_MS,
    connectTimeout: 2000,
  });
  // FallbackCounters logs the outage once; ioredis would otherwise print every reconnect failure.
  client.on('error', () => undefined);
  // Without an offline queue, requests before the connection is ready would all fall back: wait for it
  // (a Redis down at start only delays the start by the connect timeout; reconnecting goes on).
  await untilReady(client);
  const limiter = new RateLimiterRedis({ storeClient: client, ...counterOptions(deps.ttlSeconds, KEY_PREFIX) });
  return {
    counters: new CoalescedCounters(new FallbackCounters(new LimiterCounters(limiter), deps.ttlSeconds, { logger: deps.logger, store: 'redis', onFallback: deps.onFallback })),
    kind: 'redis',
    close: async () => client.disconnect(),
  };
}

/** Resolves once the client is ready, or has failed to connect, or after REDIS_START_WAIT_MS. */
async function untilReady(client: Redis): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    once(client, 'ready'),
    once(client, 'error'),
    new Promise((resolve) => {
      timer = setTimeout(resolve, REDIS_START_WAIT_MS);
    }),
  ]).catch(() => undefined);
  clearTimeout(timer);
}

async function postgresStore(deps: CounterStoreDeps): Promise<CounterStore> {
  // The ORM's configuration says where the database is; the limiter takes two connections of its own. Not
  // the ORM's pool: asking for it connects, and building the app must not need the database (/readyz reports it).
  const pool = new Pool({ connectionString: deps.orm.config.get('clientUrl'), max: PG_CONNECTIONS, connectionTimeoutMillis: 1000, statement_timeout: 1000 });
  // An idle connection that breaks must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  // One connection opened now, so the first requests do not spend their time budget connecting (bounded; a
  // database down at this point only means the first requests fall back).
  await Promise.race([pool.query('select 1').catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
  const limiter = new RateLimiterPostgres({
    storeClient: pool,
    storeType: 'pool',
    tableName: 'rate_limit_counters',
    tableCreated: true,
    clearExpiredByTimeout: false,
    ...counterOptions(deps.ttlSeconds, KEY_PREFIX),
  });
  // The library's own clean-up timer cannot be stopped from outside; this one stops with the app.
  const expired = limiter as unknown as { clearExpired(before: number): Promise<void> };
  const cleanup = setInterval(() => void expired.clearExpired(Date.now()), PG_CLEANUP_MS);
  cleanup.unref();
  return {
    counters: new CoalescedCounters(new FallbackCounters(new LimiterCounters(limiter), deps.ttlSeconds, { logger: deps.logger, store: 'postgresql', onFallback: deps.onFallback })),
    kind: 'postgresql',
    close: async () => {
      clearInterval(cleanup);
      await pool.end();
    },
  };
}
