/** The domain services over an already seeded database, bound to the seeded tenant, with a hand-moved clock. */
import type { MikroORM } from '@mikro-orm/core';

import type { TenantContext } from '../../src/calls/call.service';
import { createServices, type Services } from '../../src/services';
import { ManualClock } from '../../src/shared/clock';
import { DEFAULT_MEMORY_RULES } from '../../src/shared/memory-rules';
import type { Tenant } from '../../src/tenancy/environment';
import { TENANT_FILTER } from '../../src/tenancy/tenant-scoped.entity';
import { testConfig } from '../support/test-app';

/** Services on `orm` at `now`, and a request context for `tenant`. */
export function seededServices(orm: MikroORM, tenant: Tenant, now: Date): { services: Services; clock: ManualClock; ctx(): TenantContext } {
  const clock = new ManualClock(now);
  const services = createServices(DEFAULT_MEMORY_RULES, clock, testConfig().metrics, testConfig().appSecret, testConfig().limits);
  return {
    services,
    clock,
    ctx: () => {
      const em = orm.em.fork();
      em.setFilterParams(TENANT_FILTER, tenant);
      return { em, tenant };
    },
  };
}
