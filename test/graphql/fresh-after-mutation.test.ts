/**
 * A request never answers with data older than a mutation it ran: after every mutation the request's
 * loaders (and the EntityManager's identity map) are emptied, so the payload's nested fields, and anything
 * the request reads after it, come from the database as the mutation left it.
 *
 * Over HTTP an operation runs one mutation and batched arrays are refused, so a client cannot put two
 * mutations into one request; the schema itself runs as many as an operation holds (the REST shim executes
 * it in-process), and a request that read a customer before writing must not see its old self afterwards.
 * The tests run the production schema on one request's context (support/one-request.ts): they read first,
 * so the loaders are primed, then write, and compare the payload with a fresh request over HTTP.
 */
import { buildGraphQLSchema } from '../../src/graphql/schema';
import { ApiKeyRole } from '../../src/tenancy/api-key-role';
import { Environment } from '../../src/tenancy/environment';
import { ManualClock } from '../../src/shared/clock';
import { recordCall, startCall } from '../support/call-operations';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { oneRequest } from '../support/one-request';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

/** Everything of a customer that its loaders serve, and its own columns. */
const CUSTOMER = `ref provisional callCount lastCallAt createdAt updatedAt
  identities { kind key value lineType }
  variables { name value }
  openIntents { name status attemptCount }
  intents { name status attemptCount }
  calls(first: 5) { totalCount edges { node { callId endedAt intent intentStatus } } }`;

/** The mutations the tests below write through, one test each; a new mutation needs its own. */
const COVERED = [
  'startCall',
  'endCall',
  'setVariables',
  'deleteVariable',
  'updateIntent',
  'linkIdentity',
  'unlinkIdentity',
  'mergeCustomers',
  'eraseCustomer',
  'exportCustomer',
  'liftTombstone',
  'createApiKey',
  'revokeApiKey',
  'rotateApiKey',
  'setLimits',
];

const READ = `query($ref: ID!) { customer(ref: $ref) { ${CUSTOMER} } }`;
const SET_VARIABLES = `mutation($ref: ID!, $variables: [VariableInput!]!) { setVariables(customerRef: $ref, variables: $variables) { customer { ${CUSTOMER} } } }`;

describe.each(ENGINES)('data after a mutation in the same request on %s', (engine) => {
  let t: TestApp;
  let gql: GraphQLClient;
  const clock = new ManualClock(new Date('2026-02-07T10:00:00.000Z'));
  let n = 0;
  /** A fresh caller's number, call id or name for each test. */
  const unique = (prefix: string) => `${prefix}-${++n}`;
  const ani = () => `41555${String(10000 + ++n).padStart(5, '0')}`;

  beforeAll(async () => {
    t = await createTestApp(engine, {}, clock);
    gql = await graphqlClient(t);
  });
  afterAll(() => t.close());
  beforeEach(() => clock.advance(60_000));

  /** The customer as a separate request over HTTP reads it. */
  const stored = async (ref: string) => (await gql.data(READ, { ref })).customer;

  /** A request that first reads the customers (priming its loaders), then runs `mutation` on the same context. */
  async function readThenWrite(refs: string[], mutation: string, variables: Record<string, unknown>) {
    const request = await oneRequest(t, gql.key);
    for (const ref of refs) expect((await request.run(READ, { ref })).customer.ref).toBe(ref);
    return request.run(mutation, variables);
  }

  describe('two mutations in one request (the issue’s cases)', () => {
    it('second setVariables lists what it just wrote', async () => {
      const ref = await startCall(gql, unique('two-set'), { ani: ani() });
      const data = await (await oneRequest(t, gql.key)).run(
        `mutation($ref: ID!) {
          first: setVariables(customerRef: $ref, variables: [{ name: "a", value: "1" }]) { customer { variables { name value } } }
          second: setVariables(customerRef: $ref, variables: [{ name: "a", value: "2" }, { name: "b", value: "3" }]) { customer { variables { name value } } }
        }`,
        { ref },
      );
      expect(data.first.customer.variables).toEqual([{ name: 'a', value: '1' }]);
      expect(data.second.customer.variables).toEqual([{ name: 'a', value: '2' }, { name: 'b', value: '3' }]);
      expect((await stored(ref)).variables).toEqual(data.second.customer.variables);
    });

    it('linkIdentity then unlinkIdentity no longer lists the unlinked number', async () => {
      const ref = await startCall(gql, unique('link-unlink'), { ani: '4155550100' });
      const data = await (await oneRequest(t, gql.key)).run(
        `mutation($ref: ID!) {
          link: linkIdentity(customerRef: $ref, identity: { ani: "4155550111" }) { identities { value } }
          unlink: unlinkIdentity(customerRef: $ref, identity: { ani: "4155550111" }) { identities { value } }
        }`,
        { ref },
      );
      expect(data.link.identities.map((i: { value: string }) => i.value).sort()).toEqual(['+14155550100', '+14155550111']);
      expect(data.unlink.identities).toEqual([{ value: '+14155550100' }]);
      expect((await stored(ref)).identities.map((i: { value: string }) => i.value)).toEqual(['+14155550100']);
    });
  });

  describe('every mutation’s payload reflects its write, though the request read the customer first', () => {
    it('covers every mutation of the schema', async () => {
      const mutations = Object.keys((await buildGraphQLSchema()).getMutationType()!.getFields());
      expect(mutations.sort()).toEqual([...COVERED].sort());
    });

    it('startCall: the customer’s call count and calls include the new call', async () => {
      const number = ani();
      const ref = await recordCall(gql, unique('start-before'), { ani: number }, { intent: 'Billing' });
      const callId = unique('start-now');
      const data = await readThenWrite([ref], `mutation($input: StartCallInput!) { startCall(input: $input) { customer { ${CUSTOMER} } } }`, {
        input: { callId, hints: { ani: number } },
      });
      const customer = data.startCall.customer;
      expect(customer.ref).toBe(ref);
      expect(customer.callCount).toBe(2);
      expect(customer.calls.edges[0].node.callId).toBe(callId);
      expect(customer).toEqual(await stored(ref));
    });

    it('endCall: the customer’s intents, variables and calls show the end', async () => {
      const callId = unique('end');
      const ref = await startCall(gql, callId, { ani: ani() });
      const data = await readThenWrite([ref], `mutation($input: EndCallInput!) { endCall(input: $input) { customer { ${CUSTOMER} } } }`, {
        input: { callId, customerRef: ref, intent: 'Refund', variables: [{ name: 'name', value: 'Jo' }] },
      });
      const customer = data.endCall.customer;
      expect(customer.variables).toEqual([{ name: 'name', value: 'Jo' }]);
      expect(customer.openIntents).toEqual([{ name: 'refund', status: 'OPEN', attemptCount: 1 }]);
      expect(customer.calls.edges[0].node).toMatchObject({ callId, intent: 'refund', intentStatus: 'OPEN' });
      expect(customer.calls.edges[0].node.endedAt).not.toBeNull();
      expect(customer).toEqual(await stored(ref));
    });

    it('setVariables: the customer’s variables hold the new values', async () => {
      const ref = await recordCall(gql, unique('set'), { ani: ani() }, { variables: [{ name: 'tier', value: 'silver' }] });
      const data = await readThenWrite([ref], SET_VARIABLES, { ref, variables: [{ name: 'tier', value: 'gold' }, { name: 'name', value: 'Ann' }] });
      expect(data.setVariables.customer.variables).toEqual([{ name: 'name', value: 'Ann' }, { name: 'tier', value: 'gold' }]);
      expect(data.setVariables.customer).toEqual(await stored(ref));
    });

    it('deleteVariable: the customer’s variables no longer list it', async () => {
      const ref = await recordCall(gql, unique('delete'), { ani: ani() }, { variables: [{ name: 'tier', value: 'gold' }, { name: 'name', value: 'Bo' }] });
      const data = await readThenWrite([ref], `mutation($ref: ID!) { deleteVariable(customerRef: $ref, name: "tier") { deleted customer { ${CUSTOMER} } } }`, { ref });
      expect(data.deleteVariable.deleted).toBe(true);
      expect(data.deleteVariable.customer.variables).toEqual([{ name: 'name', value: 'Bo' }]);
      expect(data.deleteVariable.customer).toEqual(await stored(ref));
    });

    it('updateIntent: the intent’s customer no longer lists it as open', async () => {
      const ref = await recordCall(gql, unique('intent'), { ani: ani() }, { intent: 'Billing' });
      const data = await readThenWrite(
        [ref],
        `mutation($ref: ID!) { updateIntent(customerRef: $ref, name: "billing", status: RESOLVED) { name status customer { ${CUSTOMER} } } }`,
        { ref },
      );
      const customer = data.updateIntent.customer;
      expect(data.updateIntent.status).toBe('RESOLVED');
      expect(customer.openIntents).toEqual([]);
      expect(customer.intents).toEqual([{ name: 'billing', status: 'RESOLVED', attemptCount: 1 }]);
      expect(customer).toEqual(await stored(ref));
    });

    it('linkIdentity: the customer’s identities list the new ones', async () => {
      const ref = await startCall(gql, unique('link'), { ani: '4155550200' });
      const crm = unique('crm');
      const data = await readThenWrite([ref], `mutation($ref: ID!, $identity: IdentityInput!) { linkIdentity(customerRef: $ref, identity: $identity) { ${CUSTOMER} } }`, {
        ref,
        identity: { externalId: { key: 'crm_id', value: crm } },
      });
      expect(data.linkIdentity.identities.map((i: { value: string }) => i.value)).toEqual(expect.arrayContaining([crm, '+14155550200']));
      expect(data.linkIdentity).toEqual(await stored(ref));
    });

    it('unlinkIdentity: the customer’s identities no longer list the number', async () => {
      const crm = unique('crm');
      const ref = await startCall(gql, unique('unlink'), { ani: '4155550300', externalIds: [{ key: 'crm_id', value: crm }] });
      const data = await readThenWrite([ref], `mutation($ref: ID!) { unlinkIdentity(customerRef: $ref, identity: { ani: "4155550300" }) { ${CUSTOMER} } }`, { ref });
      expect(data.unlinkIdentity.identities.map((i: { value: string }) => i.value)).toEqual([crm]);
      expect(data.unlinkIdentity).toEqual(await stored(ref));
    });

    it('mergeCustomers: the survivor holds the source’s calls, identities, intents and variables', async () => {
      const source = await recordCall(gql, unique('merge-source'), { ani: '4155550400' }, { intent: 'Billing', variables: [{ name: 'from', value: 'source' }] });
      const target = await recordCall(gql, unique('merge-target'), { ani: '4155550401' }, { variables: [{ name: 'kept', value: 'target' }] });
      const data = await readThenWrite([source, target], `mutation($source: ID!, $target: ID!) { mergeCustomers(sourceRef: $source, targetRef: $target) { ${CUSTOMER} } }`, {
        source,
        target,
      });
      const merged = data.mergeCustomers;
      expect(merged.ref).toBe(target);
      expect(merged.callCount).toBe(2);
      expect(merged.calls.totalCount).toBe(2);
      expect(merged.identities.map((i: { value: string }) => i.value).sort()).toEqual(['+14155550400', '+14155550401']);
      expect(merged.variables).toEqual([{ name: 'from', value: 'source' }, { name: 'kept', value: 'target' }]);
      expect(merged.openIntents.map((i: { name: string }) => i.name)).toEqual(['billing']);
      expect(merged).toEqual(await stored(target));
    });

    it('eraseCustomer: the customer read before is gone after, in the same request', async () => {
      const ref = await recordCall(gql, unique('erase'), { ani: ani() }, { intent: 'Billing', variables: [{ name: 'tier', value: 'gold' }] });
      const request = await oneRequest(t, gql.key);
      expect((await request.run(READ, { ref })).customer.ref).toBe(ref);
      const data = await request.run('mutation($ref: ID!) { eraseCustomer(ref: $ref) { customerRef calls intents variables } }', { ref });
      expect(data.eraseCustomer).toEqual({ customerRef: ref, calls: 1, intents: 1, variables: 1 });
      expect((await request.run(READ, { ref })).customer).toBeNull();
    });

    it('exportCustomer: the export shows a write the same request made after reading the customer', async () => {
      const ref = await recordCall(gql, unique('export'), { ani: ani() }, { variables: [{ name: 'tier', value: 'silver' }] });
      const request = await oneRequest(t, gql.key);
      await request.run(READ, { ref });
      await request.run(SET_VARIABLES, { ref, variables: [{ name: 'tier', value: 'gold' }] });
      const data = await request.run('mutation($ref: ID!) { exportCustomer(ref: $ref) }', { ref });
      expect(data.exportCustomer.variables.map((v: { name: string; value: string }) => ({ name: v.name, value: v.value }))).toEqual((await stored(ref)).variables);
    });

    it('liftTombstone: the tombstones read before no longer list the lifted one', async () => {
      const client = await graphqlClient(t, { role: ApiKeyRole.ADMIN });
      const ref = await recordCall(client, unique('lift'), { ani: ani() });
      await client.data('mutation($ref: ID!) { eraseCustomer(ref: $ref) { customerRef } }', { ref });
      const request = await oneRequest(t, client.key);
      const before = (await request.run('{ tombstones(first: 10) { totalCount items { id } } }')).tombstones;
      await request.run('mutation($id: ID!) { liftTombstone(id: $id) { id } }', { id: before.items[0].id });
      const after = (await request.run('{ tombstones(first: 10) { totalCount items { id } } }')).tombstones;
      expect(after.totalCount).toBe(before.totalCount - 1);
      expect(after.items.map((i: { id: string }) => i.id)).not.toContain(before.items[0].id);
    });

    describe('key administration and limits (admin keys)', () => {
      const KEYS = '{ apiKeys { id name revokedAt expiresAt } }';
      const adminRequest = async () => oneRequest(t, (await graphqlClient(t, { role: ApiKeyRole.ADMIN, environment: Environment.PROD })).key);

      it('createApiKey: the keys read before now list the new one', async () => {
        const request = await adminRequest();
        const before = (await request.run(KEYS)).apiKeys;
        const created = (await request.run('mutation { createApiKey(input: { name: "fresh" }) { apiKey { id } } }')).createApiKey;
        const after = (await request.run(KEYS)).apiKeys;
        expect(after).toHaveLength(before.length + 1);
        expect(after.map((k: { id: string }) => k.id)).toContain(created.apiKey.id);
      });

      it('revokeApiKey: the keys read before show the key revoked', async () => {
        const request = await adminRequest();
        const { id } = (await request.run('mutation { createApiKey(input: { name: "to revoke" }) { apiKey { id } } }')).createApiKey.apiKey;
        expect((await request.run(KEYS)).apiKeys.find((k: { id: string }) => k.id === id).revokedAt).toBeNull();
        await request.run('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id });
        expect((await request.run(KEYS)).apiKeys.find((k: { id: string }) => k.id === id).revokedAt).toBe(clock.now().toISOString());
      });

      it('rotateApiKey: the keys read before show the old key expiring and the new one', async () => {
        const request = await adminRequest();
        const { id } = (await request.run('mutation { createApiKey(input: { name: "to rotate" }) { apiKey { id } } }')).createApiKey.apiKey;
        expect((await request.run(KEYS)).apiKeys.find((k: { id: string }) => k.id === id).expiresAt).toBeNull();
        const rotated = (await request.run('mutation($id: ID!) { rotateApiKey(id: $id, overlapSeconds: 60) { apiKey { id } } }', { id })).rotateApiKey;
        const after = (await request.run(KEYS)).apiKeys;
        expect(after.find((k: { id: string }) => k.id === id).expiresAt).toBe(new Date(clock.now().getTime() + 60_000).toISOString());
        expect(after.map((k: { id: string }) => k.id)).toContain(rotated.apiKey.id);
      });

      it('setLimits: the limits read before show the new values', async () => {
        const request = await adminRequest();
        const READ_LIMITS = '{ limits { requestsPerMinute { value source } } }';
        expect((await request.run(READ_LIMITS)).limits.requestsPerMinute.source).toBe('DEFAULT');
        await request.run('mutation { setLimits(input: { requestsPerMinute: 321 }) { windowSeconds } }');
        expect((await request.run(READ_LIMITS)).limits.requestsPerMinute).toEqual({ value: 321, source: 'ORGANISATION' });
      });
    });
  });

  it('reads after a mutation in the same request see the write too', async () => {
    const ref = await recordCall(gql, unique('after'), { ani: ani() }, { variables: [{ name: 'tier', value: 'silver' }] });
    const request = await oneRequest(t, gql.key);
    await request.run(READ, { ref });
    await request.run(SET_VARIABLES, { ref, variables: [{ name: 'tier', value: 'gold' }] });
    expect((await request.run(READ, { ref })).customer).toEqual(await stored(ref));
    expect((await stored(ref)).variables).toEqual([{ name: 'tier', value: 'gold' }]);
  });

  it('a customer the request held before a write is read again afterwards (its own columns too)', async () => {
    const number = ani();
    const source = await recordCall(gql, unique('held-source'), { ani: ani() });
    const target = await recordCall(gql, unique('held-target'), { ani: number });
    const request = await oneRequest(t, gql.key);
    await request.run(READ, { ref: source });
    await request.run(READ, { ref: target });
    clock.advance(1000);
    await request.run(`mutation($input: StartCallInput!) { startCall(input: $input) { replayed } }`, { input: { callId: unique('held-start'), hints: { ani: number } } });
    await request.run(`mutation($source: ID!, $target: ID!) { mergeCustomers(sourceRef: $source, targetRef: $target) { ref } }`, { source, target });
    // The source's ref now leads to the target, whose row the start and the merge both changed.
    const read = (await request.run(READ, { ref: source })).customer;
    expect(read.callCount).toBe(3);
    expect(read).toEqual(await stored(target));
  });

  it('a merged ref read before and after a write in the same request leads to the survivor as written', async () => {
    const number = ani();
    const source = await recordCall(gql, unique('followed-source'), { ani: ani() });
    const target = await recordCall(gql, unique('followed-target'), { ani: number });
    await gql.data(`mutation($source: ID!, $target: ID!) { mergeCustomers(sourceRef: $source, targetRef: $target) { ref } }`, { source, target });
    const request = await oneRequest(t, gql.key);
    expect((await request.run(READ, { ref: source })).customer.callCount).toBe(2);
    clock.advance(1000);
    await request.run(`mutation($input: StartCallInput!) { startCall(input: $input) { replayed } }`, { input: { callId: unique('followed-start'), hints: { ani: number } } });
    const read = (await request.run(READ, { ref: source })).customer;
    expect(read.callCount).toBe(3);
    expect(read).toEqual(await stored(target));
  });
});
