/** The read side of the GraphQL API over HTTP: lookups, nested fields, filters and cursor pagination. */
import { encodeCursor } from '../../src/graphql/cursor';
import { ManualClock } from '../../src/shared/clock';
import { recordCall, startCall } from '../support/call-operations';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const T0 = Date.parse('2026-02-07T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const CUSTOMER = `query Customer($ref: ID!, $after: String) {
  customer(ref: $ref) {
    ref callCount lastCallAt provisional
    identities { kind key value lineType lastSeenAt }
    variables { name value source }
    openIntents { name status attemptCount }
    resolved: intents(status: RESOLVED) { name status attemptCount }
    intents { name }
    calls(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { callId } } }
  }
}`;
const REFS = `query Refs($filter: CustomerFilterInput, $first: Int!, $after: String) {
  customers(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { ref } } }
}`;

const refsOf = (connection: { edges: { node: { ref: string } }[] }) => connection.edges.map((e) => e.node.ref);
const callIdsOf = (connection: { edges: { node: { callId: string } }[] }) => connection.edges.map((e) => e.node.callId);

describe.each(ENGINES)('GraphQL queries on %s', (engine) => {
  let t: TestApp;
  let gql: GraphQLClient;
  const clock = new ManualClock(new Date(T0));
  let alice: string;
  let bob: string;
  let carol: string;

  beforeAll(async () => {
    t = await createTestApp(engine, {}, clock);
    gql = await graphqlClient(t);
    alice = await recordCall(
      gql,
      'a1',
      { ani: '4155551234', lineType: 'MOBILE', externalIds: [{ key: 'CRM_ID', value: 'ALICE' }] },
      { intent: 'Refund Request', variables: [{ name: 'name', value: 'Alice' }, { name: 'tier', value: 'gold' }] },
    );
    clock.set(new Date(T0 + MINUTE));
    await recordCall(gql, 'a2', { ani: '(415) 555-1234' }, { intent: 'Billing', intentStatus: 'RESOLVED' });
    clock.set(new Date(T0 + 2 * MINUTE));
    await recordCall(gql, 'a3', { ani: '+14155551234' }, { intent: 'refund request' });
    clock.set(new Date(T0 + HOUR));
    bob = await recordCall(gql, 'b1', { ani: '6175551212' }, { intent: 'Refund Request', intentStatus: 'RESOLVED', variables: [{ name: 'tier', value: 'silver' }] });
    clock.set(new Date(T0 + DAY));
    carol = await recordCall(
      gql,
      'c1',
      { externalIds: [{ key: 'crm_id', value: 'CAROL' }] },
      { intent: 'Cancel', intentStatus: 'ABANDONED', variables: [{ name: 'tier', value: 'gold' }] },
    );
  });
  afterAll(() => t.close());

  it('answers customer(ref) with identities, variables, open and resolved intents and a page of calls', async () => {
    const { customer } = await gql.data(CUSTOMER, { ref: alice });
    expect(customer).toEqual({
      ref: alice,
      callCount: 3,
      lastCallAt: at(2 * MINUTE),
      provisional: false,
      identities: [
        { kind: 'ANI', key: 'ani', value: '+14155551234', lineType: 'MOBILE', lastSeenAt: at(2 * MINUTE) },
        { kind: 'EXTERNAL_ID', key: 'crm_id', value: 'ALICE', lineType: null, lastSeenAt: at(0) },
      ],
      variables: [
        { name: 'name', value: 'Alice', source: null },
        { name: 'tier', value: 'gold', source: null },
      ],
      openIntents: [{ name: 'refund_request', status: 'OPEN', attemptCount: 2 }],
      resolved: [{ name: 'billing', status: 'RESOLVED', attemptCount: 1 }],
      intents: [{ name: 'refund_request' }, { name: 'billing' }],
      calls: {
        totalCount: 3,
        pageInfo: { hasNextPage: true, endCursor: customer.calls.edges[1].cursor },
        edges: [expect.objectContaining({ node: { callId: 'a3' } }), expect.objectContaining({ node: { callId: 'a2' } })],
      },
    });

    const next = await gql.data(CUSTOMER, { ref: alice, after: customer.calls.pageInfo.endCursor });
    expect(next.customer.calls).toEqual({
      totalCount: 3,
      pageInfo: { hasNextPage: false, endCursor: next.customer.calls.edges[0].cursor },
      edges: [expect.objectContaining({ node: { callId: 'a1' } })],
    });
    const past = await gql.data(CUSTOMER, { ref: alice, after: next.customer.calls.pageInfo.endCursor });
    expect(past.customer.calls).toEqual({ totalCount: 3, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] });
  });

  it('answers null for a ref that names no customer, well-formed or not', async () => {
    const unknown = await gql.data('query($ref: ID!) { customer(ref: $ref) { ref } }', { ref: '00000000-0000-4000-8000-000000000000' });
    const garbage = await gql.data('query($ref: ID!) { customer(ref: $ref) { ref } }', { ref: 'not-a-ref' });
    expect([unknown, garbage]).toEqual([{ customer: null }, { customer: null }]);
  });

  it('finds a customer by identity: a number in any format, or an external id with any key case', async () => {
    const query = 'query($identity: IdentityInput!) { customerByIdentity(identity: $identity) { ref } }';
    for (const ani of ['4155551234', '(415) 555-1234', '1-415-555-1234', '+14155551234']) {
      expect(await gql.data(query, { identity: { ani } })).toEqual({ customerByIdentity: { ref: alice } });
    }
    expect(await gql.data(query, { identity: { externalId: { key: 'CRM_ID', value: 'CAROL' } } })).toEqual({ customerByIdentity: { ref: carol } });
    expect(await gql.data(query, { identity: { ani: '2125550000' } })).toEqual({ customerByIdentity: null });
    expect(await gql.data(query, { identity: { externalId: { key: 'crm_id', value: 'NOBODY' } } })).toEqual({ customerByIdentity: null });
  });

  it.each([
    ['no filter', {}, ['carol', 'bob', 'alice']],
    ['ani in another format', { ani: '+1 415-555-1234' }, ['alice']],
    ['externalId', { externalId: { key: 'Crm_Id', value: 'CAROL' } }, ['carol']],
    ['variable name', { variable: { name: 'tier' } }, ['carol', 'bob', 'alice']],
    ['variable name and value', { variable: { name: 'tier', value: 'gold' } }, ['carol', 'alice']],
    ['open intent in any label form', { openIntent: 'REFUND request' }, ['alice']],
    ['abandoned intent as open', { openIntent: 'cancel' }, ['carol']],
    ['lastCallAfter (inclusive)', { lastCallAfter: at(HOUR) }, ['carol', 'bob']],
    ['lastCallBefore (exclusive)', { lastCallBefore: at(HOUR) }, ['alice']],
    ['several conditions at once', { variable: { name: 'tier', value: 'gold' }, lastCallBefore: at(HOUR) }, ['alice']],
    ['an unknown number', { ani: '2125550000' }, []],
  ])('lists customers filtered by %s, newest first', async (_name, filter, expected) => {
    const refs: Record<string, string> = { alice, bob, carol };
    const { customers } = await gql.data(REFS, { filter, first: 10 });
    expect(refsOf(customers)).toEqual(expected.map((name) => refs[name]));
    expect(customers.totalCount).toBe(expected.length);
  });

  it('answers call(callId) with its customer and identification, and null for an unknown call', async () => {
    const query = `query($callId: ID!) { call(callId: $callId) {
      callId ani lineType startedAt intent intentStatus variablesWritten customer { ref }
      identification { confidence level sources recommendation } } }`;
    expect(await gql.data(query, { callId: 'a2' })).toEqual({
      call: {
        callId: 'a2',
        ani: '+14155551234',
        lineType: 'MOBILE',
        startedAt: at(MINUTE),
        intent: 'billing',
        intentStatus: 'RESOLVED',
        variablesWritten: [],
        customer: { ref: alice },
        identification: { confidence: 0.55, level: 'medium', sources: ['ani:mobile', 'recency:1day'], recommendation: 'reuse' },
      },
    });
    expect(await gql.data(query, { callId: 'nope' })).toEqual({ call: null });
  });

  it('lists calls newest first, by customer and by intent in any label form', async () => {
    const query = 'query($filter: CallFilterInput) { calls(filter: $filter) { totalCount edges { node { callId } } } }';
    const all = await gql.data(query, {});
    expect(callIdsOf(all.calls)).toEqual(['c1', 'b1', 'a3', 'a2', 'a1']);
    const mine = await gql.data(query, { filter: { customerRef: alice } });
    expect(mine.calls).toMatchObject({ totalCount: 3 });
    expect(callIdsOf(mine.calls)).toEqual(['a3', 'a2', 'a1']);
    const refunds = await gql.data(query, { filter: { intent: 'Refund-Request' } });
    expect(callIdsOf(refunds.calls)).toEqual(['b1', 'a3', 'a1']);
    const both = await gql.data(query, { filter: { customerRef: bob, intent: 'refund_request' } });
    expect(both.calls).toEqual({ totalCount: 1, edges: [{ node: { callId: 'b1' } }] });
  });

  it('lists intents by status and by name, most recently updated first', async () => {
    const query = 'query($filter: IntentFilterInput) { intents(filter: $filter) { totalCount edges { node { name status customer { ref } } } } }';
    const open = await gql.data(query, { filter: { status: 'OPEN' } });
    expect(open.intents).toEqual({ totalCount: 1, edges: [{ node: { name: 'refund_request', status: 'OPEN', customer: { ref: alice } } }] });
    const refunds = await gql.data(query, { filter: { name: 'Refund Request' } });
    expect(refunds.intents).toEqual({
      totalCount: 2,
      edges: [
        { node: { name: 'refund_request', status: 'RESOLVED', customer: { ref: bob } } },
        { node: { name: 'refund_request', status: 'OPEN', customer: { ref: alice } } },
      ],
    });
    const resolvedRefunds = await gql.data(query, { filter: { name: 'refund_request', status: 'RESOLVED' } });
    expect(resolvedRefunds.intents.edges).toEqual([{ node: { name: 'refund_request', status: 'RESOLVED', customer: { ref: bob } } }]);
  });

  it('gives each listed customer its own page of calls with pageInfo and totalCount', async () => {
    const { customers } = await gql.data(`{ customers(first: 10) { edges { node { ref
      calls(first: 2) { totalCount pageInfo { hasNextPage } edges { node { callId customer { ref } } } } } } } }`);
    expect(customers.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { ref: carol, calls: { totalCount: 1, pageInfo: { hasNextPage: false }, edges: [{ node: { callId: 'c1', customer: { ref: carol } } }] } },
      { ref: bob, calls: { totalCount: 1, pageInfo: { hasNextPage: false }, edges: [{ node: { callId: 'b1', customer: { ref: bob } } }] } },
      {
        ref: alice,
        calls: {
          totalCount: 3,
          pageInfo: { hasNextPage: true },
          edges: [{ node: { callId: 'a3', customer: { ref: alice } } }, { node: { callId: 'a2', customer: { ref: alice } } }],
        },
      },
    ]);
  });

  describe('pagination over five customers', () => {
    let pages: GraphQLClient;
    let newestFirst: string[];

    beforeAll(async () => {
      // Its own organisation, so only these five customers exist; three share one creation instant.
      pages = await graphqlClient(t);
      clock.set(new Date(T0 + 2 * DAY));
      for (const n of [1, 2, 3]) await startCall(pages, `p${n}`, { externalIds: [{ key: 'crm_id', value: `P${n}` }] });
      for (const n of [4, 5]) {
        clock.advance(MINUTE);
        await startCall(pages, `p${n}`, { externalIds: [{ key: 'crm_id', value: `P${n}` }] });
      }
      newestFirst = refsOf((await pages.data(REFS, { first: 100 })).customers);
    });

    it('walks three pages of two via endCursor, with no duplicates or omissions', async () => {
      expect(new Set(newestFirst).size).toBe(5);
      const seen: string[] = [];
      const hasNext: boolean[] = [];
      let after: string | null = null;
      for (let page = 0; page < 3; page++) {
        const { customers } = await pages.data(REFS, { first: 2, after });
        expect(customers.totalCount).toBe(5);
        seen.push(...refsOf(customers));
        hasNext.push(customers.pageInfo.hasNextPage);
        after = customers.pageInfo.endCursor;
      }
      expect(seen).toEqual(newestFirst);
      expect(hasNext).toEqual([true, true, false]);
      const more = await pages.data(REFS, { first: 2, after });
      expect(more.customers).toEqual({ totalCount: 5, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] });
    });

    it('orders the newest first, ties of creation time included', async () => {
      const { customers } = await pages.data('{ customers(first: 5) { edges { node { ref createdAt } } } }');
      expect(customers.edges.map((e: { node: { createdAt: string } }) => e.node.createdAt)).toEqual([at(2 * DAY + 2 * MINUTE), at(2 * DAY + MINUTE), at(2 * DAY), at(2 * DAY), at(2 * DAY)]);
      const [p5, p4] = await Promise.all(['P5', 'P4'].map((value) => pages.data(REFS, { filter: { externalId: { key: 'crm_id', value } }, first: 1 })));
      expect(newestFirst.slice(0, 2)).toEqual([...refsOf(p5.customers), ...refsOf(p4.customers)]);
    });
  });

  it.each([
    ['not base64url', 'not a cursor!'],
    ['not JSON', Buffer.from('{{', 'utf8').toString('base64url')],
    ['too few values', encodeCursor([1])],
    ['a time that is not a number', encodeCursor(['yesterday', 'id'])],
    ['an id that is not a string', encodeCursor([T0, 7])],
    ['a time out of range', encodeCursor([1e20, 'id'])],
  ])('refuses a cursor with %s as BAD_USER_INPUT on after, in lists and nested calls', async (_name, cursor) => {
    const bad = { code: 'BAD_USER_INPUT', issues: [{ path: ['after'], message: 'Invalid cursor' }] };
    for (const query of [
      'query($after: String) { customers(after: $after) { totalCount } }',
      'query($after: String) { calls(after: $after) { totalCount } }',
      'query($after: String) { intents(after: $after) { totalCount } }',
    ]) {
      const answer = await gql.request(query, { after: cursor });
      expect(answer.status).toBe(200);
      expect(answer.body.errors?.map((e) => e.extensions)).toEqual([bad]);
    }
    const nested = await gql.request(CUSTOMER, { ref: alice, after: cursor });
    expect(nested.body.errors?.map((e) => ({ path: e.path, extensions: e.extensions }))).toEqual([{ path: ['customer', 'calls'], extensions: bad }]);
  });
});
