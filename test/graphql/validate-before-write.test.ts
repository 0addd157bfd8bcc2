/**
 * A mutation refused for a bad argument anywhere in its operation writes nothing. The arguments of a
 * mutation's selection (`mergeCustomers(…) { calls(first: 101) { … } }`) used to be checked only after the
 * write had committed, and the client was told it had failed (issue 9, item 4).
 */
import type { MikroORM } from '@mikro-orm/core';

import { encodeCursor } from '../../src/graphql/cursor';
import { oneMutationOnly } from '../../src/graphql/one-mutation';
import { FIRST_AND_LAST } from '../../src/graphql/page-args';
import { startCall } from '../support/call-operations';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const TABLES = ['customers', 'calls', 'intents', 'variables', 'phone_identities', 'external_identities'];

/** Every row of every caller-data table: what "the database is unchanged" compares. */
async function databaseState(orm: MikroORM): Promise<Record<string, unknown[]>> {
  const connection = orm.em.getConnection();
  const state: Record<string, unknown[]> = {};
  for (const table of TABLES) state[table] = await connection.execute(`select * from ${table} order by id`);
  return state;
}

/** The bad nested page arguments of each case, written as a literal or sent as a variable (declared by `declared`). */
const BAD_PAGES = [
  { name: 'first: 101', page: 'first: 101', declared: '', variables: {}, issue: { path: ['first'], message: 'first must not be greater than 100' } },
  {
    name: 'first: -1 from a variable',
    page: 'first: $first',
    declared: '$first: Int!,',
    variables: { first: -1 },
    issue: { path: ['first'], message: 'first must not be less than 0' },
  },
  { name: 'first and last together', page: 'first: 1, last: 1', declared: '', variables: {}, issue: { path: ['last'], message: FIRST_AND_LAST } },
  { name: 'a malformed before cursor', page: 'before: "not-a-cursor"', declared: '', variables: {}, issue: { path: ['before'], message: 'Invalid cursor' } },
  { name: 'a malformed after cursor', page: 'after: "not-a-cursor"', declared: '', variables: {}, issue: { path: ['after'], message: 'Invalid cursor' } },
  {
    name: 'a cursor of the wrong shape from a variable',
    page: 'after: $after',
    declared: '$after: String,',
    variables: { after: encodeCursor(['x']) },
    issue: { path: ['after'], message: 'Invalid cursor' },
  },
];

describe.each(ENGINES)('a mutation with a bad argument anywhere in its operation writes nothing, on %s', (engine) => {
  let t: TestApp;
  let gql: GraphQLClient;
  let source: string;
  let target: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    gql = await graphqlClient(t);
    source = await startCall(gql, 'source-call', { ani: '4155550001' });
    target = await startCall(gql, 'target-call', { ani: '4155550002' });
  });
  afterAll(() => t.close());

  /** Sends the operation and expects the single BAD_USER_INPUT error at `path`, with nothing written. */
  async function expectRefusedUnchanged(query: string, variables: Record<string, unknown>, path: string[], issue: object) {
    const before = await databaseState(t.orm);
    const answer = await gql.request(query, variables);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors).toEqual([
      { message: 'Validation failed', locations: expect.any(Array), path, extensions: { code: 'BAD_USER_INPUT', issues: [issue] } },
    ]);
    expect(await databaseState(t.orm)).toEqual(before);
  }

  describe.each(BAD_PAGES)('with $name on the nested calls', ({ page, declared, variables, issue }) => {
    it('mergeCustomers merges nothing', async () => {
      const query = `mutation(${declared} $source: ID!, $target: ID!) {
        mergeCustomers(sourceRef: $source, targetRef: $target) { ref calls(${page}) { totalCount } }
      }`;
      await expectRefusedUnchanged(query, { ...variables, source, target }, ['mergeCustomers', 'calls'], issue);
      const data = await gql.data('query($ref: ID!) { customer(ref: $ref) { ref } }', { ref: source });
      expect(data.customer.ref).toBe(source);
    });

    it('setVariables writes no variable', async () => {
      const query = `mutation(${declared} $ref: ID!) {
        setVariables(customerRef: $ref, variables: [{ name: "tier", value: "gold" }]) {
          variablesUpdated customer { calls(${page}) { totalCount } }
        }
      }`;
      await expectRefusedUnchanged(query, { ...variables, ref: target }, ['setVariables', 'customer', 'calls'], issue);
    });

    it('startCall records no call and no customer', async () => {
      const query = `mutation${declared ? `(${declared})` : ''} {
        startCall(input: { callId: "refused-start", hints: { ani: "4155550003" } }) {
          customer { ref calls(${page}) { totalCount } }
        }
      }`;
      await expectRefusedUnchanged(query, variables, ['startCall', 'customer', 'calls'], issue);
      expect(await gql.data('{ call(callId: "refused-start") { callId } }')).toEqual({ call: null });
    });
  });

  it('refuses an operation of two mutations, the second with a bad argument, before the first one writes', async () => {
    const query = `mutation($ref: ID!) {
      first: setVariables(customerRef: $ref, variables: [{ name: "tier", value: "gold" }]) { variablesUpdated }
      second: setVariables(customerRef: $ref, variables: [{ name: "bad name", value: "x" }]) { variablesUpdated }
    }`;
    const before = await databaseState(t.orm);
    const answer = await gql.request(query, { ref: target });
    expect(answer.status).toBe(400);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors).toEqual([{ message: oneMutationOnly(2), locations: expect.any(Array), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
    expect(await databaseState(t.orm)).toEqual(before);
  });

  it('follows fragments and skips what @skip leaves out', async () => {
    const query = `mutation($ref: ID!, $skip: Boolean!) {
      setVariables(customerRef: $ref, variables: [{ name: "tier", value: "gold" }]) { customer { ...Calls } }
    }
    fragment Calls on Customer { calls(first: 101) @skip(if: $skip) { totalCount } }`;
    await expectRefusedUnchanged(query, { ref: target, skip: false }, ['setVariables', 'customer', 'calls'], BAD_PAGES[0].issue);
    const data = await gql.data(query, { ref: target, skip: true });
    expect(data.setVariables.customer).toEqual({});
    expect((await gql.data('query($ref: ID!) { customer(ref: $ref) { variables { name value } } }', { ref: target })).customer.variables).toEqual([
      { name: 'tier', value: 'gold' },
    ]);
  });

  it('still runs a mutation whose nested arguments are valid', async () => {
    const data = await gql.data(
      `mutation($ref: ID!) { setVariables(customerRef: $ref, variables: [{ name: "plan", value: "pro" }]) {
        variablesUpdated customer { calls(first: 1) { totalCount } }
      } }`,
      { ref: target },
    );
    expect(data.setVariables).toEqual({ variablesUpdated: 1, customer: { calls: { totalCount: 1 } } });
  });
});
