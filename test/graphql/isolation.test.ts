/**
 * Tenancy through GraphQL: two organisations, and the test and prod keys of one, are separate worlds.
 * What one key wrote, no other key can read, find, list or change.
 */
import { Environment } from '../../src/tenancy/environment';
import { recordCall } from '../support/call-operations';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const SAME_HINTS = { ani: '4155551234', externalIds: [{ key: 'crm_id', value: 'C-1' }] };
const CUSTOMER = 'query($ref: ID!) { customer(ref: $ref) { ref variables { name value } openIntents { name } identities { value } } }';
const CALL = 'query($callId: ID!) { call(callId: $callId) { callId intent customer { ref } } }';
const BY_IDENTITY = 'query($identity: IdentityInput!) { customerByIdentity(identity: $identity) { ref } }';
const LISTS = `{
  customers(first: 100) { totalCount edges { node { ref } } }
  calls(first: 100) { totalCount edges { node { callId intent } } }
  intents(first: 100) { totalCount edges { node { name } } }
}`;

describe.each(ENGINES)('tenant isolation through GraphQL on %s', (engine) => {
  let t: TestApp;
  let orgTest: GraphQLClient;
  let orgProd: GraphQLClient;
  let otherOrg: GraphQLClient;
  /** Each tenant's customer for the same call id and hints. */
  const shared: Record<string, string> = {};
  let onlyInOrgTest: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    orgTest = await graphqlClient(t);
    const { viewer } = await orgTest.data('{ viewer { organisation { slug } } }');
    orgProd = await graphqlClient(t, { organisationSlug: viewer.organisation.slug, environment: Environment.PROD });
    otherOrg = await graphqlClient(t);
    // The same call id, number and CRM id in all three tenants: each gets its own call and customer.
    for (const [name, client] of [['orgTest', orgTest], ['orgProd', orgProd], ['otherOrg', otherOrg]] as const) {
      shared[name] = await recordCall(client, 'call-1', SAME_HINTS, { intent: `${name} issue`, variables: [{ name: 'owner', value: name }] });
    }
    onlyInOrgTest = await recordCall(orgTest, 'call-2', { ani: '2125550123', externalIds: [{ key: 'crm_id', value: 'ONLY' }] }, { intent: 'secret' });
  });
  afterAll(() => t.close());

  // it.each takes its table before beforeAll runs, so the table names the clients and tests look them up.
  const OTHERS = [
    ['the prod key of the same organisation', 'orgProd'],
    ['another organisation', 'otherOrg'],
  ] as const;
  const client = (name: (typeof OTHERS)[number][1]) => (name === 'orgProd' ? orgProd : otherOrg);

  it('gives each tenant its own customer and call for the same call id and hints', async () => {
    expect(new Set(Object.values(shared)).size).toBe(3);
    for (const [name, client] of [['orgTest', orgTest], ['orgProd', orgProd], ['otherOrg', otherOrg]] as const) {
      expect(await client.data(CALL, { callId: 'call-1' })).toEqual({ call: { callId: 'call-1', intent: `${name.toLowerCase()}_issue`, customer: { ref: shared[name] } } });
      expect(await client.data(BY_IDENTITY, { identity: { ani: '(415) 555-1234' } })).toEqual({ customerByIdentity: { ref: shared[name] } });
      expect(await client.data(BY_IDENTITY, { identity: { externalId: { key: 'crm_id', value: 'C-1' } } })).toEqual({ customerByIdentity: { ref: shared[name] } });
      const { customer } = await client.data(CUSTOMER, { ref: shared[name] });
      expect(customer.variables).toEqual([{ name: 'owner', value: name }]);
    }
  });

  it('lists only the tenant’s own customers, calls and intents', async () => {
    expect(await orgProd.data(LISTS)).toEqual({
      customers: { totalCount: 1, edges: [{ node: { ref: shared.orgProd } }] },
      calls: { totalCount: 1, edges: [{ node: { callId: 'call-1', intent: 'orgprod_issue' } }] },
      intents: { totalCount: 1, edges: [{ node: { name: 'orgprod_issue' } }] },
    });
    expect(await otherOrg.data(LISTS)).toEqual({
      customers: { totalCount: 1, edges: [{ node: { ref: shared.otherOrg } }] },
      calls: { totalCount: 1, edges: [{ node: { callId: 'call-1', intent: 'otherorg_issue' } }] },
      intents: { totalCount: 1, edges: [{ node: { name: 'otherorg_issue' } }] },
    });
    const own = await orgTest.data(LISTS);
    expect(own.customers.totalCount).toBe(2);
    expect(own.calls.edges.map((e: { node: { callId: string } }) => e.node.callId)).toEqual(['call-2', 'call-1']);
  });

  it.each(OTHERS)('hides another tenant’s data from %s in every query', async (_label, name) => {
    const gql = client(name);
    expect(await gql.data(CUSTOMER, { ref: onlyInOrgTest })).toEqual({ customer: null });
    expect(await gql.data(CUSTOMER, { ref: shared.orgTest })).toEqual({ customer: null });
    expect(await gql.data(CALL, { callId: 'call-2' })).toEqual({ call: null });
    expect(await gql.data(BY_IDENTITY, { identity: { ani: '2125550123' } })).toEqual({ customerByIdentity: null });
    expect(await gql.data(BY_IDENTITY, { identity: { externalId: { key: 'crm_id', value: 'ONLY' } } })).toEqual({ customerByIdentity: null });
    const filtered = await gql.data(`{
      byAni: customers(filter: { ani: "2125550123" }) { totalCount }
      byExternalId: customers(filter: { externalId: { key: "crm_id", value: "ONLY" } }) { totalCount }
      byIntent: customers(filter: { openIntent: "secret" }) { totalCount }
      calls(filter: { intent: "secret" }) { totalCount }
      intents(filter: { name: "secret" }) { totalCount }
    }`);
    expect(filtered).toEqual({ byAni: { totalCount: 0 }, byExternalId: { totalCount: 0 }, byIntent: { totalCount: 0 }, calls: { totalCount: 0 }, intents: { totalCount: 0 } });
    for (const field of ['calls', 'intents']) {
      const answer = await gql.request(`query($ref: ID!) { ${field}(filter: { customerRef: $ref }) { totalCount } }`, { ref: onlyInOrgTest });
      expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    }
  });

  it.each(OTHERS)('answers NOT_FOUND to %s for every mutation on a foreign ref', async (_label, name) => {
    const gql = client(name);
    const ref = onlyInOrgTest;
    const own = shared[name];
    const mutations: [string, Record<string, unknown>][] = [
      ['mutation($ref: ID!) { setVariables(customerRef: $ref, variables: [{ name: "x", value: "1" }]) { variablesUpdated } }', { ref }],
      ['mutation($ref: ID!) { deleteVariable(customerRef: $ref, name: "owner") { deleted } }', { ref }],
      ['mutation($ref: ID!) { updateIntent(customerRef: $ref, name: "secret", status: RESOLVED) { status } }', { ref }],
      ['mutation($ref: ID!) { linkIdentity(customerRef: $ref, identity: { ani: "3125550100" }) { ref } }', { ref }],
      ['mutation($ref: ID!) { unlinkIdentity(customerRef: $ref, identity: { ani: "2125550123" }) { ref } }', { ref }],
      ['mutation($ref: ID!, $own: ID!) { mergeCustomers(sourceRef: $ref, targetRef: $own) { ref } }', { ref, own }],
      ['mutation($ref: ID!, $own: ID!) { mergeCustomers(sourceRef: $own, targetRef: $ref) { ref } }', { ref, own }],
    ];
    for (const [mutation, variables] of mutations) {
      const answer = await gql.request(mutation, variables);
      expect(answer.body.errors?.map((e) => ({ code: e.extensions?.code, message: e.message }))).toEqual([
        { code: 'NOT_FOUND', message: `No customer with ref ${ref}` },
      ]);
    }
    // Another tenant's call id is unknown here: with nothing else to go on, it cannot be ended.
    const end = await gql.request('mutation { endCall(input: { callId: "call-2", intent: "hijack" }) { replayed } }');
    expect(end.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('treats a foreign ref on a call as matching nothing: a new customer of the caller’s own', async () => {
    const { startCall } = await otherOrg.data('mutation($ref: String) { startCall(input: { callId: "foreign-ref", hints: { customerRef: $ref } }) { customer { ref } identification { confidence sources } } }', {
      ref: onlyInOrgTest,
    });
    expect(startCall.customer.ref).not.toBe(onlyInOrgTest);
    expect(startCall.identification).toEqual({ confidence: 0, sources: [] });
  });

  it('leaves the owner’s data as it was after the other tenants’ attempts', async () => {
    expect(await orgTest.data(CUSTOMER, { ref: onlyInOrgTest })).toEqual({
      customer: { ref: onlyInOrgTest, variables: [], openIntents: [{ name: 'secret' }], identities: [{ value: '+12125550123' }, { value: 'ONLY' }] },
    });
    expect(await orgTest.data(CALL, { callId: 'call-2' })).toEqual({ call: { callId: 'call-2', intent: 'secret', customer: { ref: onlyInOrgTest } } });
    const { customers } = await orgTest.data('{ customers(first: 100) { totalCount } }');
    expect(customers.totalCount).toBe(2);
  });
});
