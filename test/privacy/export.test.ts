/** Export on request (contract §8, issue 12): everything held about one customer, for its tenant only. */
import { ApiKeyRole } from '../../src/tenancy/api-key-role';
import { Environment } from '../../src/tenancy/environment';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';
import { keyClient, type KeyClient } from './privacy-client';

describe.each(ENGINES)('exporting a customer on %s', (engine) => {
  let t: TestApp;
  let client: KeyClient & { organisation: { id: string } };

  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    client = await keyClient(t);
  });

  it('returns the customer, identities, calls with outcomes, intents, variables with expiry and merged refs', async () => {
    const first = await client.start({ call_id: 'exp-1', identity_hints: { ani: '(415) 555-0160', dnis: '8005550100', external_ids: { crm_id: 'C-9' } }, telco: { line_type: 'mobile' } }).expect(200);
    const ref = first.body.customer_ref as string;
    await client.end({ call_id: 'exp-1', customer_ref: ref, intent: 'Refund Request', variables: { name: 'Ada', tier: { value: 'gold', ttl_seconds: 3600, source: 'crm' } } }).expect(200);
    const other = await client.start({ call_id: 'exp-2', identity_hints: { ani: '+14155550161' } }).expect(200);
    await client.end({ call_id: 'exp-2', customer_ref: other.body.customer_ref, intent: 'billing', intent_status: 'resolved' }).expect(200);
    const merged = await client.graphql('mutation($s: ID!, $t: ID!) { mergeCustomers(sourceRef: $s, targetRef: $t) { ref } }', { s: other.body.customer_ref, t: ref });
    expect(merged.errors).toBeUndefined();

    const res = await client.exportCustomer(ref).expect(200);
    const body = res.body;
    expect(body.customer).toMatchObject({ customer_ref: ref, provisional: false, call_count: 2 });
    expect(body.merged_refs).toEqual([other.body.customer_ref]);
    expect(body.identities.phones.map((p: { number: string; line_type: string }) => [p.number, p.line_type])).toEqual([
      ['+14155550160', 'mobile'],
      ['+14155550161', 'unknown'],
    ]);
    expect(body.identities.external_ids).toEqual([{ key: 'crm_id', value: 'C-9', first_seen_at: expect.any(String), last_seen_at: expect.any(String) }]);
    expect(body.calls.map((c: { call_id: string }) => c.call_id).sort()).toEqual(['exp-1', 'exp-2']);
    const call = body.calls.find((c: { call_id: string }) => c.call_id === 'exp-1');
    expect(call).toMatchObject({ ani: '+14155550160', ani_as_sent: '(415) 555-0160', dnis: '8005550100', intent: 'refund_request', intent_status: 'open', variables_written: ['name', 'tier'] });
    expect(call.call_end).toEqual(expect.any(String));
    expect(body.intents.map((i: { intent: string; status: string }) => [i.intent, i.status]).sort()).toEqual([
      ['billing', 'resolved'],
      ['refund_request', 'open'],
    ]);
    expect(body.variables).toEqual([
      { name: 'name', value: 'Ada', source: null, ttl_seconds: 2592000, expires_at: expect.any(String), last_call_id: 'exp-1', updated_at: expect.any(String) },
      { name: 'tier', value: 'gold', source: 'crm', ttl_seconds: 3600, expires_at: expect.any(String), last_call_id: 'exp-1', updated_at: expect.any(String) },
    ]);
    // The merged-away ref exports the same customer.
    const byOldRef = await client.exportCustomer(other.body.customer_ref).expect(200);
    expect(byOldRef.body.customer.customer_ref).toBe(ref);
  });

  it('answers the same document in GraphQL (camelCase)', async () => {
    const start = await client.start({ call_id: 'exp-gql', identity_hints: { ani: '+14155550162' } }).expect(200);
    await client.end({ call_id: 'exp-gql', customer_ref: start.body.customer_ref, variables: { name: 'Bo' } }).expect(200);
    const res = await client.graphql('mutation($ref: ID!) { exportCustomer(ref: $ref) }', { ref: start.body.customer_ref });
    expect(res.errors).toBeUndefined();
    expect(res.data.exportCustomer).toMatchObject({
      customer: { ref: start.body.customer_ref, callCount: 1 },
      phones: [{ number: '+14155550162' }],
      calls: [{ callId: 'exp-gql' }],
      variables: [{ name: 'name', value: 'Bo' }],
    });
  });

  it('is for the calling tenant only: another organisation’s or environment’s ref is 404 like an unknown one', async () => {
    const start = await client.start({ call_id: 'exp-tenancy', identity_hints: { ani: '+14155550163' } }).expect(200);
    const ref = start.body.customer_ref as string;
    const stranger = await keyClient(t, { role: ApiKeyRole.ADMIN });
    const prod = await keyClient(t, { organisation: client.organisation as never, environment: Environment.PROD });
    for (const other of [stranger, prod]) {
      const res = await other.exportCustomer(ref).expect(404);
      expect(res.body).toEqual({ error: 'Not Found', message: 'No customer with this ref' });
      const gql = await other.graphql('mutation($ref: ID!) { exportCustomer(ref: $ref) }', { ref });
      expect(gql.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
  });
});
