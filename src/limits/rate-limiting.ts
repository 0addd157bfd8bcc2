/**
 * The rate limit's wiring: the counter store this deployment uses, the limiter over it, the middleware
 * app.ts mounts after authentication, and an Apollo plugin that closes the store's connections when the
 * app stops (every owner of a BuiltApp stops it through `apollo.stop()`).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/core';
import type { RequestHandler } from 'express';

import type { LimitsConfig } from '../config-operations';
import type { GraphQLContext } from '../graphql/context';
import type { Logger } from '../logging/logger';
import type { Services } from '../services';
import { createCounterStore } from './counter-stores';
import { OrganisationRateLimiter } from './organisation-rate-limiter';
import { rateLimit } from './rate-limit.middleware';

/** What app.ts mounts and registers. */
export interface RateLimiting {
  middleware: RequestHandler;
  /** Closes the Redis client or the PostgreSQL pool when Apollo stops. */
  closeOnStop: ApolloServerPlugin<GraphQLContext>;
}

/** What the rate limit is built from. */
export interface RateLimitingDeps {
  limits: LimitsConfig;
  orm: MikroORM;
  logger: Logger;
  services: Pick<Services, 'limits' | 'telemetry'>;
}

/** Builds the rate limit over Redis, PostgreSQL or memory (limits/counter-stores.ts). */
export async function createRateLimiting({ limits, orm, logger, services }: RateLimitingDeps): Promise<RateLimiting> {
  const store = await createCounterStore({
    redisUrl: limits.redisUrl,
    orm,
    logger,
    // Two windows: the previous window's counter is read until the current one ends.
    ttlSeconds: (2 * limits.windowMs) / 1000,
    onFallback: (requests) => services.telemetry.limiterFallbacks.inc(requests),
  });
  const limiter = new OrganisationRateLimiter(store, limits.windowMs);
  return {
    middleware: rateLimit({ limiter, limits: services.limits, telemetry: services.telemetry }),
    closeOnStop: {
      serverWillStart: async () => ({ serverWillStop: () => limiter.close() }),
    },
  };
}
