/** The background purge: expired variables and stale provisional customers go; everything else stays. */
import type { MikroORM } from '@mikro-orm/core';

import { Call } from '../../src/calls/call.entity';
import { Customer } from '../../src/customers/customer.entity';
import { runPurge } from '../../src/maintenance/purge';
import { createServices, type Services } from '../../src/services';
import { ManualClock } from '../../src/shared/clock';
import { DEFAULT_MEMORY_RULES } from '../../src/shared/memory-rules';
import { Environment, type Tenant } from '../../src/tenancy/environment';
import { TENANT_FILTER } from '../../src/tenancy/tenant-scoped.entity';
import { Variable } from '../../src/variables/variable.entity';
import { ENGINES } from '../support/scratch-database';
import { createTestOrm, testConfig } from '../support/test-app';

const TENANT: Tenant = { organisationId: '33333333-3333-4333-8333-333333333333', environment: Environment.TEST };
const DAY = 86_400_000;

describe.each(ENGINES)('purge on %s', (engine) => {
  let orm: MikroORM;
  let close: () => Promise<void>;
  let services: Services;
  const clock = new ManualClock();

  const ctx = () => {
    const em = orm.em.fork();
    em.setFilterParams(TENANT_FILTER, TENANT);
    return { em, tenant: TENANT };
  };

  beforeAll(async () => {
    ({ orm, close } = await createTestOrm(engine));
    services = createServices(DEFAULT_MEMORY_RULES, clock, testConfig().metrics, testConfig().appSecret, testConfig().limits);
  });
  afterAll(() => close());

  it('removes expired variables and provisional customers past their time, and nothing else', async () => {
    const known = await services.calls.start(ctx(), { callId: 'p-1', hints: { ani: '4155550001' } });
    await services.calls.end(ctx(), {
      callId: 'p-1',
      variables: [
        { name: 'short', value: 'gone soon', ttlSeconds: 60 },
        { name: 'long', value: 'stays' },
      ],
    });
    const anonymous = await services.calls.start(ctx(), { callId: 'p-2', hints: { ani: 'anonymous' } });
    expect(anonymous.customer.provisional).toBe(true);
    expect(known.customer.provisional).toBe(false);

    clock.advance(120_000);
    expect(await runPurge(orm, services)).toEqual({ calls: 0, variables: 1, customers: 0, apiRequests: 0 });

    clock.advance(8 * DAY);
    expect(await runPurge(orm, services)).toEqual({ calls: 0, variables: 0, customers: 1, apiRequests: 0 });

    const { em } = ctx();
    expect((await em.find(Customer, {})).map((c) => c.ref)).toEqual([known.customer.ref]);
    expect((await em.find(Variable, {})).map((v) => v.name)).toEqual(['long']);
    expect((await em.find(Call, {})).map((c) => c.callId)).toEqual(['p-1']);
  });
});
