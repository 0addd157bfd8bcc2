/** Tombstones and the privacy audit: admin keys list and lift tombstones and read the audit; ordinary keys cannot. */
import { ApiKeyRole } from '../../src/tenancy/api-key-role';
import { Environment } from '../../src/tenancy/environment';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';
import { callerRows, keyClient, type KeyClient } from './privacy-client';

const ANI = '+14155550177';

const TOMBSTONES = 'query($after: String) { tombstones(first: 2, after: $after) { totalCount items { id kind erasedAt erasedBy } pageInfo { hasNextPage endCursor } } }';
const ALL_TOMBSTONES = 'query { tombstones(first: 100) { totalCount items { id kind erasedAt erasedBy } } }';
const LIFT = 'mutation($id: ID!) { liftTombstone(id: $id) { id kind erasedAt erasedBy liftedAt } }';
const AUDIT = 'query { privacyAudit(first: 100) { totalCount items { id action keyId at subject } } }';

/** A customer with one ended call from ANI: (call, ref, number) and an external id. */
async function erasedCustomer(client: KeyClient, callId: string): Promise<string> {
  const start = await client.start({ call_id: callId, identity_hints: { ani: ANI, external_ids: { crm_id: `${callId}-crm` } } }).expect(200);
  await client.end({ call_id: callId, customer_ref: start.body.customer_ref, intent: 'billing', variables: { name: 'Sam' } }).expect(200);
  await client.erase(start.body.customer_ref).expect(200);
  return start.body.customer_ref as string;
}

describe.each(ENGINES)('tombstones and the privacy audit on %s', (engine) => {
  let t: TestApp;
  let client: KeyClient & { organisation: { id: string } };
  let admin: KeyClient;

  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    client = await keyClient(t);
    admin = await keyClient(t, { organisation: client.organisation as never, role: ApiKeyRole.ADMIN });
  });

  it('lists the tenant’s tombstones to admin keys, newest first and paged: kind, time and key, never the values', async () => {
    await erasedCustomer(client, 'list-1');
    const first = await admin.graphql(TOMBSTONES);
    expect(first.errors).toBeUndefined();
    expect(first.data.tombstones.totalCount).toBe(4);
    expect(first.data.tombstones.items).toHaveLength(2);
    expect(first.data.tombstones.items[0]).toEqual({ id: expect.any(String), kind: expect.any(String), erasedAt: expect.any(String), erasedBy: client.keyId });
    const second = await admin.graphql(TOMBSTONES, { after: first.data.tombstones.pageInfo.endCursor });
    const kinds = [...first.data.tombstones.items, ...second.data.tombstones.items].map((i: { kind: string }) => i.kind).sort();
    expect(kinds).toEqual(['CALL', 'CUSTOMER_REF', 'EXTERNAL_ID', 'PHONE']);
    expect(second.data.tombstones.pageInfo.hasNextPage).toBe(false);
    // Another tenant's admin sees none of them.
    const stranger = await keyClient(t, { role: ApiKeyRole.ADMIN });
    expect((await stranger.graphql(ALL_TOMBSTONES)).data.tombstones.totalCount).toBe(0);
    const prodAdmin = await keyClient(t, { organisation: client.organisation as never, environment: Environment.PROD, role: ApiKeyRole.ADMIN });
    expect((await prodAdmin.graphql(ALL_TOMBSTONES)).data.tombstones.totalCount).toBe(0);
  });

  it('refuses tombstones, liftTombstone and privacyAudit to ordinary keys', async () => {
    await erasedCustomer(client, 'refused-1');
    const id = (await admin.graphql(ALL_TOMBSTONES)).data.tombstones.items[0].id as string;
    for (const [query, variables] of [[ALL_TOMBSTONES, {}], [LIFT, { id }], [AUDIT, {}]] as const) {
      const res = await client.graphql(query, variables);
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect((await admin.graphql(ALL_TOMBSTONES)).data.tombstones.totalCount).toBe(4);
  });

  it('lifting the call tombstone makes a start of that call id behave as never seen: a call is recorded again', async () => {
    await erasedCustomer(client, 'lift-call');
    const { items } = (await admin.graphql(ALL_TOMBSTONES)).data.tombstones;
    const call = items.find((i: { kind: string }) => i.kind === 'CALL');
    const lifted = await admin.graphql(LIFT, { id: call.id });
    expect(lifted.errors).toBeUndefined();
    expect(lifted.data.liftTombstone).toEqual({ id: call.id, kind: 'CALL', erasedAt: call.erasedAt, erasedBy: client.keyId, liftedAt: expect.any(String) });
    const start = await client.start({ call_id: 'lift-call', identity_hints: { ani: ANI } }).expect(200);
    expect(start.body.identity.confidence).toBe(0);
    expect(await callerRows(t, client.organisation.id)).toMatchObject({ customers: 1, calls: 1, phone_identities: 1 });
    const again = await admin.graphql(LIFT, { id: call.id });
    expect(again.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const malformed = await admin.graphql(LIFT, { id: 'nope' });
    expect(malformed.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('lifting the number’s and external id’s tombstones lets a standalone end from them be recorded again', async () => {
    await erasedCustomer(client, 'lift-identity');
    const hints = { ani: ANI, external_ids: { crm_id: 'lift-identity-crm' } };
    expect((await client.end({ call_id: 'lift-identity-late', identity_hints: hints, intent: 'billing' }).expect(200)).body.intents_updated).toBe(0);
    const { items } = (await admin.graphql(ALL_TOMBSTONES)).data.tombstones;
    for (const tombstone of items.filter((i: { kind: string }) => i.kind === 'PHONE' || i.kind === 'EXTERNAL_ID')) {
      expect((await admin.graphql(LIFT, { id: tombstone.id })).errors).toBeUndefined();
    }
    expect((await client.end({ call_id: 'lift-identity-late-2', identity_hints: hints, intent: 'billing' }).expect(200)).body.intents_updated).toBe(1);
  });

  it('a lifted tombstone of another tenant is not found', async () => {
    await erasedCustomer(client, 'lift-tenancy');
    const id = (await admin.graphql(ALL_TOMBSTONES)).data.tombstones.items[0].id as string;
    const stranger = await keyClient(t, { role: ApiKeyRole.ADMIN });
    expect((await stranger.graphql(LIFT, { id })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await admin.graphql(ALL_TOMBSTONES)).data.tombstones.totalCount).toBe(4);
  });

  it('audits every erase, export and lift with the key and a keyed hash of the subject, never the ref or data', async () => {
    const kept = await client.start({ call_id: 'audit-kept', identity_hints: { ani: '+14155550178' } }).expect(200);
    await client.exportCustomer(kept.body.customer_ref).expect(200);
    const ref = await erasedCustomer(client, 'audit-erased');
    const id = (await admin.graphql(ALL_TOMBSTONES)).data.tombstones.items[0].id as string;
    await admin.graphql(LIFT, { id });
    // Refused operations leave no entry.
    await client.exportCustomer('6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b').expect(404);

    const audit = await admin.graphql(AUDIT);
    expect(audit.errors).toBeUndefined();
    const { items, totalCount } = audit.data.privacyAudit;
    expect(totalCount).toBe(3);
    expect(items.map((i: { action: string }) => i.action)).toEqual(['LIFT_TOMBSTONE', 'ERASE', 'EXPORT']);
    expect(items.map((i: { keyId: string }) => i.keyId)).toEqual([admin.keyId, client.keyId, client.keyId]);
    for (const item of items) expect(item.subject).toMatch(/^[0-9a-f]{64}$/);
    const text = JSON.stringify(items);
    for (const value of [ref, kept.body.customer_ref, ANI, 'Sam']) expect(text).not.toContain(value);
    // The export and the erase were of two customers: two subjects.
    expect(items[1].subject).not.toBe(items[2].subject);
  });
});
