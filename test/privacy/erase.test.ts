/** Erase on request (contract §8, issue 12): what goes, what stays, and that replays after it revive nothing. */
import { ApiKeyRole } from '../../src/tenancy/api-key-role';
import { Environment } from '../../src/tenancy/environment';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';
import { callerRows, keyClient, privacyTableText, type KeyClient } from './privacy-client';

const ANI = '+14155550142';
const SECRET_VALUE = 'Jane Q. Erasable';

/** A customer with two calls, a number, an external id, an intent and two variables. */
async function knownCustomer(client: KeyClient, prefix: string): Promise<{ ref: string; starts: object[]; ends: object[] }> {
  const starts = [
    { call_id: `${prefix}-1`, identity_hints: { ani: ANI, external_ids: { crm_id: `${prefix}-crm` } } },
    { call_id: `${prefix}-2`, identity_hints: { ani: ANI } },
  ];
  const first = await client.start(starts[0]).expect(200);
  const ref = first.body.customer_ref as string;
  const ends = [
    { call_id: `${prefix}-1`, customer_ref: ref, intent: 'refund request', variables: { name: SECRET_VALUE, tier: 'gold' } },
    { call_id: `${prefix}-2`, customer_ref: ref, intent: 'refund request' },
  ];
  await client.end(ends[0]).expect(200);
  const second = await client.start(starts[1]).expect(200);
  expect(second.body.customer_ref).toBe(ref);
  await client.end(ends[1]).expect(200);
  return { ref, starts, ends };
}

describe.each(ENGINES)('erasing a customer on %s', (engine) => {
  let t: TestApp;
  let client: KeyClient & { organisation: { id: string } };

  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    client = await keyClient(t);
  });

  it('removes the calls, identities, intents and variables and changes nothing of other customers or tenants', async () => {
    const erased = await knownCustomer(client, 'erase');
    const kept = await client.start({ call_id: 'kept-1', identity_hints: { ani: '+14155550199' } }).expect(200);
    await client.end({ call_id: 'kept-1', customer_ref: kept.body.customer_ref, intent: 'billing', variables: { name: 'Kept' } }).expect(200);
    const other = await keyClient(t);
    await knownCustomer(other, 'erase');
    const prod = await keyClient(t, { organisation: client.organisation as never, environment: Environment.PROD });
    await knownCustomer(prod, 'erase');
    const otherBefore = await callerRows(t, other.organisation.id);
    const prodBefore = await callerRows(t, client.organisation.id, Environment.PROD);

    const res = await client.erase(erased.ref).expect(200);
    expect(res.body).toEqual({
      customer_ref: erased.ref,
      erased_at: expect.any(String),
      erased: { calls: 2, identities: 2, intents: 1, variables: 2 },
      tombstones: 5,
    });
    expect(await callerRows(t, client.organisation.id)).toEqual({ customers: 1, calls: 1, phone_identities: 1, external_identities: 0, intents: 1, variables: 1 });
    expect(await callerRows(t, other.organisation.id)).toEqual(otherBefore);
    expect(await callerRows(t, client.organisation.id, Environment.PROD)).toEqual(prodBefore);
    const keptExport = await client.exportCustomer(kept.body.customer_ref).expect(200);
    expect(keptExport.body.variables.map((v: { value: string }) => v.value)).toEqual(['Kept']);
  });

  it('keeps tombstones as keyed hashes: no call id, ref, number or external id in clear', async () => {
    const erased = await knownCustomer(client, 'hashes');
    await client.erase(erased.ref).expect(200);
    const text = await privacyTableText(t);
    for (const value of [erased.ref, ANI, '4155550142', 'hashes-1', 'hashes-2', 'hashes-crm', SECRET_VALUE]) expect(text).not.toContain(value);
  });

  it('answers a replayed start of an erased call as a fresh empty customer, and stores nothing', async () => {
    const erased = await knownCustomer(client, 'replay-start');
    await client.erase(erased.ref).expect(200);

    const replay = await client.start(erased.starts[0]).expect(200);
    expect(replay.body.customer_ref).not.toBe(erased.ref);
    expect(replay.body.identity).toEqual({ confidence: 0, level: 'low', sources: [], recommendation: 'ignore' });
    expect(replay.body.open_intents).toEqual([]);
    expect(replay.body.variables).toEqual({});
    expect(replay.body.flat).toMatchObject({ is_returning: 'false', customer_name: '', open_intents: '', call_count: 1 });
    // A retry of it answers the same stand-in ref.
    expect((await client.start(erased.starts[0]).expect(200)).body.customer_ref).toBe(replay.body.customer_ref);
    expect(await callerRows(t, client.organisation.id)).toEqual({ customers: 0, calls: 0, phone_identities: 0, external_identities: 0, intents: 0, variables: 0 });
    await client.exportCustomer(replay.body.customer_ref).expect(404);
  });

  it('writes nothing for a replayed end of an erased call, whether or not its start was replayed first', async () => {
    const erased = await knownCustomer(client, 'replay-end');
    await client.erase(erased.ref).expect(200);

    const end = await client.end(erased.ends[0]).expect(200);
    expect(end.body).toMatchObject({ call_id: 'replay-end-1', intents_updated: 0, variables_updated: 0, duration_seconds: 0 });
    expect(end.body.customer_ref).not.toBe(erased.ref);
    await client.start(erased.starts[1]).expect(200);
    await client.end(erased.ends[1]).expect(200);
    // A late end of the erased call with hints and no ref (a standalone end) writes nothing either.
    await client.end({ call_id: 'replay-end-1', identity_hints: { ani: ANI }, intent: 'refund', variables: { name: SECRET_VALUE } }).expect(200);
    expect(await callerRows(t, client.organisation.id)).toEqual({ customers: 0, calls: 0, phone_identities: 0, external_identities: 0, intents: 0, variables: 0 });
  });

  it('starts a fresh empty customer for a new call from the erased number', async () => {
    const erased = await knownCustomer(client, 'new-call');
    await client.erase(erased.ref).expect(200);

    const fresh = await client.start({ call_id: 'new-call-3', identity_hints: { ani: ANI, external_ids: { crm_id: 'new-call-crm' } } }).expect(200);
    expect(fresh.body.customer_ref).not.toBe(erased.ref);
    expect(fresh.body.identity.confidence).toBe(0);
    expect(fresh.body.open_intents).toEqual([]);
    expect(fresh.body.variables).toEqual({});
    expect(fresh.body.flat).toMatchObject({ is_returning: 'false', last_intent: '', call_count: 1 });
    // From then on the number is the new customer's, holding only what was learnt after the erase.
    const exported = await client.exportCustomer(fresh.body.customer_ref).expect(200);
    expect(exported.body.calls.map((c: { call_id: string }) => c.call_id)).toEqual(['new-call-3']);
    expect(exported.body.intents).toEqual([]);
  });

  it('writes nothing for a standalone end carrying the erased ref, or only erased identities', async () => {
    const erased = await knownCustomer(client, 'late');
    await client.erase(erased.ref).expect(200);

    const byRef = await client.end({ call_id: 'late-unseen-1', customer_ref: erased.ref, intent: 'refund', variables: { name: SECRET_VALUE } }).expect(200);
    expect(byRef.body).toMatchObject({ intents_updated: 0, variables_updated: 0 });
    const byNumber = await client.end({ call_id: 'late-unseen-2', identity_hints: { ani: ANI, external_ids: { crm_id: 'late-crm' } }, intent: 'refund' }).expect(200);
    expect(byNumber.body).toMatchObject({ intents_updated: 0, variables_updated: 0 });
    expect(await callerRows(t, client.organisation.id)).toEqual({ customers: 0, calls: 0, phone_identities: 0, external_identities: 0, intents: 0, variables: 0 });
    // A hint that was never erased makes it an ordinary standalone end.
    const mixed = await client.end({ call_id: 'late-unseen-3', identity_hints: { ani: ANI, external_ids: { crm_id: 'someone-new' } }, intent: 'refund' }).expect(200);
    expect(mixed.body.intents_updated).toBe(1);
  });

  it('does not erase a number another customer still holds: that customer keeps getting its calls', async () => {
    const household = '+14155550155';
    const erased = await client.start({ call_id: 'shared-1', identity_hints: { ani: household } }).expect(200);
    const other = await client.start({ call_id: 'shared-2', identity_hints: { ani: '+14155550156' } }).expect(200);
    const linked = await client.graphql('mutation($ref: ID!, $ani: String!) { linkIdentity(customerRef: $ref, identity: { ani: $ani }) { ref } }', { ref: other.body.customer_ref, ani: household });
    expect(linked.errors).toBeUndefined();
    expect((await client.erase(erased.body.customer_ref).expect(200)).body).toMatchObject({ erased: { calls: 1, identities: 1 }, tombstones: 2 });
    const end = await client.end({ call_id: 'shared-3', identity_hints: { ani: household }, intent: 'billing' }).expect(200);
    expect(end.body).toMatchObject({ customer_ref: other.body.customer_ref, intents_updated: 1 });
  });

  it('leaves the erased calls’ screen-pop links showing nothing of the customer', async () => {
    const erased = await knownCustomer(client, 'pop');
    const again = await client.start({ call_id: 'pop-3', identity_hints: { ani: ANI } }).expect(200);
    const link = new URL(again.body.flat.screen_pop_url as string);
    const request = (await import('supertest')).default;
    const before = await request(t.app).get(link.pathname);
    expect(before.status).toBe(200);
    expect(before.text).toContain(SECRET_VALUE);
    await client.erase(erased.ref).expect(200);
    const after = await request(t.app).get(link.pathname);
    expect(after.status).toBe(403);
    expect(after.text).not.toContain(SECRET_VALUE);
  });

  it('answers 404 to an unknown ref, a second erase and an erased ref, 400 to a malformed one, 401 without a key, 405 to other methods', async () => {
    const erased = await knownCustomer(client, 'errors');
    await client.erase('6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b').expect(404);
    await client.erase(erased.ref).expect(200);
    const again = await client.erase(erased.ref).expect(404);
    expect(again.body).toEqual({ error: 'Not Found', message: 'No customer with this ref' });
    await client.exportCustomer(erased.ref).expect(404);
    const malformed = await client.erase('not-a-ref').expect(400);
    expect(malformed.body.details.issues).toEqual([{ path: ['ref'], message: 'ref must be a customer ref (a UUID)' }]);
    const request = (await import('supertest')).default;
    const anonymous = await request(t.app).delete(`/v1/customers/${erased.ref}`);
    expect(anonymous.status).toBe(401);
    const put = await request(t.app).put(`/v1/customers/${erased.ref}`).set('Authorization', `Bearer ${client.key}`);
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, DELETE');
  });

  it('erases through GraphQL too, for an ordinary key, and the ref of a customer merged into it with it', async () => {
    const a = await client.start({ call_id: 'gql-a', identity_hints: { ani: '+14155550111' } }).expect(200);
    const b = await client.start({ call_id: 'gql-b', identity_hints: { ani: '+14155550112' } }).expect(200);
    const merge = await client.graphql('mutation($s: ID!, $t: ID!) { mergeCustomers(sourceRef: $s, targetRef: $t) { ref } }', { s: a.body.customer_ref, t: b.body.customer_ref });
    expect(merge.errors).toBeUndefined();
    const res = await client.graphql('mutation($ref: ID!) { eraseCustomer(ref: $ref) { customerRef calls identities intents variables tombstones } }', { ref: a.body.customer_ref });
    expect(res.errors).toBeUndefined();
    expect(res.data.eraseCustomer).toEqual({ customerRef: b.body.customer_ref, calls: 2, identities: 2, intents: 0, variables: 0, tombstones: 6 });
    expect(await callerRows(t, client.organisation.id)).toEqual({ customers: 0, calls: 0, phone_identities: 0, external_identities: 0, intents: 0, variables: 0 });
    const unknown = await client.graphql('mutation($ref: ID!) { eraseCustomer(ref: $ref) { customerRef } }', { ref: a.body.customer_ref });
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses another organisation’s and another environment’s ref as unknown, changing nothing', async () => {
    const erased = await knownCustomer(client, 'tenancy');
    const before = await callerRows(t, client.organisation.id);
    const stranger = await keyClient(t);
    const prod = await keyClient(t, { organisation: client.organisation as never, environment: Environment.PROD, role: ApiKeyRole.ADMIN });
    for (const other of [stranger, prod]) {
      await other.erase(erased.ref).expect(404);
      await other.exportCustomer(erased.ref).expect(404);
      const gql = await other.graphql('mutation($ref: ID!) { eraseCustomer(ref: $ref) { customerRef } }', { ref: erased.ref });
      expect(gql.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
    expect(await callerRows(t, client.organisation.id)).toEqual(before);
  });
});
