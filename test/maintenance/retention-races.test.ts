/**
 * The retention purge racing an end of an old call (PostgreSQL, where they run at once): the purge deletes
 * calls without the customer's lock, so an end that found its call and then waited for that lock can find
 * the call gone. It must not answer 500: it runs again and is answered as an end of an unknown call.
 */
import { Client } from 'pg';

import { purgeOldCalls } from '../../src/maintenance/call-retention';
import { restClient, type RestClient } from '../support/rest-client';
import { createTestApp, type TestApp } from '../support/test-app';

const DAY = 86_400_000;

/** How many statements of this database wait on a lock. */
async function waiters(client: Client): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'`,
  );
  return rows[0].n;
}

describe('the retention purge racing an end on postgresql', () => {
  let t: TestApp;
  let rest: RestClient;

  beforeAll(async () => {
    t = await createTestApp('postgresql');
    rest = await restClient(t);
  });
  afterAll(() => t.close());

  it('answers an end whose call was purged while it waited for the customer’s lock as an end of an unknown call, not 500', async () => {
    const started = await rest.post('/v1/calls/start', { call_id: 'purged-mid-end', identity_hints: { ani: '4155550177' } });
    expect(started.status).toBe(200);
    const ref = started.body.customer_ref as string;
    const holder = new Client({ connectionString: t.orm.config.get('clientUrl') });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select id from customers where ref = $1 for update', [ref]);
      // The end has read its call and waits for the customer's lock.
      const end = rest.post('/v1/calls/end', { call_id: 'purged-mid-end', intent: 'refund_request', variables: { name: 'Ada' } }).then((res) => res);
      for (let i = 0; i < 200 && (await waiters(holder)) < 1; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(await waiters(holder)).toBe(1);
      // Meanwhile the purge deletes the call (everything is older than a retention of one day, two days on).
      expect(await purgeOldCalls(t.orm.em.fork(), DAY, new Date(Date.now() + 2 * DAY))).toBe(1);
      await holder.query('commit');
      const answer = await end;
      expect([answer.status, answer.body.error]).toEqual([400, 'Bad Request']);
    } finally {
      await holder.end();
    }
    const [{ n }] = await t.orm.em.getConnection().execute<{ n: string }[]>('select count(*) as n from calls');
    expect(Number(n)).toBe(0);
  });
});
