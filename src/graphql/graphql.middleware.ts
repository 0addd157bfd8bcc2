/**
 * Mounts Apollo on Express. Requests are authenticated before their body is read (http/authenticate.ts);
 * the context takes the principal found there. Only a browser's GET or HEAD for the Sandbox page arrives
 * without one. Apollo sees the request through `apolloView` (http-view.ts): a HEAD as a GET.
 */
import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import type { RequestHandler } from 'express';
import { GraphQLError } from 'graphql';

import type { Logger } from '../logging/logger';
import type { ScreenPopLinks } from '../screen-pop/screen-pop-links';
import type { Services } from '../services';
import { MISSING_API_KEY } from '../tenancy/api-key.service';
import { noteError } from '../http/request-log';
import { createContext, type GraphQLContext } from './context';
import { logTo } from './log-fields.plugin';
import { apolloView } from './http-view';
import { OperationBudget, withBudget } from './operation-budget';

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** Express handler for /graphql; a query operation may use the database for `timeoutMs` (operation-budget.ts). */
export function graphqlMiddleware(
  apollo: ApolloServer<GraphQLContext>,
  services: Services,
  logger: Logger,
  timeoutMs: number,
  links: ScreenPopLinks,
): RequestHandler {
  const apolloHandler = expressMiddleware(apollo, {
    context: async ({ req, res }) => {
      const principal = res.locals.principal;
      if (!principal) {
        noteError(res.locals, 'UNAUTHENTICATED');
        throw unauthenticated(MISSING_API_KEY);
      }
      const budget = new OperationBudget(services.clock, timeoutMs);
      const context = createContext(withBudget(res.locals.em, budget), principal, res.locals.requestId, logger, services, links.forRequest(req), budget);
      return logTo(context, res.locals);
    },
  });
  return (req, res, next) => apolloHandler(apolloView(req), res, next);
}
