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
import { AuthThrottle } from './http/auth-throttle';
import { authenticate, authenticateGraphQL, forkEntityManager, RequestAuthenticator } from './http/authenticate';
import { notDraining, type DrainState } from './http/drain-state';
import { graphqlErrors } from './http/graphql-errors';
import { healthRoutes } from './http/health.routes';
import { jsonBody } from './http/json-body';
import { lenientBody } from './http/lenient-body';
import { requestId } from './http/request-id';
import { errorHandler, notFound } from './http/rest-errors';
import { securityHeaders } from './http/security-headers';
import type { Logger } from './logging/logger';
import { assetRoutes } from './pages/assets.routes';
import { createServices, type Services } from './services';
import { systemClock, type Clock } from './shared/clock';
import { ApiKeyService } from './tenancy/api-key.service';

/** The routes the access log names; any other path is logged as `(unmatched)`, never as itself. */
const LOGGED_ROUTES = ['/healthz', '/readyz', '/v1/calls/start', '/v1/calls/end', '/graphql', '/assets/:name'];

/** What createApp needs. */
export interface AppDeps {
  config: Config;
  orm: MikroORM;
  logger: Logger;
  /** Time source (tests move it by hand). */
  clock?: Clock;
  /** Shutdown state: `/readyz` answers 503 once it says draining. */
  drain?: DrainState;
}

/** The built application and the parts its owner must stop. */
export interface BuiltApp {
  app: Express;
  apollo: ApolloServer<GraphQLContext>;
  keys: ApiKeyService;
  services: Services;
}

/** Builds the application; call `apollo.stop()` when done with it. */
export async function createApp({ config, orm, logger, clock = systemClock, drain = notDraining() }: AppDeps): Promise<BuiltApp> {
  const keys = new ApiKeyService(config.appSecret);
  const services = createServices(config.memory, clock);
  const schema = await buildGraphQLSchema();
  const apollo = createApolloServer(schema, config, logger);
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  app.use(requestId);
  app.use(securityHeaders);
  app.use(accessLog(logger, LOGGED_ROUTES));
  app.use(healthRoutes(orm, drain));
  app.use(assetRoutes());
  app.use(forkEntityManager(orm));

  const authenticator = new RequestAuthenticator(keys, new AuthThrottle(config.authThrottle, clock));
  // Authenticate from the headers, then read the body: an unauthenticated request is refused unread.
  app.use('/v1', authenticate(authenticator), lenientBody(config.bodyLimitBytes), callsRoutes(schema, services, logger));
  app.use(
    '/graphql',
    authenticateGraphQL(authenticator),
    jsonBody(config.bodyLimitBytes),
    graphqlMiddleware(apollo, services, logger, config.queryLimits.timeoutMs),
    graphqlErrors,
  );

  app.use(notFound);
  app.use(errorHandler(logger, config.bodyLimitBytes));
  return { app, apollo, keys, services };
}
