/**
 * Every connection pages both ways as the Relay Cursor Connections spec says (issue 11): `first`/`after`
 * forward and `last`/`before` backward, `first: 0` and `last: 0`, exact `hasNextPage` forward and
 * `hasPreviousPage` backward, `startCursor`/`endCursor`, on the root `customers`, `calls` and `intents`
 * and the nested `Customer.calls` (one batched query for many customers), over rows that tie on their
 * timestamp, on both engines. Each page is checked against the whole list read in one page.
 */
import { ManualClock } from '../../src/shared/clock';
import { recordCall, startCall } from '../support/call-operations';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const MINUTE = 60_000;

interface PageInfo {
  hasPreviousPage: boolean;
  hasNextPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}
interface Connection {
  totalCount: number;
  pageInfo: PageInfo;
  edges: { cursor: string; node: { key: string } }[];
}
type Args = { first?: number; last?: number; after?: string; before?: string };

const SELECTION = 'totalCount pageInfo { hasPreviousPage hasNextPage startCursor endCursor } edges { cursor node { key: id } }';
const ARGS = 'first: $first, last: $last, after: $after, before: $before';
const VARIABLES = '$first: Int, $last: Int, $after: String, $before: String';

/** The connections under test, each read through one query that takes the four page arguments. */
type Data = { customers: Connection; calls: Connection; intents: Connection; customer: { calls: Connection } };
const LISTS: Record<string, { query: string; pick: (data: Data) => Connection }> = {
  customers: { query: `query(${VARIABLES}) { customers(${ARGS}) { ${SELECTION} } }`, pick: (d) => d.customers },
  calls: { query: `query(${VARIABLES}) { calls(${ARGS}) { ${SELECTION} } }`, pick: (d) => d.calls },
  intents: { query: `query(${VARIABLES}) { intents(${ARGS}) { ${SELECTION} } }`, pick: (d) => d.intents },
  'Customer.calls': {
    query: `query($ref: ID!, ${VARIABLES}) { customer(ref: $ref) { calls(${ARGS}) { ${SELECTION} } } }`,
    pick: (d) => d.customer.calls,
  },
};

const keys = (c: Connection) => c.edges.map((e) => e.node.key);

describe.each(ENGINES)('Relay cursor connections on %s', (engine) => {
  let t: TestApp;
  let gql: GraphQLClient;
  const clock = new ManualClock(new Date(T0));
  let busy: string;

  async function page(list: string, args: Args): Promise<Connection> {
    return LISTS[list].pick(await gql.data(LISTS[list].query, { ref: busy, ...args }));
  }

  /** The whole list in one page, with each item's cursor. */
  async function whole(list: string): Promise<{ keys: string[]; cursors: string[]; total: number }> {
    const all = await page(list, { first: 100 });
    expect(all.pageInfo.hasNextPage).toBe(false);
    return { keys: keys(all), cursors: all.edges.map((e) => e.cursor), total: all.totalCount };
  }

  /** What the page between `from` (included) and `to` (excluded) of the whole list must look like. */
  function expected(list: { keys: string[]; cursors: string[]; total: number }, from: number, to: number) {
    return {
      keys: list.keys.slice(from, to),
      cursors: list.cursors.slice(from, to),
      startCursor: to > from ? list.cursors[from] : null,
      endCursor: to > from ? list.cursors[to - 1] : null,
      totalCount: list.total,
    };
  }

  function shapeOf(c: Connection) {
    return { keys: keys(c), cursors: c.edges.map((e) => e.cursor), startCursor: c.pageInfo.startCursor, endCursor: c.pageInfo.endCursor, totalCount: c.totalCount };
  }

  beforeAll(async () => {
    t = await createTestApp(engine, {}, clock);
    gql = await graphqlClient(t);
    // Four calls of one customer and three new customers at the same instant: ties broken by row id.
    busy = await recordCall(gql, 'busy-1', { ani: '4155550100' }, { intent: 'billing' });
    for (const n of [2, 3, 4]) await recordCall(gql, `busy-${n}`, { ani: '4155550100' }, { intent: `topic ${n}` });
    for (const n of [1, 2, 3]) await recordCall(gql, `tie-${n}`, { ani: `41555502${n}0` }, { intent: 'refund' });
    for (const n of [5, 6, 7]) {
      clock.set(new Date(T0 + n * MINUTE));
      await recordCall(gql, `busy-${n}`, { ani: '4155550100' }, { intent: `topic ${n}` });
      await startCall(gql, `later-${n}`, { ani: `41555503${n}0` });
    }
  });
  afterAll(() => t.close());

  it.each(Object.keys(LISTS))('%s: walking forward with first/after gives the whole list, with exact pageInfo', async (list) => {
    const all = await whole(list);
    expect(all.keys.length).toBeGreaterThanOrEqual(7);
    for (const size of [1, 3]) {
      let after: string | undefined;
      for (let from = 0; ; from += size) {
        const got = await page(list, { first: size, after });
        const to = Math.min(from + size, all.keys.length);
        expect(shapeOf(got)).toEqual(expected(all, from, to));
        expect([got.pageInfo.hasPreviousPage, got.pageInfo.hasNextPage]).toEqual([from > 0, to < all.keys.length]);
        if (!got.pageInfo.hasNextPage) break;
        after = got.pageInfo.endCursor ?? undefined;
      }
    }
  });

  it.each(Object.keys(LISTS))('%s: walking backward with last/before gives the whole list, with exact pageInfo', async (list) => {
    const all = await whole(list);
    for (const size of [1, 3]) {
      let before: string | undefined;
      for (let to = all.keys.length; ; to -= size) {
        const got = await page(list, { last: size, before });
        const from = Math.max(to - size, 0);
        expect(shapeOf(got)).toEqual(expected(all, from, to));
        expect([got.pageInfo.hasPreviousPage, got.pageInfo.hasNextPage]).toEqual([from > 0, to < all.keys.length]);
        if (!got.pageInfo.hasPreviousPage) break;
        before = got.pageInfo.startCursor ?? undefined;
      }
    }
  });

  it.each(Object.keys(LISTS))('%s: a page from every cursor, either way, and between two cursors', async (list) => {
    const all = await whole(list);
    const n = all.keys.length;
    for (let i = 0; i < n; i += 1) {
      const forward = await page(list, { first: 2, after: all.cursors[i] });
      expect(shapeOf(forward)).toEqual(expected(all, i + 1, Math.min(i + 3, n)));
      expect([forward.pageInfo.hasPreviousPage, forward.pageInfo.hasNextPage]).toEqual([true, i + 3 < n]);
      const backward = await page(list, { last: 2, before: all.cursors[i] });
      expect(shapeOf(backward)).toEqual(expected(all, Math.max(i - 2, 0), i));
      expect([backward.pageInfo.hasPreviousPage, backward.pageInfo.hasNextPage]).toEqual([i - 2 > 0, true]);
    }
    const between = await page(list, { after: all.cursors[1], before: all.cursors[5] });
    expect(shapeOf(between)).toEqual(expected(all, 2, 5));
  });

  it.each(Object.keys(LISTS))('%s: first: 0 and last: 0 answer an empty page with its pageInfo and totalCount', async (list) => {
    const all = await whole(list);
    const empty = { keys: [], cursors: [], startCursor: null, endCursor: null, totalCount: all.total };
    const cases: [Args, boolean, boolean][] = [
      [{ first: 0 }, false, true],
      [{ last: 0 }, true, false],
      [{ first: 0, after: all.cursors[2] }, true, true],
      [{ last: 0, before: all.cursors[2] }, true, true],
      [{ first: 0, after: all.cursors.at(-1) }, true, false],
      [{ last: 0, before: all.cursors[0] }, false, true],
    ];
    for (const [args, hasPreviousPage, hasNextPage] of cases) {
      const got = await page(list, args);
      expect(shapeOf(got)).toEqual(empty);
      expect(got.pageInfo).toMatchObject({ hasPreviousPage, hasNextPage });
    }
  });

  it('pages every listed customer’s calls backward in one batch, each with its own pageInfo and totalCount', async () => {
    const query = `{ customers(first: 100) { edges { node { ref calls(last: 2) { ${SELECTION} } } } } }`;
    const listed = (await gql.data(query)).customers.edges.map((e: { node: { ref: string; calls: Connection } }) => e.node);
    expect(listed.length).toBeGreaterThan(2);
    for (const { ref, calls } of listed) {
      busy = ref;
      const all = await whole('Customer.calls');
      const from = Math.max(all.keys.length - 2, 0);
      expect(shapeOf(calls)).toEqual(expected(all, from, all.keys.length));
      expect([calls.pageInfo.hasPreviousPage, calls.pageInfo.hasNextPage]).toEqual([from > 0, false]);
    }
  });

  it('tells whether anything precedes a cursor whose row has left the list (merged away)', async () => {
    const all = await whole('customers');
    const newest = (await gql.data(`{ customers(first: 1) { edges { node { ref } } } }`)).customers.edges[0].node.ref;
    const survivor = (await gql.data(`{ customers(last: 1) { edges { node { ref } } } }`)).customers.edges[0].node.ref;
    await gql.data('mutation($s: ID!, $t: ID!) { mergeCustomers(sourceRef: $s, targetRef: $t) { ref } }', { s: newest, t: survivor });
    const after = await page('customers', { first: 1, after: all.cursors[0] });
    expect(after.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true, startCursor: all.cursors[1] });
    const before = await page('customers', { last: 5, before: all.cursors[1] });
    expect(before.edges).toEqual([]);
    expect(before.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
  });
});
