/**
 * A cursor the API did not make is BAD_USER_INPUT on `after`, on every list and on nested pages, on both
 * engines (issue 9, item 9). Before, a well-formed cursor with a bad value reached the database:
 * `[0,"id"]` compared "id" with a uuid column and a timestamp of 8.64e15 was out of PostgreSQL's range,
 * both INTERNAL_SERVER_ERROR on PostgreSQL.
 */
import { startCall } from '../support/call-operations';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { cursorOf } from '../support/hostile-input';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const ID = '0190a3b4-1234-7abc-8def-0123456789ab';

const CRAFTED: [string, string][] = [
  ['[0,"id"]', cursorOf([0, 'id'])],
  ['a timestamp of 8.64e15', cursorOf([8.64e15, ID])],
  ['a timestamp of -8.64e15', cursorOf([-8.64e15, ID])],
  ['a timestamp in year 0', cursorOf([-62_198_755_200_000, ID])],
  ['a fractional timestamp', cursorOf([1.5, ID])],
  ['a timestamp given as text', cursorOf(['1700000000000', ID])],
  ['the values swapped', cursorOf([ID, 1_700_000_000_000])],
  ['an id that is not a UUID', cursorOf([1_700_000_000_000, 'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ'])],
  ['an upper-case id', cursorOf([1_700_000_000_000, ID.toUpperCase()])],
  ['an id with a NUL', cursorOf([1_700_000_000_000, `${ID}\u0000`])],
  ['one value', cursorOf([1_700_000_000_000])],
  ['three values', cursorOf([1_700_000_000_000, ID, 1])],
  ['an object', cursorOf({ at: 1_700_000_000_000, id: ID })],
  ['not base64url', '!!!'],
  ['padded base64', 'WzAsImlkIl0='],
  ['base64url of text that is not JSON', Buffer.from('hello').toString('base64url')],
  ['an overlong cursor', 'A'.repeat(300)],
];

describe.each(ENGINES)('crafted cursors on %s', (engine) => {
  let t: TestApp;
  let gql: GraphQLClient;
  let ref: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    gql = await graphqlClient(t);
    ref = await startCall(gql, 'cursor-1', { ani: '4155551234' });
    await startCall(gql, 'cursor-2', { ani: '4155551234' });
  });
  afterAll(() => t.close());

  it.each(CRAFTED)('answers BAD_USER_INPUT on `after` for %s, on every list and nested page', async (_case, cursor) => {
    const lists = ['customers', 'calls', 'intents'].map((list) => `query($after: String) { ${list}(after: $after) { totalCount } }`);
    const nested = 'query($after: String, $ref: ID!) { customer(ref: $ref) { calls(first: 1, after: $after) { totalCount } } }';
    for (const query of [...lists, nested]) {
      const answer = await gql.request(query, { after: cursor, ref });
      const errors = answer.body.errors?.map((e) => ({ code: e.extensions?.code, issues: e.extensions?.issues }));
      expect(errors).toEqual([{ code: 'BAD_USER_INPUT', issues: expect.arrayContaining([{ path: ['after'], message: expect.any(String) }]) }]);
    }
  });

  it('still pages with the cursors it made', async () => {
    const first = await gql.data('{ calls(first: 1) { edges { node { callId } } pageInfo { endCursor } } }');
    const next = await gql.data('query($after: String) { calls(first: 1, after: $after) { edges { node { callId } } } }', { after: first.calls.pageInfo.endCursor });
    expect([first.calls.edges[0].node.callId, next.calls.edges[0].node.callId]).toEqual(['cursor-2', 'cursor-1']);
  });
});
