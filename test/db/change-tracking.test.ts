/** Loading rows and flushing writes nothing: unchanged dates must not look changed (a SQLite trap). */
import { Customer } from '../../src/customers/customer.entity';
import { Environment } from '../../src/tenancy/environment';
import { Organisation } from '../../src/tenancy/organisation.entity';
import { TENANT_FILTER } from '../../src/tenancy/tenant-scoped.entity';
import { statementsOf } from '../support/query-counter';
import { ENGINES } from '../support/scratch-database';
import { createTestOrm } from '../support/test-app';

describe.each(ENGINES)('change tracking on %s', (engine) => {
  it('flushes nothing after loading entities with dates', async () => {
    const { orm, close } = await createTestOrm(engine);
    try {
      const tenant = { organisationId: '44444444-4444-4444-8444-444444444444', environment: Environment.TEST };
      const seed = orm.em.fork();
      seed.setFilterParams(TENANT_FILTER, tenant);
      seed.create(Organisation, { slug: 'ct', name: 'CT' });
      seed.create(Customer, { ...tenant, lastCallAt: new Date() });
      await seed.flush();

      const em = orm.em.fork();
      em.setFilterParams(TENANT_FILTER, tenant);
      await em.find(Organisation, {});
      await em.find(Customer, {});
      expect(await statementsOf(orm, () => em.flush())).toEqual([]);
    } finally {
      await close();
    }
  });
});
