/**
 * Global object identification (issue 11): Customer, Call and Intent implement `Node` with a global,
 * opaque, stable `id`; `node(id:)` and `nodes(ids:)` fetch them again, scoped to the API key's
 * organisation and environment (another tenant's id answers exactly as an id of nothing does); ids this
 * API did not make are BAD_USER_INPUT; `ids` is capped and counted in the query cost. Both engines.
 */
import { randomUUID } from 'node:crypto';

import { toGlobalId } from '../../src/graphql/global-id';
import { MAX_NODE_IDS } from '../../src/graphql/node.args';
import { Environment } from '../../src/tenancy/environment';
import { recordCall, startCall } from '../support/call-operations';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const IDS = `query($ref: ID!) { customer(ref: $ref) { id ref calls(first: 1) { edges { node { id callId } } } intents { id name } } }`;
const NODE = `query($id: ID!) { node(id: $id) { __typename id
  ... on Customer { ref } ... on Call { callId } ... on Intent { name customer { id } } } }`;
const NODES = `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`;

describe.each(ENGINES)('Node, node(id) and nodes(ids) on %s', (engine) => {
  let t: TestApp;
  let gql: GraphQLClient;
  let ref: string;
  let ids: { customer: string; call: string; intent: string };

  beforeAll(async () => {
    t = await createTestApp(engine);
    gql = await graphqlClient(t);
    ref = await recordCall(gql, 'node-call-1', { ani: '4155550111' }, { intent: 'Refund Request' });
    const { customer } = await gql.data(IDS, { ref });
    ids = { customer: customer.id, call: customer.calls.edges[0].node.id, intent: customer.intents[0].id };
  });
  afterAll(() => t.close());

  it('gives Customer, Call and Intent distinct, opaque ids that are not their refs or call ids', () => {
    expect(new Set(Object.values(ids)).size).toBe(3);
    for (const id of Object.values(ids)) expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(ids.customer).not.toBe(ref);
    expect(ids.call).not.toBe('node-call-1');
  });

  it('refetches each object by its id, answering the same id (Relay refetch)', async () => {
    expect((await gql.data(NODE, { id: ids.customer })).node).toEqual({ __typename: 'Customer', id: ids.customer, ref });
    expect((await gql.data(NODE, { id: ids.call })).node).toEqual({ __typename: 'Call', id: ids.call, callId: 'node-call-1' });
    expect((await gql.data(NODE, { id: ids.intent })).node).toEqual({ __typename: 'Intent', id: ids.intent, name: 'refund_request', customer: { id: ids.customer } });
  });

  it('keeps ids stable across requests and writes, and gives a replayed start’s intents the same ids', async () => {
    await gql.data('mutation($ref: ID!) { updateIntent(customerRef: $ref, name: "refund_request", status: RESOLVED) { id } }', { ref });
    const again = (await gql.data(IDS, { ref })).customer;
    expect([again.id, again.calls.edges[0].node.id, again.intents[0].id]).toEqual([ids.customer, ids.call, ids.intent]);
    await gql.data('mutation($ref: ID!) { updateIntent(customerRef: $ref, name: "refund_request", status: OPEN) { id } }', { ref });
    const start = `mutation { startCall(input: { callId: "node-call-2", hints: { ani: "4155550111" } }) {
      replayed customer { id } call { id } openIntents { id } lastIntent { id } } }`;
    const first = (await gql.data(start)).startCall;
    const replay = (await gql.data(start)).startCall;
    expect(replay.replayed).toBe(true);
    expect(first.customer.id).toBe(ids.customer);
    expect(first.openIntents).toEqual([{ id: ids.intent }]);
    expect({ ...replay, replayed: false }).toEqual({ ...first, replayed: false });
    expect((await gql.data(NODE, { id: first.call.id })).node).toMatchObject({ __typename: 'Call', callId: 'node-call-2' });
  });

  it('answers nodes(ids) in order, one entry per id, null for an id of nothing', async () => {
    const nothing = toGlobalId('Customer', randomUUID());
    const answer = await gql.data(NODES, { ids: [ids.intent, nothing, ids.customer, ids.call, ids.customer] });
    expect(answer.nodes).toEqual([
      { __typename: 'Intent', id: ids.intent },
      null,
      { __typename: 'Customer', id: ids.customer },
      { __typename: 'Call', id: ids.call },
      { __typename: 'Customer', id: ids.customer },
    ]);
    expect(await gql.data(NODES, { ids: [] })).toEqual({ nodes: [] });
  });

  it('answers null for a well-formed id of nothing, or of a row of another type', async () => {
    const rowId = Buffer.from(ids.customer, 'base64url').toString('utf8').split(':')[1];
    for (const id of [toGlobalId('Call', randomUUID()), toGlobalId('Intent', rowId), toGlobalId('Call', rowId)]) {
      expect(await gql.request(NODE, { id })).toEqual({ status: 200, body: { data: { node: null } } });
    }
  });

  it('answers another organisation’s and another environment’s ids exactly as ids of nothing', async () => {
    const other = await graphqlClient(t);
    const prod = await graphqlClient(t, { organisationSlug: await slugOf(gql), environment: Environment.PROD });
    const nothing = toGlobalId('Customer', randomUUID());
    for (const stranger of [other, prod]) {
      const absent = await stranger.request(NODE, { id: nothing });
      expect(absent).toEqual({ status: 200, body: { data: { node: null } } });
      for (const id of Object.values(ids)) expect(await stranger.request(NODE, { id })).toEqual(absent);
      const listed = await stranger.request(NODES, { ids: Object.values(ids) });
      expect(listed).toEqual({ status: 200, body: { data: { nodes: [null, null, null] } } });
    }
  });

  it('answers null for a customer merged into another, whose id the survivor does not take', async () => {
    const source = await startCall(gql, 'node-merge-source', { ani: '4155550122' });
    const sourceId = (await gql.data('query($ref: ID!) { customer(ref: $ref) { id } }', { ref: source })).customer.id;
    const merged = await gql.data('mutation($s: ID!, $t: ID!) { mergeCustomers(sourceRef: $s, targetRef: $t) { id ref } }', { s: source, t: ref });
    expect(merged.mergeCustomers).toEqual({ id: ids.customer, ref });
    expect((await gql.data(NODE, { id: sourceId })).node).toBeNull();
    expect((await gql.data('query($ref: ID!) { customer(ref: $ref) { id } }', { ref: source })).customer.id).toBe(ids.customer);
  });

  it.each([
    ['a customer ref', () => ref],
    ['a call id', () => 'node-call-1'],
    ['an unknown type', () => Buffer.from(`Widget:${randomUUID()}`).toString('base64url')],
    ['a type without a row id', () => Buffer.from('Customer:42').toString('base64url')],
    ['padded base64', () => `${Buffer.from(`Call:${randomUUID()}`).toString('base64')}==`],
    ['an empty string', () => ''],
  ])('refuses %s as BAD_USER_INPUT naming the argument', async (_case, id) => {
    const single = await gql.request(NODE, { id: id() });
    expect(single.body.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', issues: [{ path: ['id'], message: expect.stringContaining('must be the `id` of a Customer, Call or Intent') }] }]);
    const listed = await gql.request(NODES, { ids: [ids.customer, id()] });
    expect(listed.body.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', issues: [{ path: ['ids'], message: expect.stringContaining('each value in ids must be') }] }]);
  });

  it(`refuses more than ${MAX_NODE_IDS} ids`, async () => {
    const answer = await gql.request(NODES, { ids: Array.from({ length: MAX_NODE_IDS + 1 }, () => ids.customer) });
    expect(answer.body.errors?.map((e) => e.extensions)).toEqual([
      { code: 'BAD_USER_INPUT', issues: [{ path: ['ids'], message: `ids must contain no more than ${MAX_NODE_IDS} elements` }] },
    ]);
    expect((await gql.data(NODES, { ids: Array.from({ length: MAX_NODE_IDS }, () => ids.customer) })).nodes).toHaveLength(MAX_NODE_IDS);
  });

  it('counts each id of nodes in the query cost', async () => {
    const list = JSON.stringify(Array.from({ length: 60 }, () => ids.customer));
    const answer = await gql.request(`{ nodes(ids: ${list}) { ... on Customer { calls(first: 100) { edges { node { callId } } } } } }`);
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    const few = await gql.request(`{ nodes(ids: ${JSON.stringify([ids.customer])}) { ... on Customer { calls(first: 100) { edges { node { callId } } } } } }`);
    expect(few.body.errors).toBeUndefined();
  });
});

async function slugOf(gql: GraphQLClient): Promise<string> {
  return (await gql.data('{ viewer { organisation { slug } } }')).viewer.organisation.slug;
}
