/**
 * Aliased introspection counts against the alias limit. Introspection fields cost nothing in the query
 * limits, and their aliases were not counted either: 2,000 aliased `__schema` lists (or 2,000 aliased
 * `fields` lists inside one `__schema`) under the 64 KB body limit held the event loop for about 2 s and
 * answered 12 MB. Introspection is on outside production, so any test-key holder could send them.
 * Engine-independent (nothing reaches the database), so SQLite only.
 */
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { createTestApp, type TestApp } from '../support/test-app';

function aliased(count: number, field: (i: number) => string): string {
  return Array.from({ length: count }, (_, i) => field(i)).join(' ');
}

describe('aliased introspection', () => {
  let t: TestApp;
  let gql: GraphQLClient;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    gql = await graphqlClient(t);
  });
  afterAll(() => t.close());

  it.each([
    ['aliased __schema at the root', `{ ${aliased(1800, (i) => `s${i}:__schema{types{name}}`)} }`],
    ['aliased __type at the root', `{ ${aliased(1500, (i) => `t${i}: __type(name: "Query") { name }`)} }`],
    ['aliased lists inside one __schema', `{ __schema { types { ${aliased(2000, (i) => `f${i}: fields { name }`)} } } }`],
    ['aliased __typename', `{ ${aliased(3000, (i) => `n${i}: __typename`)} }`],
  ])('refuses %s past the alias limit before running it', async (_name, query) => {
    expect(JSON.stringify({ query }).length).toBeLessThan(t.config.bodyLimitBytes);
    const answer = await gql.request(query);
    expect(answer.status).toBe(400);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^Query has \d+ aliases, more than the limit of 50$/), extensions: { code: 'QUERY_TOO_COMPLEX' } }),
    ]);
  });

  it('still answers introspection within the limit, aliases included', async () => {
    const data = await gql.data(`{ a: __schema { queryType { name } } b: __type(name: "Customer") { name } __typename }`);
    expect(data).toEqual({ a: { queryType: { name: 'Query' } }, b: { name: 'Customer' }, __typename: 'Query' });
  });
});
