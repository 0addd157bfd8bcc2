/**
 * Apollo Client as it comes (issue 11): `@apollo/client` 4 with an HttpLink over fetch and an
 * InMemoryCache whose connection fields use `relayStylePagination()`, against a listening server. It
 * pages forward (`first`/`after` with fetchMore) and backward (`last`/`before`) through the root
 * `customers` and a customer's `calls`, and the list the cache merges is the whole list, in order, with
 * the merged pageInfo saying there is nothing more either way. Both engines.
 */
import { ApolloClient, gql, HttpLink, InMemoryCache, type TypedDocumentNode } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';

import { ManualClock } from '../../src/shared/clock';
import { startCall } from '../support/call-operations';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { listeningApp, type ListeningApp } from '../support/listening-app';
import { ENGINES } from '../support/scratch-database';

interface Page<T> {
  totalCount: number;
  pageInfo: { hasPreviousPage: boolean; hasNextPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { cursor: string; node: T }[];
}
type PageVariables = { first?: number; last?: number; after?: string | null; before?: string | null };

const PAGE_INFO = 'totalCount pageInfo { hasPreviousPage hasNextPage startCursor endCursor }';

const CUSTOMERS: TypedDocumentNode<{ customers: Page<{ id: string; ref: string }> }, PageVariables> = gql`
  query Customers($first: Int, $last: Int, $after: String, $before: String) {
    customers(first: $first, last: $last, after: $after, before: $before) {
      ${PAGE_INFO}
      edges { cursor node { id ref } }
    }
  }
`;

const CALLS: TypedDocumentNode<{ customer: { id: string; calls: Page<{ id: string; callId: string }> } }, PageVariables & { ref: string }> = gql`
  query CustomerCalls($ref: ID!, $first: Int, $last: Int, $after: String, $before: String) {
    customer(ref: $ref) {
      id
      calls(first: $first, last: $last, after: $after, before: $before) {
        ${PAGE_INFO}
        edges { cursor node { id callId } }
      }
    }
  }
`;

describe.each(ENGINES)('Apollo Client paging both ways against a listening server on %s', (engine) => {
  let s: ListeningApp;
  let url: string;
  let seed: GraphQLClient;
  let busy: string;
  const clock = new ManualClock(new Date('2026-03-09T08:00:00.000Z'));

  /** A client with a cache of its own, as an app would make it. */
  function apollo(): ApolloClient {
    return new ApolloClient({
      link: new HttpLink({ uri: url, fetch, headers: { Authorization: `Bearer ${seed.key}` } }),
      cache: new InMemoryCache({
        typePolicies: {
          Query: { fields: { customers: relayStylePagination(), calls: relayStylePagination(['filter']) } },
          Customer: { fields: { calls: relayStylePagination() } },
        },
      }),
    });
  }

  beforeAll(async () => {
    s = await listeningApp(engine, { clock });
    seed = await graphqlClient(s.t);
    for (let n = 0; n < 7; n += 1) {
      // Two customers start in the same millisecond each time: the cursors must keep their order.
      if (n % 2 === 0) clock.set(new Date(clock.now().getTime() + 60_000));
      await startCall(seed, `apollo-${n}`, { ani: `41555540${n}0` });
    }
    busy = await startCall(seed, 'busy-0', { ani: '4155549999' });
    for (let n = 1; n < 6; n += 1) await startCall(seed, `busy-${n}`, { ani: '4155549999' });
    url = `${s.origin}/graphql`;
  });
  afterAll(() => s?.close());

  /** The whole list as one page, read by the test's own client. */
  async function wholeCustomers(): Promise<string[]> {
    return (await seed.data('{ customers(first: 100) { edges { node { ref } } } }')).customers.edges.map((e: { node: { ref: string } }) => e.node.ref);
  }

  async function wholeCalls(): Promise<string[]> {
    const data = await seed.data('query($ref: ID!) { customer(ref: $ref) { calls(first: 100) { edges { node { callId } } } } }', { ref: busy });
    return data.customer.calls.edges.map((e: { node: { callId: string } }) => e.node.callId);
  }

  it('pages customers forward with fetchMore(after) into one merged list', async () => {
    const client = apollo();
    const query = client.watchQuery({ query: CUSTOMERS, variables: { first: 2 } });
    let { data } = await client.query({ query: CUSTOMERS, variables: { first: 2 } });
    let pages = 1;
    while (data?.customers.pageInfo.hasNextPage) {
      const after = data.customers.pageInfo.endCursor;
      await query.fetchMore({ variables: { after } });
      data = client.readQuery({ query: CUSTOMERS, variables: { first: 2 } }) ?? undefined;
      pages += 1;
    }
    const expected = await wholeCustomers();
    expect(pages).toBe(Math.ceil(expected.length / 2));
    expect(data?.customers.edges.map((e) => e.node.ref)).toEqual(expected);
    expect(data?.customers.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: false });
    expect(data?.customers.pageInfo.startCursor).toBe(data?.customers.edges[0].cursor);
    expect(data?.customers.pageInfo.endCursor).toBe(data?.customers.edges.at(-1)?.cursor);
    expect(data?.customers.totalCount).toBe(expected.length);
  });

  it('pages customers backward with fetchMore(before) into one merged list', async () => {
    const client = apollo();
    const query = client.watchQuery({ query: CUSTOMERS, variables: { last: 3 } });
    let { data } = await client.query({ query: CUSTOMERS, variables: { last: 3 } });
    const firstPage = data?.customers.edges.map((e) => e.node.ref);
    while (data?.customers.pageInfo.hasPreviousPage) {
      const before = data.customers.pageInfo.startCursor;
      await query.fetchMore({ variables: { before } });
      data = client.readQuery({ query: CUSTOMERS, variables: { last: 3 } }) ?? undefined;
    }
    const expected = await wholeCustomers();
    expect(firstPage).toEqual(expected.slice(-3));
    expect(data?.customers.edges.map((e) => e.node.ref)).toEqual(expected);
    expect(data?.customers.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: false });
    expect(data?.customers.pageInfo.startCursor).toBe(data?.customers.edges[0].cursor);
  });

  it('pages a customer’s calls forward and backward, each merged in the normalised Customer', async () => {
    const expected = await wholeCalls();
    expect(expected).toHaveLength(6);
    for (const direction of ['forward', 'backward'] as const) {
      const client = apollo();
      const variables = direction === 'forward' ? { ref: busy, first: 2 } : { ref: busy, last: 2 };
      const query = client.watchQuery({ query: CALLS, variables });
      let { data } = await client.query({ query: CALLS, variables });
      for (;;) {
        const info = data?.customer.calls.pageInfo;
        if (direction === 'forward' ? !info?.hasNextPage : !info?.hasPreviousPage) break;
        await query.fetchMore({ variables: direction === 'forward' ? { after: info?.endCursor } : { before: info?.startCursor } });
        data = client.readQuery({ query: CALLS, variables }) ?? undefined;
      }
      expect(data?.customer.calls.edges.map((e) => e.node.callId)).toEqual(expected);
      expect(data?.customer.calls.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: false });
      expect(data?.customer.calls.totalCount).toBe(6);
    }
  });
});
