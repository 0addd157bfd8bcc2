/** Mounts Apollo on Express; the context function authenticates with the same rules as REST. */
import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import type { RequestHandler } from 'express';
import { GraphQLError } from 'graphql';

import { AppError } from '../errors/app-error';
import type { Logger } from '../logging/logger';
import type { ApiKeyService } from '../tenancy/api-key.service';
import type { Services } from '../services';
import { createContext, type GraphQLContext } from './context';

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** Express handler for /graphql. */
export function graphqlMiddleware(apollo: ApolloServer<GraphQLContext>, keys: ApiKeyService, services: Services, logger: Logger): RequestHandler {
  return expressMiddleware(apollo, {
    context: async ({ req, res }) => {
      const em = res.locals.em;
      const principal = await keys.authenticateHeaders(em, req.get('authorization'), req.get('x-api-key')).catch((error: unknown) => {
        throw error instanceof AppError ? unauthenticated(error.message) : error;
      });
      return createContext(em, principal, res.locals.requestId, logger, services);
    },
  });
}
