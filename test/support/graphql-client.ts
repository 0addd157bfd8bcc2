/** A GraphQL client over real HTTP (supertest) with an organisation and key of its own. */
import request from 'supertest';

import type { ApiKeyRole } from '../../src/tenancy/api-key-role';
import { Environment } from '../../src/tenancy/environment';
import { makeKey, makeOrganisation } from './factories';
import type { TestApp } from './test-app';

/** What a GraphQL request answered. */
export interface GraphQLAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON whose shape each test's own query decides
  body: { data?: any; errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[] };
}

/** Posts operations with one API key. */
export interface GraphQLClient {
  key: string;
  request(query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer>;
  /** Like request, but fails the test on any error and returns `data`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as `body.data` above
  data(query: string, variables?: Record<string, unknown>): Promise<any>;
}

/** A client for a new organisation (or the given one) in an environment, with an ordinary key unless a role is given. */
export async function graphqlClient(
  t: TestApp,
  options: { environment?: Environment; organisationSlug?: string; role?: ApiKeyRole } = {},
): Promise<GraphQLClient> {
  const em = t.orm.em.fork();
  const organisation = options.organisationSlug
    ? await t.keys.organisation(em, options.organisationSlug)
    : await makeOrganisation(t.keys, em);
  const { secret } = await makeKey(t.keys, em, organisation, { environment: options.environment ?? Environment.TEST, role: options.role });
  const client: GraphQLClient = {
    key: secret,
    async request(query, variables) {
      const res = await request(t.app).post('/graphql').set('Authorization', `Bearer ${secret}`).send({ query, variables });
      return { status: res.status, body: res.body };
    },
    async data(query, variables) {
      const answer = await client.request(query, variables);
      if (answer.body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(answer.body.errors)}`);
      return answer.body.data;
    },
  };
  return client;
}
