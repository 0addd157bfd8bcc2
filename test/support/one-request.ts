/**
 * Several GraphQL operations on ONE request's context, in-process: the production schema (resolvers and
 * guards), the request's EntityManager, loaders and principal, as /graphql and the REST shim build them.
 * It shows what a request sees of its own writes, however many operations or mutations it runs.
 */
import { execute, parse, type GraphQLSchema } from 'graphql';

import { createContext, type GraphQLContext } from '../../src/graphql/context';
import { buildGraphQLSchema } from '../../src/graphql/schema';
import { ScreenPopLinks } from '../../src/screen-pop/screen-pop-links';
import { systemClock } from '../../src/shared/clock';
import type { TestApp } from './test-app';

let schema: Promise<GraphQLSchema> | undefined;

/** One request's context and a way to run operations on it. */
export interface OneRequest {
  context: GraphQLContext;
  /** Runs an operation on the request's context; fails the test on any error and returns `data`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON whose shape each test's own query decides
  run(source: string, variables?: Record<string, unknown>): Promise<any>;
}

/** A request of the key's principal. */
export async function oneRequest(t: TestApp, key: string): Promise<OneRequest> {
  schema ??= buildGraphQLSchema();
  const em = t.orm.em.fork();
  const principal = await t.keys.authenticate(em, key);
  const links = new ScreenPopLinks({ appSecret: t.config.appSecret, ttlMs: t.config.pages.screenPopTtlMs }, systemClock);
  const context = createContext(em, principal, 'one-request', t.logger, t.services, links.forRequest({ protocol: 'http', host: 'localhost' }));
  return {
    context,
    async run(source, variables) {
      const result = await execute({ schema: await schema!, document: parse(source), contextValue: context, variableValues: variables });
      if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
      return result.data;
    },
  };
}
