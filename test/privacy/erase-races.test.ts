/**
 * Erase racing the calls of the same customer: whatever the order, nothing of the erased customer comes
 * back. On PostgreSQL the erase takes the customer's row lock first, as every writer of a customer does;
 * an end that waited behind it finds the customer gone, runs again and meets the tombstones.
 */
import { Client } from 'pg';

import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';
import { callerRows, keyClient, type KeyClient } from './privacy-client';

const ANI = '+14155550188';

/** How many of this database's statements wait on a lock. */
async function waiters(client: Client): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'`,
  );
  return rows[0].n;
}

/** Waits (bounded) until `n` statements wait on a lock. */
async function untilWaiting(client: Client, n: number): Promise<void> {
  for (let attempt = 0; attempt < 200 && (await waiters(client)) < n; attempt++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(await waiters(client)).toBeGreaterThanOrEqual(n);
}

/** A customer with `calls` started calls from ANI. */
async function customerWithCalls(client: KeyClient, prefix: string, calls: number): Promise<{ ref: string; callIds: string[] }> {
  const callIds = Array.from({ length: calls }, (_, i) => `${prefix}-${i}`);
  let ref = '';
  for (const callId of callIds) ref = (await client.start({ call_id: callId, identity_hints: { ani: ANI } }).expect(200)).body.customer_ref;
  return { ref, callIds };
}

describe.each(ENGINES)('erase racing calls on %s', (engine) => {
  let t: TestApp;
  let client: KeyClient & { organisation: { id: string } };

  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    client = await keyClient(t);
  });

  it('leaves nothing of the customer when its ends, and new calls from its number, run concurrently with the erase', async () => {
    const { ref, callIds } = await customerWithCalls(client, 'storm', 8);
    const ends = callIds.map((callId) => client.end({ call_id: callId, customer_ref: '', intent: 'refund', variables: { name: 'Old Name' } }).then((res) => res.status));
    const starts = [0, 1, 2].map((i) => client.start({ call_id: `storm-new-${i}`, identity_hints: { ani: ANI } }).then((res) => res.status));
    const erase = client.erase(ref).then((res) => res.status);
    const statuses = await Promise.all([...ends, ...starts, erase]);
    expect(statuses.every((status) => status === 200)).toBe(true);
    // Ends that ran before the erase were erased with the customer; those after it wrote nothing. New calls
    // after the erase made fresh customers, which hold no intent and no variable.
    const rows = await callerRows(t, client.organisation.id);
    expect(rows).toMatchObject({ intents: 0, variables: 0 });
    for (const callId of callIds) expect((await client.start({ call_id: callId, identity_hints: { ani: ANI } }).expect(200)).body.variables).toEqual({});
  });

});

// Only PostgreSQL has row locks to queue behind (SQLite runs writes one at a time).
describe('erase racing calls on postgresql, behind the customer’s lock', () => {
  let t: TestApp;
  let client: KeyClient & { organisation: { id: string } };

  beforeAll(async () => {
    t = await createTestApp('postgresql');
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    client = await keyClient(t);
  });

  it('an end queued behind the erase on the customer’s lock writes nothing', async () => {
    const { ref, callIds } = await customerWithCalls(client, 'queued', 1);
    const customerId = (await t.orm.em.getConnection().execute<{ id: string }[]>('select id from customers where ref = ?', [ref]))[0].id;
    const blocker = new Client({ connectionString: t.orm.config.get('clientUrl') });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('select id from customers where id = $1 for update', [customerId]);
      const erase = client.erase(ref).then((res) => res.status);
      await untilWaiting(blocker, 1);
      const end = client.end({ call_id: callIds[0], customer_ref: ref, intent: 'refund', variables: { name: 'Old Name' } }).then((res) => res);
      await untilWaiting(blocker, 2);
      await blocker.query('commit');
      expect(await erase).toBe(200);
      const ended = await end;
      expect(ended.status).toBe(200);
      expect(ended.body).toMatchObject({ intents_updated: 0, variables_updated: 0 });
    } finally {
      await blocker.end();
    }
    expect(await callerRows(t, client.organisation.id)).toEqual({ customers: 0, calls: 0, phone_identities: 0, external_identities: 0, intents: 0, variables: 0 });
  });
});
