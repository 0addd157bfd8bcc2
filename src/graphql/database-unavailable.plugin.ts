/**
 * An unavailable database on /graphql (db/database-unavailable.ts), once Apollo runs: formatError codes the
 * fields it failed as SERVICE_UNAVAILABLE; this plugin logs it once per request as a warning with the request
 * id, and when every error of the answer is SERVICE_UNAVAILABLE (nothing else went wrong, so the whole
 * answer is the outage's) sets HTTP 503 and `Retry-After`, as the REST routes and the errors raised before
 * Apollo (authentication reads the database first) answer. An answer mixing it with other errors stays 200.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';

import { isDatabaseUnavailable, logDatabaseUnavailable, serviceUnavailable } from '../db/database-unavailable';
import { ErrorCode, HTTP_STATUS } from '../errors/error-code';
import type { GraphQLContext } from './context';

export const databaseUnavailablePlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors, contextValue }) {
        const unavailable = errors.map((e) => unwrapResolverError(e)).find((e) => isDatabaseUnavailable(e));
        // No context when the request failed before it was built (it then reads no database).
        if (unavailable && contextValue?.logger) logDatabaseUnavailable(unavailable, contextValue.logger, contextValue.requestId);
      },
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const { errors } = response.body.singleResult;
        if (!errors?.length || !errors.every((e) => e.extensions?.code === ErrorCode.ServiceUnavailable)) return;
        const answer = serviceUnavailable();
        response.http.status = HTTP_STATUS[answer.code];
        for (const [name, value] of Object.entries(answer.headers)) response.http.headers.set(name.toLowerCase(), value);
      },
    };
  },
};
