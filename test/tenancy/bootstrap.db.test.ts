import type { MikroORM } from '@mikro-orm/core';

import { ApiKeyRole } from '../../src/tenancy/api-key-role';
import { ApiKeyService } from '../../src/tenancy/api-key.service';
import { generateApiKey } from '../../src/tenancy/api-key-format';
import { bootstrapTenancy } from '../../src/tenancy/bootstrap';
import { Environment } from '../../src/tenancy/environment';
import { Organisation } from '../../src/tenancy/organisation.entity';
import { ENGINES } from '../support/scratch-database';
import { createTestOrm } from '../support/test-app';

const keys = new ApiKeyService('bootstrap-test-secret-of-32-characters!!');

describe.each(ENGINES)('first-start bootstrap on %s', (engine) => {
  let orm: MikroORM;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ orm, close } = await createTestOrm(engine));
  });
  afterEach(() => close());

  it('creates the default organisation and one working test key on an empty database, once', async () => {
    const first = await bootstrapTenancy(orm.em.fork(), keys);
    expect(first.firstKey).toMatch(/^sk_test_/);
    const principal = await keys.authenticate(orm.em.fork(), first.firstKey ?? '');
    const org = await orm.em.fork().findOneOrFail(Organisation, { id: principal.organisationId });
    expect(org.slug).toBe('default');

    expect(await bootstrapTenancy(orm.em.fork(), keys)).toEqual({ registeredBootstrapKey: false });
    expect(await orm.em.fork().count(Organisation)).toBe(1);
  });

  it('registers BOOTSTRAP_API_KEY once, with the environment of its prefix, and prints no key', async () => {
    const key = generateApiKey(Environment.PROD);
    expect(await bootstrapTenancy(orm.em.fork(), keys, key)).toEqual({ registeredBootstrapKey: true });
    expect(await bootstrapTenancy(orm.em.fork(), keys, key)).toEqual({ registeredBootstrapKey: false });
    expect((await keys.authenticate(orm.em.fork(), key)).environment).toBe(Environment.PROD);
  });

  it('makes the first-start key an admin key (it signs in to the dashboard)', async () => {
    const { firstKey } = await bootstrapTenancy(orm.em.fork(), keys);
    expect((await keys.authenticate(orm.em.fork(), firstKey ?? '')).role).toBe(ApiKeyRole.ADMIN);
  });

  it('registers BOOTSTRAP_API_KEY as an admin key, and promotes it when it was registered as an ordinary key', async () => {
    const key = generateApiKey(Environment.TEST);
    await bootstrapTenancy(orm.em.fork(), keys, key);
    expect((await keys.authenticate(orm.em.fork(), key)).role).toBe(ApiKeyRole.ADMIN);

    const earlier = generateApiKey(Environment.PROD);
    const em = orm.em.fork();
    await keys.registerKey(em, await keys.organisation(em, 'default'), earlier, 'Registered before roles');
    expect((await keys.authenticate(orm.em.fork(), earlier)).role).toBe(ApiKeyRole.STANDARD);
    expect(await bootstrapTenancy(orm.em.fork(), keys, earlier)).toEqual({ registeredBootstrapKey: false });
    expect((await keys.authenticate(orm.em.fork(), earlier)).role).toBe(ApiKeyRole.ADMIN);
  });

  it('creates nothing when organisations already exist', async () => {
    await keys.createOrganisation(orm.em.fork(), 'acme', 'Acme');
    expect(await bootstrapTenancy(orm.em.fork(), keys)).toEqual({ registeredBootstrapKey: false });
    expect(await orm.em.fork().count(Organisation)).toBe(1);
  });
});
