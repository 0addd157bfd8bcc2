import type { MikroORM } from '@mikro-orm/core';

import { ApiKey } from '../../src/tenancy/api-key.entity';
import { hashApiKey, isWellFormedApiKey } from '../../src/tenancy/api-key-format';
import { ApiKeyService } from '../../src/tenancy/api-key.service';
import { ApiKeyRole } from '../../src/tenancy/api-key-role';
import { Environment } from '../../src/tenancy/environment';
import { ErrorCode } from '../../src/errors/error-code';
import { makeKey, makeOrganisation } from '../support/factories';
import { ENGINES } from '../support/scratch-database';
import { statementsOf } from '../support/query-counter';
import { createTestOrm } from '../support/test-app';

const SECRET = 'a-test-secret-that-is-at-least-32-characters';

describe.each(ENGINES)('API keys on %s', (engine) => {
  let orm: MikroORM;
  let close: () => Promise<void>;
  const keys = new ApiKeyService(SECRET);

  beforeAll(async () => {
    ({ orm, close } = await createTestOrm(engine));
  });
  afterAll(() => close());

  it('creates a key whose secret is shown once and stored only as a keyed hash', async () => {
    const em = orm.em.fork();
    const org = await makeOrganisation(keys, em);
    const { apiKey, secret } = await makeKey(keys, em, org, { environment: Environment.PROD });

    expect(isWellFormedApiKey(secret)).toBe(true);
    expect(secret.startsWith('sk_prod_')).toBe(true);
    const rows = await orm.em.getConnection().execute('select * from api_keys where id = ?', [apiKey.id]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(secret.slice(8));
    expect(rows[0].hash).toBe(hashApiKey(secret, SECRET));
    expect(rows[0].prefix).toBe(secret.slice(0, 12));
  });

  it('authenticates a key to its organisation and environment', async () => {
    const em = orm.em.fork();
    const org = await makeOrganisation(keys, em);
    const { apiKey, secret } = await makeKey(keys, em, org);

    await expect(keys.authenticate(orm.em.fork(), secret)).resolves.toEqual({
      keyId: apiKey.id,
      organisationId: org.id,
      environment: Environment.TEST,
      role: ApiKeyRole.STANDARD,
    });
  });

  it('rejects an unknown well-formed key', async () => {
    const unknown = `sk_test_${'A'.repeat(43)}`;
    await expect(keys.authenticate(orm.em.fork(), unknown)).rejects.toMatchObject({ code: ErrorCode.Unauthenticated });
  });

  it('rejects a key hashed under another server secret', async () => {
    const em = orm.em.fork();
    const { secret } = await makeKey(keys, em, await makeOrganisation(keys, em));
    const otherServer = new ApiKeyService('another-secret-that-is-32-characters-long');
    await expect(otherServer.authenticate(orm.em.fork(), secret)).rejects.toMatchObject({
      code: ErrorCode.Unauthenticated,
    });
  });

  it('fails a revoked key at once', async () => {
    const em = orm.em.fork();
    const { apiKey, secret } = await makeKey(keys, em, await makeOrganisation(keys, em));
    await keys.authenticate(orm.em.fork(), secret);

    await keys.revokeKey(orm.em.fork(), apiKey.id);

    await expect(keys.authenticate(orm.em.fork(), secret)).rejects.toMatchObject({
      code: ErrorCode.Unauthenticated,
      message: 'Invalid or revoked API key',
    });
  });

  it('lists an organisation’s keys without their secrets, and only that organisation’s', async () => {
    const em = orm.em.fork();
    const org = await makeOrganisation(keys, em);
    const other = await makeOrganisation(keys, em);
    const first = await makeKey(keys, em, org, { name: 'first' });
    const second = await makeKey(keys, em, org, { name: 'second', environment: Environment.PROD });
    // Two keys made in the same millisecond tie on createdAt; a second apart, "oldest first" is testable.
    second.apiKey.createdAt = new Date(first.apiKey.createdAt.getTime() + 1000);
    await em.flush();
    await makeKey(keys, em, other);

    const listed = await keys.listKeys(orm.em.fork(), org);

    expect(listed.map((k) => k.name)).toEqual(['first', 'second']);
    expect(listed.map((k) => k.environment)).toEqual([Environment.TEST, Environment.PROD]);
    const text = JSON.stringify(listed);
    expect(text).not.toContain(first.secret);
    expect(text).not.toContain(second.secret);
  });

  it('refuses a duplicate organisation slug and an unknown key id', async () => {
    const em = orm.em.fork();
    const org = await makeOrganisation(keys, em);
    await expect(keys.createOrganisation(orm.em.fork(), org.slug, 'again')).rejects.toMatchObject({
      code: ErrorCode.Conflict,
    });
    await expect(keys.revokeKey(orm.em.fork(), '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: ErrorCode.NotFound,
    });
  });

  it('finds a key with one lookup on the unique hash index', async () => {
    const em = orm.em.fork();
    const { secret } = await makeKey(keys, em, await makeOrganisation(keys, em));
    const queries = await statementsOf(orm, () => keys.authenticate(orm.em.fork(), secret));
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatch(/where .*hash/i);
    expect(await orm.em.fork().count(ApiKey, { hash: hashApiKey(secret, SECRET) })).toBe(1);
  });
});
