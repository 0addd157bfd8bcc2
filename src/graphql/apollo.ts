/** Apollo Server over the schema: Sandbox for people in development, errors through one formatError. */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { GraphQLSchema } from 'graphql';

import type { Config } from '../config';
import { explorerHref } from '../explorer/explorer.view-model';
import { withExplorerLink } from '../explorer/sandbox-link.plugin';
import type { Logger } from '../logging/logger';
import type { GraphQLContext } from './context';
import { databaseUnavailablePlugin } from './database-unavailable.plugin';
import { formatError } from './format-error';
import { CSRF_SAFE_HEADERS } from './http-view';
import { knownOperationTypesRule } from './known-operation-types';
import { logFieldsPlugin } from './log-fields.plugin';
import { oneMutationRule } from './one-mutation';
import { budgetPlugin } from './operation-budget';
import { queryLimitsRule } from './query-limits';

/** The operation Sandbox opens with. */
export const SANDBOX_DOCUMENT = `# Every request needs your API key: open "Headers" below and set
#   Authorization: Bearer sk_test_...
# (the key printed when the service first started, or one from \`npm run keys -- create\`).
mutation StartCall {
  startCall(input: { callId: "sandbox-1", hints: { ani: "(415) 555-1234", lineType: MOBILE } }) {
    replayed
    customer { ref callCount }
    identification { confidence level sources recommendation }
    openIntents { name status attemptCount }
    variables { name value }
  }
}

query RecentCustomers {
  customers(first: 5) {
    totalCount
    edges { node { ref lastCallAt openIntents { name } variables { name value } calls(first: 3) { edges { node { callId startedAt intent } } } } }
  }
}
`;

/** Creates (but does not start) the Apollo server. */
export function createApolloServer(schema: GraphQLSchema, config: Config, logger: Logger): ApolloServer<GraphQLContext> {
  return new ApolloServer<GraphQLContext>({
    schema,
    introspection: config.graphqlIntrospection,
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGTERM/SIGINT and stops Apollo as part of its drain. Apollo's own handlers (on outside
    // NODE_ENV=test) start a second stop that left ours pending: the process ran out of work and exited
    // before the database was closed.
    stopOnTerminationSignals: false,
    // Without introspection, "Did you mean …" suggestions would still spell out the schema. Apollo's option
    // covers validation errors; formatError also covers the variable errors it misses.
    hideSchemaDetailsFromClientErrors: !config.graphqlIntrospection,
    formatError: formatError(logger, { hideSuggestions: !config.graphqlIntrospection }),
    // Automatic persisted queries are off: no integration uses them, and their cache is memory any client
    // could fill. A request carrying one gets PERSISTED_QUERY_NOT_SUPPORTED, on which Apollo Client's link
    // falls back to sending the query; a malformed hash no longer reaches Apollo's uncoded errors.
    persistedQueries: false,
    // A GET (or a safelisted content type) runs only with a header a page cannot send unpreflighted: our
    // credential headers count, so urql's and graphql-request's GETs work (http-view.ts).
    csrfPrevention: { requestHeaders: CSRF_SAFE_HEADERS },
    validationRules: [knownOperationTypesRule, oneMutationRule, queryLimitsRule(config.queryLimits)],
    plugins: [
      budgetPlugin,
      databaseUnavailablePlugin,
      logFieldsPlugin,
      config.graphqlSandbox
        ? withExplorerLink(
            ApolloServerPluginLandingPageLocalDefault({
              embed: true,
              document: SANDBOX_DOCUMENT,
              headers: { Authorization: 'Bearer <paste your sk_test_ key here>' },
            }),
            explorerHref(config.pages.publicUrl),
          )
        : ApolloServerPluginLandingPageDisabled(),
    ],
  });
}
