/**
 * Several instances on one PostgreSQL database purge one at a time: the one that takes the purge lock does
 * the work, the others skip that run; nothing but old calls goes, and calls are served meanwhile.
 */
import { Client } from 'pg';

import type { TenantContext } from '../../src/calls/call.service';
import type { DatabaseConfig } from '../../src/config';
import { runPurge } from '../../src/maintenance/purge';
import { PURGE_LOCK_KEY } from '../../src/maintenance/purge-lock';
import { ManualClock } from '../../src/shared/clock';
import { Environment, type Tenant } from '../../src/tenancy/environment';
import { TENANT_FILTER } from '../../src/tenancy/tenant-scoped.entity';
import { DAY, T0 } from '../support/domain';
import { twoInstances, type Instance, type TwoInstances } from '../support/two-instances';

const OLD_CALLS = 120;

type PostgresConfig = Extract<DatabaseConfig, { engine: 'postgresql' }>;

describe('the purge across two instances on one PostgreSQL database', () => {
  let two: TwoInstances;
  let tenant: Tenant;
  const clock = new ManualClock(T0);

  const ctx = (): TenantContext => {
    const em = two.a.t.orm.em.fork();
    em.setFilterParams(TENANT_FILTER, tenant);
    return { em, tenant };
  };
  const count = async (table: string) => {
    const row = await two.a.t.orm.em.getConnection().execute<{ n: string }[]>(`select count(*) as n from ${table}`);
    return Number(row[0].n);
  };
  const start = async (on: Instance, callId: string, ani: string) => {
    const res = await fetch(`${on.origin}/v1/calls/start`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${two.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ call_id: callId, identity_hints: { ani } }),
    });
    return res.status;
  };
  const seedOldCalls = async (prefix: string) => {
    for (let i = 0; i < OLD_CALLS; i++) {
      await two.a.t.services.calls.start(ctx(), { callId: `${prefix}-${i}`, hints: { ani: `+1415555${String(1000 + (i % 40)).padStart(4, '0')}` } });
    }
    await two.a.t.services.calls.end(ctx(), { callId: `${prefix}-0`, intent: 'billing', variables: [{ name: 'plan', value: 'gold', ttlSeconds: 3650 * 86_400 }] });
  };

  beforeEach(async () => {
    clock.set(T0);
    two = await twoInstances({ CALL_RETENTION_DAYS: '30', INTENT_TTL_DAYS: '365' }, clock);
    tenant = { organisationId: two.organisation.id, environment: Environment.TEST };
  });
  afterEach(() => two.close());

  it('skips the run on every instance while another holds the purge lock, and purges once it is free', async () => {
    await seedOldCalls('held');
    clock.advance(31 * DAY);
    const other = new Client({ connectionString: (two.a.t.database as PostgresConfig).url });
    await other.connect();
    try {
      await other.query(`select pg_advisory_lock(${PURGE_LOCK_KEY})`);
      expect(await runPurge(two.a.t.orm, two.a.t.services)).toBeUndefined();
      expect(await runPurge(two.b.t.orm, two.b.t.services)).toBeUndefined();
      expect(await count('calls')).toBe(OLD_CALLS);
    } finally {
      await other.end();
    }
    expect(await runPurge(two.b.t.orm, two.b.t.services)).toMatchObject({ calls: OLD_CALLS });
    expect(await count('calls')).toBe(0);
  });

  it('lets exactly one of two instances purging at once do the work, loses nothing else, and serves calls meanwhile', async () => {
    await seedOldCalls('old');
    const before = { customers: await count('customers'), intents: await count('intents'), variables: await count('variables') };
    clock.advance(31 * DAY);

    const [onA, onB, ...served] = await Promise.all([
      runPurge(two.a.t.orm, two.a.t.services, { batchSize: 5 }),
      runPurge(two.b.t.orm, two.b.t.services, { batchSize: 5 }),
      ...Array.from({ length: 20 }, (_, i) => start(i % 2 ? two.a : two.b, `new-${i}`, `+1415555${String(1000 + i).padStart(4, '0')}`)),
    ]);

    const results = [onA, onB].filter((r) => r !== undefined);
    expect(results).toEqual([{ calls: OLD_CALLS, variables: 0, customers: 0, apiRequests: 0 }]);
    expect(served).toEqual(Array.from({ length: 20 }, () => 200));
    expect(await count('calls')).toBe(20);
    expect({ customers: await count('customers'), intents: await count('intents'), variables: await count('variables') }).toEqual(before);
  });
});
