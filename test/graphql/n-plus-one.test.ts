/**
 * Nested fields of a customer list are batched: the SQL statements one request sends do not grow with the
 * number of customers listed (DataLoaders, and one window-function query for every customer's calls).
 */
import { ManualClock } from '../../src/shared/clock';
import { recordCall } from '../support/call-operations';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { statementsOf } from '../support/query-counter';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const DASHBOARD = `{ customers(first: 50) { edges { node {
  ref
  identities { value }
  variables { name }
  openIntents { name }
  intents { name }
  calls(first: 3) { totalCount edges { node { callId customer { ref } } } }
} } } }`;

/** Customers that each have 1 to 4 calls, an open and a resolved intent, variables and two identities. */
async function seed(gql: GraphQLClient, clock: ManualClock, prefix: string, count: number): Promise<string[]> {
  const refs: string[] = [];
  for (let i = 0; i < count; i++) {
    const hints = { ani: `415555${1000 + i}`, externalIds: [{ key: 'crm_id', value: `${prefix}-${i}` }] };
    const ref = await recordCall(gql, `${prefix}-${i}-0`, hints, {
      intent: 'Billing',
      intentStatus: 'RESOLVED',
      variables: [{ name: 'name', value: `Customer ${i}` }, { name: 'tier', value: 'gold' }],
    });
    for (let call = 1; call <= i % 4; call++) {
      clock.advance(1000);
      await recordCall(gql, `${prefix}-${i}-${call}`, { customerRef: ref }, { intent: 'Refund request' });
    }
    clock.advance(1000);
    refs.push(ref);
  }
  return refs;
}

describe.each(ENGINES)('statements per GraphQL request on %s', (engine) => {
  let t: TestApp;
  const clock = new ManualClock(new Date('2026-02-07T10:00:00.000Z'));
  let few: GraphQLClient;
  let many: GraphQLClient;
  let fewRefs: string[];
  let manyRefs: string[];

  beforeAll(async () => {
    t = await createTestApp(engine, {}, clock);
    // One organisation per list size, so each list holds exactly its own customers.
    few = await graphqlClient(t);
    many = await graphqlClient(t);
    fewRefs = await seed(few, clock, 'few', 3);
    manyRefs = await seed(many, clock, 'many', 12);
  });
  afterAll(() => t.close());

  it('answers the nested list correctly for every customer', async () => {
    const { customers } = await many.data(DASHBOARD);
    const nodes = customers.edges.map((e: { node: unknown }) => e.node);
    expect(nodes.map((n: { ref: string }) => n.ref)).toEqual([...manyRefs].reverse());
    nodes.forEach((node: unknown, position: number) => {
      const i = 11 - position;
      const callIds = [...Array(1 + (i % 4)).keys()].map((call) => `many-${i}-${call}`).reverse().slice(0, 3);
      expect(node).toEqual({
        ref: manyRefs[i],
        identities: [{ value: `+1415555${1000 + i}` }, { value: `many-${i}` }],
        variables: [{ name: 'name' }, { name: 'tier' }],
        openIntents: i % 4 === 0 ? [] : [{ name: 'refund_request' }],
        intents: i % 4 === 0 ? [{ name: 'billing' }] : [{ name: 'refund_request' }, { name: 'billing' }],
        calls: { totalCount: 1 + (i % 4), edges: callIds.map((callId) => ({ node: { callId, customer: { ref: manyRefs[i] } } })) },
      });
    });
  });

  it('sends the same number of statements for 12 customers as for 3', async () => {
    // The rate limit reads each organisation's limits once per 5 s (limits/organisation-limits.ts), and the
    // seeding moved the clock past that: read them before counting.
    await few.data('{ viewer { environment } }');
    await many.data('{ viewer { environment } }');
    const forFew = await statementsOf(t.orm, () => few.data(DASHBOARD));
    const forMany = await statementsOf(t.orm, () => many.data(DASHBOARD));
    expect((await few.data(DASHBOARD)).customers.edges).toHaveLength(fewRefs.length);
    expect(forMany).toHaveLength(forFew.length);
    // The API-key lookup, the count and the page of customers, then one statement per nested field:
    // identities (numbers, external ids), variables, open intents, intents, calls, and the calls' customers.
    expect(forFew.filter((sql) => /\bapi_keys\b/.test(sql))).toHaveLength(1);
    expect(forFew).toHaveLength(10);
  });

  it('sends no more statements when a later page of nested calls is asked for', async () => {
    const query = (after: string) => `{ customers(first: 50) { edges { node { calls(first: 1, after: "${after}") { totalCount } } } } }`;
    const { customers } = await many.data('{ customers(first: 1) { edges { node { calls(first: 1) { pageInfo { endCursor } } } } } }');
    const cursor = customers.edges[0].node.calls.pageInfo.endCursor;
    const forMany = await statementsOf(t.orm, () => many.data(query(cursor)));
    const forFew = await statementsOf(t.orm, () => few.data(query(cursor)));
    expect(forMany).toHaveLength(forFew.length);
  });

  it('counts every statement of a request, the API-key lookup first', async () => {
    const statements = await statementsOf(t.orm, () => few.data('{ viewer { environment } }'));
    expect(statements).toEqual([expect.stringMatching(/^select .* from [`"]?api_keys[`"]? /), expect.stringMatching(/^select .* from [`"]organisations[`"] /)]);
  });
});
