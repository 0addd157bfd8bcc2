/**
 * The app factory: builds Express 5 + Apollo Server 5 over an initialised ORM, without listening.
 * Tests use exactly this wiring; only src/main.ts listens.
 */
import type { ApolloServer } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/core';
import express, { type Express, type RequestHandler } from 'express';

import { apiDocsRoutes } from './api-docs/api-docs.routes';
import { callsRoutes } from './calls/calls.routes';
import type { Config } from './config';
import { dashboardRoutes } from './dashboard/dashboard.routes';
import { explorerRoutes } from './explorer/explorer.routes';
import { createApolloServer } from './graphql/apollo';
import type { GraphQLContext } from './graphql/context';
import { graphqlMiddleware } from './graphql/graphql.middleware';
import { prefersPage } from './graphql/http-view';
import { buildGraphQLSchema } from './graphql/schema';
import { accessLog } from './http/access-log';
import { AuthThrottle } from './http/auth-throttle';
import { authenticate, authenticateGraphQL, forkEntityManager, RequestAuthenticator } from './http/authenticate';
import { apiCors } from './http/cors';
import { notDraining, type DrainState } from './http/drain-state';
import { graphqlErrors } from './http/graphql-errors';
import { healthRoutes } from './http/health.routes';
import { jsonBody } from './http/json-body';
import { lenientBody } from './http/lenient-body';
import { inOrder } from './http/in-order';
import { pagesOnly } from './http/pages-only';
import { requestId } from './http/request-id';
import { errorHandler, notFound } from './http/rest-errors';
import { securityHeaders } from './http/security-headers';
import { captureRequests } from './request-log/capture';
import { RequestLog } from './request-log/request-log';
import { requestLogWriterFor } from './request-log/log-writers';
import type { Logger } from './logging/logger';
import { createRateLimiting } from './limits/rate-limiting';
import { assetRoutes } from './pages/assets.routes';
import { createTemplates } from './pages/templates';
import { privacyRoutes } from './privacy/privacy.routes';
import { ScreenPopLinks } from './screen-pop/screen-pop-links';
import { screenPopRoutes } from './screen-pop/screen-pop.routes';
import { createServices, type Services } from './services';
import { systemClock, type Clock } from './shared/clock';
import { recordDatabaseMetrics } from './telemetry/database-metrics';
import { metricsRoutes } from './telemetry/metrics.routes';
import type { ApiKeyService } from './tenancy/api-key.service';

/** The routes the access log names; any other path is logged as `(unmatched)`, never as itself. */
const LOGGED_ROUTES = [
  '/healthz',
  '/readyz',
  '/v1/calls/start',
  '/v1/calls/end',
  '/v1/customers/:ref',
  '/graphql',
  '/assets/:name',
  '/screen-pop/:token',
  '/explorer',
  '/openapi.json',
  '/docs/api',
  '/dashboard',
  '/dashboard/sign-in',
  '/dashboard/sign-out',
  '/metrics',
];

/** What createApp needs. */
export interface AppDeps {
  config: Config;
  orm: MikroORM;
  logger: Logger;
  /** Time source (tests move it by hand). */
  clock?: Clock;
  /** Shutdown state: `/readyz` answers 503 once it says draining. */
  drain?: DrainState;
  /** When tracing is on (telemetry/tracing.ts): joins each request's id to its trace. */
  traceRequest?: RequestHandler;
}

/** The built application and the parts its owner must stop. */
export interface BuiltApp {
  app: Express;
  apollo: ApolloServer<GraphQLContext>;
  keys: ApiKeyService;
  services: Services;
  /** The request log's writer: `close()` it before the ORM closes (writes what is queued, stops its timer). */
  requestLog: RequestLog;
}

/** Builds the application; call `apollo.stop()` when done with it. */
export async function createApp({ config, orm, logger, clock = systemClock, drain = notDraining(), traceRequest }: AppDeps): Promise<BuiltApp> {
  const services = createServices(config.memory, clock, config.metrics, config.appSecret, config.limits);
  await recordDatabaseMetrics(services.telemetry, orm);
  const keys = services.keys;
  const schema = await buildGraphQLSchema();
  const apollo = createApolloServer(schema, config, logger);
  const rateLimiting = await createRateLimiting({ limits: config.limits, orm, logger, services });
  apollo.addPlugin(rateLimiting.closeOnStop);
  apollo.addPlugin({ serverWillStart: async () => ({ serverWillStop: () => keys.lastUsed.close() }) });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  const requestLog = new RequestLog(orm, services.limits, services.telemetry, logger, config.requestLog, await requestLogWriterFor(orm));
  // An erase deletes its calls' stored entries; this instance drops what it still holds of them.
  services.privacy.onErasedCalls((tenant, callIds) => void requestLog.forgetCalls(tenant, callIds));
  // What every request passes, as one Express layer (http/in-order.ts); capture records authenticated /v1 requests.
  const frontDoor = [requestId, ...(traceRequest ? [traceRequest] : []), securityHeaders, accessLog(logger, LOGGED_ROUTES, services.telemetry.observeRequest)];
  app.use(inOrder(...frontDoor, captureRequests(requestLog, clock)));

  // Pages and probes, one layer that API requests skip with one test of their path (http/pages-only.ts).
  const templates = createTemplates();
  const links = new ScreenPopLinks({ appSecret: config.appSecret, ttlMs: config.pages.screenPopTtlMs, publicUrl: config.pages.publicUrl }, clock);
  const authenticator = new RequestAuthenticator(keys, new AuthThrottle(config.authThrottle, clock), config.pages.publicUrl);
  const pages = express.Router();
  pages.use(healthRoutes(orm, drain), assetRoutes(), explorerRoutes(config, templates), apiDocsRoutes(config, templates));
  pages.use(forkEntityManager(orm));
  // Before any API-key check: the signed link is the screen pop's only credential.
  pages.use(screenPopRoutes(config, services, links, templates));
  // The dashboard signs in with a form and a session cookie, apart from the API's key headers (same throttle).
  pages.use(dashboardRoutes({ config, services, authenticator, templates }));
  // Prometheus: the metrics token or an admin key (telemetry/metrics.routes.ts).
  pages.use(metricsRoutes(services.telemetry, config.telemetry.metricsToken, authenticator));
  app.use(pagesOnly(pages));

  app.use(forkEntityManager(orm));
  // Authenticate from the headers, then read the body: an unauthenticated request is refused unread.
  // CORS first: a preflight carries no key (http/cors.ts).
  // Export and erase on request: GET and DELETE, no body.
  app.use('/v1/customers', inOrder(apiCors(config.corsOrigins, ['GET', 'DELETE']), authenticate(authenticator), rateLimiting.middleware), privacyRoutes(services));
  app.use('/v1', inOrder(apiCors(config.corsOrigins, ['POST']), authenticate(authenticator), rateLimiting.middleware, lenientBody(config.bodyLimitBytes)), callsRoutes(schema, services, logger, links));
  app.use(
    '/graphql',
    apiCors(config.corsOrigins, ['GET', 'HEAD', 'POST']),
    authenticateGraphQL(authenticator, (req) => config.graphqlSandbox && prefersPage(req)),
    rateLimiting.middleware,
    jsonBody(config.bodyLimitBytes),
    graphqlMiddleware(apollo, services, logger, config.queryLimits.timeoutMs, links),
    graphqlErrors(logger),
  );

  app.use(notFound);
  app.use(errorHandler(logger, config.bodyLimitBytes));
  return { app, apollo, keys, services, requestLog };
}
