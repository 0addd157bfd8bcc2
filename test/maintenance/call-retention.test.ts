/** Retention: calls older than CALL_RETENTION_DAYS are purged in batches; what the service remembers stays. */
import type { EntityManager } from '@mikro-orm/core';

import type { TenantContext } from '../../src/calls/call.service';
import { Call } from '../../src/calls/call.entity';
import { Customer } from '../../src/customers/customer.entity';
import { Intent } from '../../src/intents/intent.entity';
import { runPurge } from '../../src/maintenance/purge';
import { Environment, type Tenant } from '../../src/tenancy/environment';
import { Organisation } from '../../src/tenancy/organisation.entity';
import { TENANT_FILTER } from '../../src/tenancy/tenant-scoped.entity';
import { Variable } from '../../src/variables/variable.entity';
import { createDomain, DAY, type Domain } from '../support/domain';
import { ENGINES } from '../support/scratch-database';

const PROD: Tenant = { organisationId: '44444444-4444-4444-8444-444444444444', environment: Environment.PROD };
const CALLER = { ani: '4155550142' };

describe.each(ENGINES)('call retention on %s', (engine) => {
  let d: Domain;

  const ctxOf = (tenant: Tenant): TenantContext => {
    const em = d.orm.em.fork();
    em.setFilterParams(TENANT_FILTER, tenant);
    return { em, tenant };
  };
  const callIds = async (tenant: Tenant) => (await ctxOf(tenant).em.find(Call, {}, { orderBy: { callId: 'asc' } })).map((c) => c.callId);

  beforeEach(async () => {
    d = await createDomain(engine, { callRetentionMs: 30 * DAY, intentTtlMs: 90 * DAY });
    const em: EntityManager = d.orm.em.fork();
    em.create(Organisation, { id: d.tenant.organisationId, slug: 'retention-a', name: 'A' });
    em.create(Organisation, { id: PROD.organisationId, slug: 'retention-b', name: 'B' });
    await em.flush();
  });
  afterEach(() => d.close());

  it('purges calls older than the retention in batches, in every tenant and environment, and keeps customers, intents and variables', async () => {
    for (let i = 1; i <= 5; i++) await d.start(`old-${i}`, CALLER);
    await d.services.calls.end(d.ctx(), { callId: 'old-5', intent: 'Refund Request', variables: [{ name: 'order', value: 'A-1001', ttlSeconds: 365 * 86_400 }] });
    await d.services.calls.start(ctxOf(PROD), { callId: 'prod-old', hints: CALLER });
    d.clock.advance(31 * DAY);
    await d.start('recent', CALLER);

    expect(await runPurge(d.orm, d.services, { batchSize: 2 })).toEqual({ calls: 6, variables: 0, customers: 0, apiRequests: 0 });

    expect(await callIds(d.tenant)).toEqual(['recent']);
    expect(await callIds(PROD)).toEqual([]);
    const [customer] = await d.ctx().em.find(Customer, {});
    expect(customer).toMatchObject({ callCount: 6 });
    expect(customer?.lastCallAt?.getTime()).toBe(d.clock.now().getTime());
    expect(await d.count(Intent)).toBe(1);
    expect(await d.count(Variable)).toBe(1);
    const next = await d.start('next', CALLER);
    expect(next.customer.ref).toBe(customer?.ref);
    expect(next.openIntents.map((i) => i.name)).toEqual(['refund_request']);
    expect(next.variables.map((v) => [v.name, v.value])).toEqual([['order', 'A-1001']]);
  });

  it('keeps a call started exactly at the cut-off and everything younger', async () => {
    await d.start('at-cutoff', CALLER);
    d.clock.advance(30 * DAY);
    expect(await runPurge(d.orm, d.services)).toMatchObject({ calls: 0 });
    d.clock.advance(1);
    expect(await runPurge(d.orm, d.services)).toMatchObject({ calls: 1 });
  });

  it('keeps every call when retention is off (the default)', async () => {
    const keepAll = await createDomain(engine);
    try {
      await keepAll.start('kept', CALLER);
      keepAll.clock.advance(3650 * DAY);
      expect(await runPurge(keepAll.orm, keepAll.services)).toMatchObject({ calls: 0 });
      expect(await keepAll.count(Call)).toBe(1);
    } finally {
      await keepAll.close();
    }
  });

  it('serves calls that arrive while a purge runs, and keeps them', async () => {
    for (let i = 0; i < 20; i++) await d.start(`old-${i}`, { ani: `41555502${String(i).padStart(2, '0')}` });
    d.clock.advance(31 * DAY);
    const [purged, ...started] = await Promise.all([
      runPurge(d.orm, d.services, { batchSize: 1 }),
      ...Array.from({ length: 10 }, (_, i) => d.start(`during-${i}`, CALLER)),
    ]);
    expect(purged).toMatchObject({ calls: 20 });
    expect(started.every((s) => s && 'call' in s)).toBe(true);
    expect((await callIds(d.tenant)).length).toBe(10);
  });
});
