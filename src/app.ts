/**
 * The app factory: builds Express 5 + Apollo Server 5 over an initialised ORM, without listening.
 * Tests use exactly this wiring; only src/main.ts listens.
 */
import type { ApolloServer } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/core';
import express, { type Express } from 'express';

import { callsRoutes } from './calls/calls.routes';
import type { Config } from './config';
import { createApolloServer } from './graphql/apollo';
import type { GraphQLContext } from './graphql/context';
import { graphqlMiddleware } from './graphql/graphql.middleware';
import { buildGraphQLSchema } from './graphql/schema';
import { accessLog } from './http/access-log';
import { authenticate, forkEntityManager } from './http/authenticate';
import { healthRoutes } from './http/health.routes';
import { lenientBody } from './http/lenient-body';
import { requestId } from './http/request-id';
import { errorHandler, notFound } from './http/rest-errors';
import type { Logger } from './logging/logger';
import { createServices, type Services } from './services';
import { systemClock, type Clock } from './shared/clock';
import { ApiKeyService } from './tenancy/api-key.service';

/** What createApp needs. */
export interface AppDeps {
  config: Config;
  orm: MikroORM;
  logger: Logger;
  /** Time source (tests move it by hand). */
  clock?: Clock;
}

/** The built application and the parts its owner must stop. */
export interface BuiltApp {
  app: Express;
  apollo: ApolloServer<GraphQLContext>;
  keys: ApiKeyService;
  services: Services;
}

/** Builds the application; call `apollo.stop()` when done with it. */
export async function createApp({ config, orm, logger, clock = systemClock }: AppDeps): Promise<BuiltApp> {
  const keys = new ApiKeyService(config.appSecret);
  const services = createServices(config.memory, clock);
  const schema = await buildGraphQLSchema();
  const apollo = createApolloServer(schema, config, logger);
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestId);
  app.use(accessLog(logger));
  app.use(healthRoutes(orm));
  app.use(forkEntityManager(orm));

  app.use('/v1', authenticate(keys), lenientBody(config.bodyLimitBytes), callsRoutes(schema, services, logger));
  app.use('/graphql', express.json({ limit: config.bodyLimitBytes }), graphqlMiddleware(apollo, keys, services, logger));

  app.use(notFound);
  app.use(errorHandler(logger, config.bodyLimitBytes));
  return { app, apollo, keys, services };
}
