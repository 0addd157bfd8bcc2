/** The write side of the GraphQL API over HTTP: calls, variables, intents, identities and merges. */
import { ManualClock } from '../../src/shared/clock';
import { END_CALL, START_CALL, endCall, recordCall, startCall } from '../support/call-operations';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const T0 = Date.parse('2026-02-07T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

const SET_VARIABLES = `mutation($ref: ID!, $variables: [VariableInput!]!) {
  setVariables(customerRef: $ref, variables: $variables) { variablesUpdated customer { ref variables { name value source ttlSeconds expiresAt } } }
}`;
const DELETE_VARIABLE = `mutation($ref: ID!, $name: String!) { deleteVariable(customerRef: $ref, name: $name) { deleted customer { variables { name } } } }`;
const UPDATE_INTENT = `mutation($ref: ID!, $name: String!, $status: IntentStatus!) {
  updateIntent(customerRef: $ref, name: $name, status: $status) { name status attemptCount updatedAt customer { ref } }
}`;
const LINK = `mutation($ref: ID!, $identity: IdentityInput!) { linkIdentity(customerRef: $ref, identity: $identity) { ref provisional identities { kind key value lineType } } }`;
const UNLINK = `mutation($ref: ID!, $identity: IdentityInput!) { unlinkIdentity(customerRef: $ref, identity: $identity) { ref identities { key value } } }`;
const MERGE = `mutation($source: ID!, $target: ID!) { mergeCustomers(sourceRef: $source, targetRef: $target) { ref callCount } }`;
const BY_IDENTITY = 'query($identity: IdentityInput!) { customerByIdentity(identity: $identity) { ref } }';

/** The errors of an answer, as code and message. */
async function failure(gql: GraphQLClient, query: string, variables: Record<string, unknown>) {
  const answer = await gql.request(query, variables);
  expect(answer.status).toBe(200);
  return answer.body.errors?.map((e) => ({ code: e.extensions?.code, message: e.message, ...(e.extensions?.issues ? { issues: e.extensions.issues } : {}) }));
}

describe.each(ENGINES)('GraphQL mutations on %s', (engine) => {
  let t: TestApp;
  let gql: GraphQLClient;
  const clock = new ManualClock(new Date(T0));

  beforeAll(async () => {
    t = await createTestApp(engine, {}, clock);
    gql = await graphqlClient(t);
  });
  afterAll(() => t.close());
  beforeEach(() => clock.set(new Date(T0)));

  it('starts a call for a new caller, replays a retry and refuses the same call id with other hints', async () => {
    const input = { callId: 'start-1', hints: { ani: '4155550101', dnis: '8005550000', lineType: 'MOBILE' } };
    const first = await gql.data(START_CALL, { input });
    expect(first.startCall).toEqual({
      replayed: false,
      customer: { ref: expect.stringMatching(/^[0-9a-f-]{36}$/), callCount: 1, provisional: false },
      identification: { confidence: 0, level: 'low', sources: [], recommendation: 'ignore' },
      openIntents: [],
      variables: [],
      call: { callId: 'start-1', ani: '+14155550101', dnis: '8005550000', lineType: 'MOBILE', startedAt: at(0), endedAt: null },
    });

    clock.advance(5_000);
    const retry = await gql.data(START_CALL, { input: { callId: ' start-1 ', hints: { ...input.hints, ani: '(415) 555-0101' } } });
    expect(retry.startCall).toEqual({ ...first.startCall, replayed: true });

    expect(await failure(gql, START_CALL, { input: { callId: 'start-1', hints: { ani: '4155550199' } } })).toEqual([
      { code: 'CONFLICT', message: "call_id 'start-1' was already started with different identity hints" },
    ]);
  });

  it('ends a call with an intent and variables, replays a retry and refuses a different body or another customer', async () => {
    const ref = await startCall(gql, 'end-1', { ani: '4155550102' });
    const other = await startCall(gql, 'end-other', { ani: '4155550103' });
    clock.advance(42_000);
    const input = { callId: 'end-1', customerRef: ref, intent: 'Refund Request', variables: [{ name: 'name', value: 'Jo' }, { name: 'gone', value: null }] };
    const ended = await gql.data(END_CALL, { input });
    expect(ended.endCall).toEqual({
      intentsUpdated: 1,
      variablesUpdated: 1,
      replayed: false,
      call: { callId: 'end-1', startedAt: at(0), endedAt: at(42_000), durationSeconds: 42, intent: 'refund_request', intentStatus: 'OPEN', variablesWritten: ['name', 'gone'] },
      customer: { ref, callCount: 1 },
    });

    clock.advance(10_000);
    expect((await gql.data(END_CALL, { input })).endCall).toEqual({ ...ended.endCall, replayed: true });
    expect(await failure(gql, END_CALL, { input: { ...input, intent: 'Billing' } })).toEqual([
      { code: 'CONFLICT', message: "call_id 'end-1' was already ended with a different body" },
    ]);
    expect(await failure(gql, END_CALL, { input: { callId: 'end-1', customerRef: other } })).toEqual([
      { code: 'CONFLICT', message: "customer_ref does not match the customer of call_id 'end-1'" },
    ]);
  });

  it('records a call that was never started from its customerRef, and refuses one with nothing to go on', async () => {
    const ref = await startCall(gql, 'standalone-seed', { ani: '4155550104' });
    clock.advance(60_000);
    const { endCall: ended } = await gql.data(END_CALL, { input: { callId: 'standalone-1', customerRef: '', hints: { ani: '415-555-0104' } } });
    expect(ended).toMatchObject({
      replayed: false,
      call: { callId: 'standalone-1', startedAt: at(60_000), endedAt: at(60_000), durationSeconds: 0 },
      customer: { ref, callCount: 2 },
    });
    expect(await failure(gql, START_CALL, { input: { callId: 'standalone-1', hints: { ani: '4155550104' } } })).toEqual([
      { code: 'CONFLICT', message: "call_id 'standalone-1' was already recorded by calls/end without a start" },
    ]);
    expect(await failure(gql, END_CALL, { input: { callId: 'never-started' } })).toEqual([
      {
        code: 'BAD_USER_INPUT',
        message: 'Validation failed',
        issues: [{ path: ['call_id'], message: 'Unknown call_id: send customer_ref or identity_hints to record a call that was not started' }],
      },
    ]);
  });

  it('refuses more than 20 external ids on a start', async () => {
    const externalIds = Array.from({ length: 21 }, (_, i) => ({ key: `id_${i}`, value: `v${i}` }));
    expect(await failure(gql, START_CALL, { input: { callId: 'many-ids', hints: { externalIds } } })).toEqual([
      { code: 'BAD_USER_INPUT', message: 'Validation failed', issues: [{ path: ['hints', 'externalIds'], message: 'at most 20 external_ids per request' }] },
    ]);
  });

  it('writes variables, counting what changed, and deletes the ones set to null', async () => {
    const ref = await startCall(gql, 'vars-1', { ani: '4155550105' });
    const written = await gql.data(SET_VARIABLES, {
      ref,
      variables: [{ name: 'name', value: 'Ann', source: 'crm' }, { name: 'plan', value: 'pro', ttlSeconds: 3600 }],
    });
    expect(written.setVariables).toEqual({
      variablesUpdated: 2,
      customer: {
        ref,
        variables: [
          { name: 'name', value: 'Ann', source: 'crm', ttlSeconds: 2592000, expiresAt: at(2592000_000) },
          { name: 'plan', value: 'pro', source: null, ttlSeconds: 3600, expiresAt: at(3600_000) },
        ],
      },
    });
    const changed = await gql.data(SET_VARIABLES, {
      ref,
      variables: [{ name: 'plan', value: null }, { name: 'never-set', value: null }, { name: 'name', value: 'Anne' }],
    });
    expect(changed.setVariables.variablesUpdated).toBe(2);
    expect(changed.setVariables.customer.variables).toEqual([{ name: 'name', value: 'Anne', source: null, ttlSeconds: 2592000, expiresAt: at(2592000_000) }]);
  });

  it('deletes one variable, saying whether there was one', async () => {
    const ref = await startCall(gql, 'vars-2', { ani: '4155550106' });
    await gql.data(SET_VARIABLES, { ref, variables: [{ name: 'a', value: '1' }, { name: 'b', value: '2' }] });
    expect((await gql.data(DELETE_VARIABLE, { ref, name: 'a' })).deleteVariable).toEqual({ deleted: true, customer: { variables: [{ name: 'b' }] } });
    expect((await gql.data(DELETE_VARIABLE, { ref, name: 'a' })).deleteVariable).toEqual({ deleted: false, customer: { variables: [{ name: 'b' }] } });
  });

  it('resolves an intent and reopens it with its attempt count restarted at 1', async () => {
    const ref = await recordCall(gql, 'intent-1', { ani: '4155550107' }, { intent: 'Refund Request' });
    await recordCall(gql, 'intent-2', { customerRef: ref }, { intent: 'refund_request' });
    clock.advance(60_000);
    const resolved = await gql.data(UPDATE_INTENT, { ref, name: 'REFUND request', status: 'RESOLVED' });
    expect(resolved.updateIntent).toEqual({ name: 'refund_request', status: 'RESOLVED', attemptCount: 2, updatedAt: at(60_000), customer: { ref } });
    expect((await gql.data('query($ref: ID!) { customer(ref: $ref) { openIntents { name } } }', { ref })).customer.openIntents).toEqual([]);

    clock.advance(60_000);
    const reopened = await gql.data(UPDATE_INTENT, { ref, name: 'refund_request', status: 'OPEN' });
    expect(reopened.updateIntent).toEqual({ name: 'refund_request', status: 'OPEN', attemptCount: 1, updatedAt: at(120_000), customer: { ref } });
    const { customer } = await gql.data('query($ref: ID!) { customer(ref: $ref) { openIntents { name attemptCount } } }', { ref });
    expect(customer.openIntents).toEqual([{ name: 'refund_request', attemptCount: 1 }]);

    expect(await failure(gql, UPDATE_INTENT, { ref, name: 'billing', status: 'RESOLVED' })).toEqual([
      { code: 'NOT_FOUND', message: `Customer ${ref} has no intent 'billing'` },
    ]);
  });

  it('links a number and an external id, finds the customer by them, and unlinks them', async () => {
    const ref = await startCall(gql, 'link-1', { ani: '4155550108' });
    const linked = await gql.data(LINK, { ref, identity: { ani: '(212) 555-0108', lineType: 'LANDLINE' } });
    expect(linked.linkIdentity.identities).toEqual(
      expect.arrayContaining([{ kind: 'ANI', key: 'ani', value: '+12125550108', lineType: 'LANDLINE' }]),
    );
    await gql.data(LINK, { ref, identity: { externalId: { key: 'Email', value: ' ann@example.com ' } } });
    expect(await gql.data(BY_IDENTITY, { identity: { ani: '2125550108' } })).toEqual({ customerByIdentity: { ref } });
    expect(await gql.data(BY_IDENTITY, { identity: { externalId: { key: 'email', value: 'ann@example.com' } } })).toEqual({ customerByIdentity: { ref } });

    const unlinked = await gql.data(UNLINK, { ref, identity: { ani: '+12125550108' } });
    expect(unlinked.unlinkIdentity.identities.map((i: { value: string }) => i.value)).toEqual(['+14155550108', 'ann@example.com']);
    await gql.data(UNLINK, { ref, identity: { externalId: { key: 'email', value: 'ann@example.com' } } });
    expect(await gql.data(BY_IDENTITY, { identity: { ani: '2125550108' } })).toEqual({ customerByIdentity: null });
    expect(await gql.data(BY_IDENTITY, { identity: { externalId: { key: 'email', value: 'ann@example.com' } } })).toEqual({ customerByIdentity: null });
    expect(await failure(gql, UNLINK, { ref, identity: { ani: '2125550108' } })).toEqual([{ code: 'NOT_FOUND', message: `Customer ${ref} has no such identity` }]);
  });

  it('refuses to link an external id another customer owns, or a number that is not one', async () => {
    const owner = await startCall(gql, 'link-2', { externalIds: [{ key: 'crm_id', value: 'OWNED' }] });
    const other = await startCall(gql, 'link-3', { ani: '4155550109' });
    expect(await failure(gql, LINK, { ref: other, identity: { externalId: { key: 'crm_id', value: 'OWNED' } } })).toEqual([
      { code: 'CONFLICT', message: 'External id crm_id already belongs to another customer; merge the customers instead' },
    ]);
    expect(await failure(gql, LINK, { ref: other, identity: { ani: 'anonymous' } })).toEqual([
      { code: 'BAD_USER_INPUT', message: 'Validation failed', issues: [{ path: ['identity', 'ani'], message: 'ani is not a usable phone number' }] },
    ]);
    expect(await gql.data(BY_IDENTITY, { identity: { externalId: { key: 'crm_id', value: 'OWNED' } } })).toEqual({ customerByIdentity: { ref: owner } });
  });

  it('merges one customer into another: everything moves, the newer variable wins, and the source ref resolves to the target', async () => {
    const source = await recordCall(gql, 'merge-s', { ani: '4155550110' }, { intent: 'Billing', variables: [{ name: 'tier', value: 'new' }, { name: 'only_source', value: 's' }] });
    clock.set(new Date(T0 - 60_000));
    const target = await recordCall(gql, 'merge-t', { externalIds: [{ key: 'crm_id', value: 'MERGE-T' }] }, { intent: 'billing', variables: [{ name: 'tier', value: 'old' }] });
    clock.set(new Date(T0 + 60_000));

    expect((await gql.data(MERGE, { source, target })).mergeCustomers).toEqual({ ref: target, callCount: 2 });
    const { customer } = await gql.data(
      `query($ref: ID!) { customer(ref: $ref) { ref callCount identities { value } variables { name value }
        intents { name } calls { edges { node { callId } } } } }`,
      { ref: source },
    );
    expect(customer).toEqual({
      ref: target,
      callCount: 2,
      identities: [{ value: '+14155550110' }, { value: 'MERGE-T' }],
      variables: [{ name: 'only_source', value: 's' }, { name: 'tier', value: 'new' }],
      intents: [{ name: 'billing' }],
      calls: { edges: [{ node: { callId: 'merge-s' } }, { node: { callId: 'merge-t' } }] },
    });
    expect(await gql.data(BY_IDENTITY, { identity: { ani: '4155550110' } })).toEqual({ customerByIdentity: { ref: target } });
    const listed = await gql.data('{ customers(first: 100) { edges { node { ref } } } }');
    expect(listed.customers.edges.map((e: { node: { ref: string } }) => e.node.ref)).not.toContain(source);
    expect(await failure(gql, MERGE, { source, target })).toEqual([
      { code: 'BAD_USER_INPUT', message: 'Validation failed', issues: [{ path: ['sourceRef'], message: 'sourceRef and targetRef name the same customer' }] },
    ]);
  });

  it('answers NOT_FOUND for every mutation on a ref that names no customer', async () => {
    const ref = '00000000-0000-4000-8000-000000000000';
    const notFound = [{ code: 'NOT_FOUND', message: `No customer with ref ${ref}` }];
    const existing = await startCall(gql, 'nf-1', { ani: '4155550111' });
    expect(await failure(gql, SET_VARIABLES, { ref, variables: [{ name: 'a', value: '1' }] })).toEqual(notFound);
    expect(await failure(gql, DELETE_VARIABLE, { ref, name: 'a' })).toEqual(notFound);
    expect(await failure(gql, UPDATE_INTENT, { ref, name: 'a', status: 'OPEN' })).toEqual(notFound);
    expect(await failure(gql, LINK, { ref, identity: { ani: '4155550111' } })).toEqual(notFound);
    expect(await failure(gql, UNLINK, { ref, identity: { ani: '4155550111' } })).toEqual(notFound);
    expect(await failure(gql, MERGE, { source: ref, target: existing })).toEqual(notFound);
    expect(await failure(gql, MERGE, { source: existing, target: ref })).toEqual(notFound);
    await endCall(gql, { callId: 'nf-1', customerRef: existing });
  });
});
