/**
 * Export completeness (issue 12): every call's start snapshot is in the export while it is kept, and a
 * customer with very many calls gets all of them in one valid answer, REST and GraphQL.
 */
import { statementsOf } from '../support/query-counter';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';
import { keyClient, type KeyClient } from './privacy-client';

type Row = Record<string, unknown>;

describe.each(ENGINES)('export completeness on %s', (engine) => {
  let t: TestApp;
  let client: KeyClient;

  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    client = await keyClient(t);
  });

  const execute = (sql: string, params: unknown[] = []) => t.orm.em.getConnection().execute<Row[]>(sql, params);

  it('includes each call’s start snapshot (what its start answered), snake_case in REST and camelCase in GraphQL', async () => {
    const first = await client.start({ call_id: 'snap-1', identity_hints: { ani: '+14155550170' } }).expect(200);
    const ref = first.body.customer_ref as string;
    await client.end({ call_id: 'snap-1', customer_ref: ref, intent: 'refund_request', variables: { name: 'Ada' } }).expect(200);
    await client.start({ call_id: 'snap-2', identity_hints: { ani: '+14155550170' } }).expect(200);

    const rest = (await client.exportCustomer(ref).expect(200)).body;
    const byId = (id: string) => rest.calls.find((c: { call_id: string }) => c.call_id === id);
    expect(byId('snap-1').start_snapshot).toMatchObject({ call_count: 1, previous_call_at: null, open_intents: [], variables: [] });
    expect(byId('snap-2').start_snapshot).toMatchObject({
      call_count: 2,
      previous_call_at: expect.any(String),
      open_intents: [{ intent: 'refund_request', status: 'open', attempt_count: 1, last_call_id: 'snap-1' }],
      variables: [{ name: 'name', value: 'Ada', source: null, ttl_seconds: 2592000, last_call_id: 'snap-1' }],
    });

    const gql = await client.graphql('mutation($ref: ID!) { exportCustomer(ref: $ref) }', { ref });
    expect(gql.errors).toBeUndefined();
    const call = gql.data.exportCustomer.calls.find((c: { callId: string }) => c.callId === 'snap-2');
    expect(call.startSnapshot).toMatchObject({
      callCount: 2,
      openIntents: [{ name: 'refund_request', status: 'open', attemptCount: 1, lastCallId: 'snap-1' }],
      variables: [{ name: 'name', value: 'Ada', ttlSeconds: 2592000 }],
    });

    // Once the replay window's purge has dropped it, the call says so with null.
    await execute('update calls set start_snapshot = null where call_id = ?', ['snap-1']);
    const later = (await client.exportCustomer(ref).expect(200)).body;
    expect(later.calls.find((c: { call_id: string }) => c.call_id === 'snap-1').start_snapshot).toBeNull();
  });

  it('exports every one of a customer’s 1,000 calls, each with its snapshot, in one valid answer', async () => {
    const first = await client.start({ call_id: 'many-0', identity_hints: { ani: '+14155550171' } }).expect(200);
    const ref = first.body.customer_ref as string;
    await client.end({ call_id: 'many-0', customer_ref: ref, intent: 'billing', variables: { tier: 'gold' } }).expect(200);
    // 999 more calls of the same customer, copies of the first one (snapshot included), a second apart.
    const [original] = await execute('select * from calls where call_id = ?', ['many-0']);
    const copied = Object.keys(original).filter((column) => !['id', 'call_id', 'started_at'].includes(column));
    const base = new Date(String(first.body.call_start ?? new Date().toISOString())).getTime();
    const date = (ms: number) => (engine === 'sqlite' ? ms : new Date(ms));
    await t.orm.em.fork().transactional(async (em) => {
      const connection = em.getConnection();
      for (let i = 1; i < 1000; i++) {
        await connection.execute(
          `insert into calls (id, call_id, started_at, ${copied.join(', ')}) select ?, ?, ?, ${copied.join(', ')} from calls where call_id = ?`,
          [crypto.randomUUID(), `many-${i}`, date(base - i * 1000), 'many-0'],
          'run',
          em.getTransactionContext(),
        );
      }
    });

    const rest = (await client.exportCustomer(ref).expect(200)).body;
    expect(rest.calls).toHaveLength(1000);
    expect(new Set(rest.calls.map((c: { call_id: string }) => c.call_id))).toEqual(new Set(Array.from({ length: 1000 }, (_, i) => `many-${i}`)));
    // Newest first, every one with the snapshot its start stored.
    expect(rest.calls[0].call_id).toBe('many-0');
    expect(rest.calls[999].call_id).toBe('many-999');
    const snapshot = rest.calls[0].start_snapshot;
    expect(snapshot).toMatchObject({ call_count: 1, open_intents: [], variables: [] });
    expect(rest.calls.every((c: { start_snapshot: unknown }) => JSON.stringify(c.start_snapshot) === JSON.stringify(snapshot))).toBe(true);
    expect(rest.intents).toHaveLength(1);
    expect(rest.variables).toHaveLength(1);

    const gql = await client.graphql('mutation($ref: ID!) { exportCustomer(ref: $ref) }', { ref });
    expect(gql.errors).toBeUndefined();
    expect(gql.data.exportCustomer.calls).toHaveLength(1000);
    expect(gql.data.exportCustomer.calls.filter((c: { startSnapshot: unknown }) => c.startSnapshot !== null)).toHaveLength(1000);
  });

});

// The group commit is SQLite's alone (PostgreSQL runs each request in a pooled transaction of its own).
describe('export on sqlite, beside the group commit', () => {
  let t: TestApp;
  let client: KeyClient;

  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    client = await keyClient(t);
  });

  it('reads the export in a read transaction of its own, never as a unit of the group commit', async () => {
    const start = await client.start({ call_id: 'own-1', identity_hints: { ani: '+14155550172' } }).expect(200);
    const statements = await statementsOf(t.orm, () => client.exportCustomer(start.body.customer_ref).expect(200));
    const read = statements.findIndex((s) => /from calls where/.test(s));
    const transaction = statements.slice(statements.lastIndexOf('begin', read), read);
    expect(transaction[0]).toBe('begin');
    expect(transaction).not.toContain('savepoint unit');
    // The audit entry is written afterwards, in the group commit.
    const audit = statements.findIndex((s) => /insert into privacy_audit/.test(s));
    expect(audit).toBeGreaterThan(read);
    expect(statements.slice(read, audit)).toContain('savepoint unit');
  });
});
