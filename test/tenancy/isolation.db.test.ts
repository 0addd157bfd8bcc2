/** Tenant isolation at the data layer: a tenant-bound EntityManager sees and changes only its own rows. */
import type { EntityManager, MikroORM } from '@mikro-orm/core';

import { Customer } from '../../src/customers/customer.entity';
import { Environment, type Tenant } from '../../src/tenancy/environment';
import { TENANT_FILTER } from '../../src/tenancy/tenant-scoped.entity';
import { ENGINES } from '../support/scratch-database';
import { createTestOrm } from '../support/test-app';

const ORG_A = '11111111-1111-4111-8111-111111111111';
const ORG_B = '22222222-2222-4222-8222-222222222222';
const A_TEST: Tenant = { organisationId: ORG_A, environment: Environment.TEST };
const A_PROD: Tenant = { organisationId: ORG_A, environment: Environment.PROD };
const B_TEST: Tenant = { organisationId: ORG_B, environment: Environment.TEST };

describe.each(ENGINES)('tenant isolation on %s', (engine) => {
  let orm: MikroORM;
  let close: () => Promise<void>;
  const refs = new Map<Tenant, string>();

  const bound = (tenant: Tenant): EntityManager => {
    const em = orm.em.fork();
    em.setFilterParams(TENANT_FILTER, tenant);
    return em;
  };

  beforeAll(async () => {
    ({ orm, close } = await createTestOrm(engine));
    for (const tenant of [A_TEST, A_PROD, B_TEST]) {
      const em = bound(tenant);
      const customer = em.create(Customer, { ...tenant });
      await em.flush();
      refs.set(tenant, customer.ref);
    }
  });
  afterAll(() => close());

  it.each([
    ['organisation A, test', A_TEST],
    ['organisation A, prod', A_PROD],
    ['organisation B, test', B_TEST],
  ])('%s sees only its own customers', async (_name, tenant) => {
    const seen = await bound(tenant).find(Customer, {});
    expect(seen.map((c) => c.ref)).toEqual([refs.get(tenant)]);
  });

  it('cannot read another environment’s or organisation’s customer even by its ref', async () => {
    const em = bound(A_TEST);
    expect(await em.findOne(Customer, { ref: refs.get(A_PROD) })).toBeNull();
    expect(await em.findOne(Customer, { ref: refs.get(B_TEST) })).toBeNull();
    expect(await em.count(Customer, {})).toBe(1);
  });

  it('cannot update or delete another tenant’s rows', async () => {
    const em = bound(B_TEST);
    expect(await em.nativeUpdate(Customer, { ref: refs.get(A_TEST) }, { updatedAt: new Date(0) })).toBe(0);
    expect(await em.nativeDelete(Customer, { ref: refs.get(A_PROD) })).toBe(0);
    expect(await bound(A_TEST).count(Customer, {})).toBe(1);
    expect(await bound(A_PROD).count(Customer, {})).toBe(1);
  });

  it('refuses to query caller data on an EntityManager that is not bound to a tenant', async () => {
    await expect(orm.em.fork().find(Customer, {})).rejects.toThrow(/tenant/);
  });
});
