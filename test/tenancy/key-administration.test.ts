/**
 * Key administration in GraphQL (issue 13): admin keys create (secret shown once), list, revoke and rotate
 * their organisation's keys; ordinary keys are refused; other organisations' key ids are unknown.
 */
import request from 'supertest';

import { ManualClock } from '../../src/shared/clock';
import { ApiKeyRole } from '../../src/tenancy/api-key-role';
import { Environment } from '../../src/tenancy/environment';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, createTestAppOn, type TestApp } from '../support/test-app';

const KEY_FIELDS = 'id name prefix environment role createdAt lastUsedAt revokedAt expiresAt';
const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { ${KEY_FIELDS} } } }`;
const LIST = `{ apiKeys { ${KEY_FIELDS} } }`;
const REVOKE = `mutation($id: ID!) { revokeApiKey(id: $id) { ${KEY_FIELDS} } }`;
const ROTATE = `mutation($id: ID!, $overlap: Int!) { rotateApiKey(id: $id, overlapSeconds: $overlap) { secret apiKey { ${KEY_FIELDS} } previous { ${KEY_FIELDS} } } }`;

describe.each(ENGINES)('key administration in GraphQL on %s', (engine) => {
  let t: TestApp;
  let admin: GraphQLClient;
  const clock = new ManualClock(new Date('2026-03-02T09:00:00.000Z'));
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp(engine, {}, clock);
  });
  beforeEach(async () => {
    clock.advance(60_000);
    admin = await graphqlClient(t, { role: ApiKeyRole.ADMIN, environment: Environment.PROD });
  });
  afterAll(() => t.close());

  /** The status of a call start on /v1 with the key (200 when it authenticates). */
  const v1Status = async (key: string, app = t) =>
    (await request(app.app).post('/v1/calls/start').set('Authorization', `Bearer ${key}`).send({ call_id: `key-admin-${++n}`, identity_hints: { ani: '4155550142' } })).status;
  const create = async (client: GraphQLClient, input: Record<string, unknown>) => (await client.data(CREATE, { input })).createApiKey;
  const listed = async (client: GraphQLClient) => (await client.data(LIST)).apiKeys as { id: string; [field: string]: unknown }[];

  it('creates a key whose secret works on /v1 at once and is never returned again', async () => {
    const created = await create(admin, { name: 'Five9 IVR', environment: 'TEST' });
    expect(created.secret).toMatch(/^sk_test_[0-9A-Za-z]{49}$/);
    expect(created.apiKey).toMatchObject({ name: 'Five9 IVR', environment: 'TEST', role: 'STANDARD', prefix: created.secret.slice(0, 12), revokedAt: null });
    expect(await v1Status(created.secret)).toBe(200);
    const answer = JSON.stringify(await admin.request(`{ apiKeys { ${KEY_FIELDS} } }`));
    expect(answer).toContain(created.apiKey.id);
    expect(answer).not.toContain(created.secret.slice(12));
  });

  it('creates a key in the caller’s environment when none is given, and admin keys when asked', async () => {
    const created = await create(admin, { name: 'second admin', role: 'ADMIN' });
    expect(created.apiKey).toMatchObject({ environment: 'PROD', role: 'ADMIN' });
    // The new admin key administers keys itself: it lists the key that created it.
    expect((await asKey(created.secret, LIST)).apiKeys.map((k: { role: string }) => k.role)).toEqual(['ADMIN', 'ADMIN']);
  });

  it('lists lastUsedAt after the key was used, written in the background', async () => {
    const created = await create(admin, { name: 'used' });
    expect((await listed(admin)).find((k) => k.id === created.apiKey.id)?.lastUsedAt).toBeNull();
    expect(await v1Status(created.secret)).toBe(200);
    await t.keys.lastUsed.flush();
    expect((await listed(admin)).find((k) => k.id === created.apiKey.id)?.lastUsedAt).toBe(clock.now().toISOString());
  });

  /**
   * Two apps in one process on one SQLite file: the first one's background writers (request log, last
   * uses) must be idle while the second writes, or SQLite refuses the second's write at once
   * (SQLITE_BUSY; several instances are a PostgreSQL deployment).
   */
  const quietBackground = async () => {
    await t.requestLog.flush();
    await t.keys.lastUsed.flush();
  };

  it('writes the last uses an instance noted when it stops', async () => {
    const created = await create(admin, { name: 'used before a stop' });
    await quietBackground();
    const other = await createTestAppOn(t.database, {}, clock);
    expect(await v1Status(created.secret, other)).toBe(200);
    await other.close();
    expect((await listed(admin)).find((k) => k.id === created.apiKey.id)?.lastUsedAt).toBe(clock.now().toISOString());
  });

  it('revokes a key: the next request with it is refused with 401', async () => {
    const created = await create(admin, { name: 'to revoke' });
    expect(await v1Status(created.secret)).toBe(200);
    const revoked = (await admin.data(REVOKE, { id: created.apiKey.id })).revokeApiKey;
    expect(revoked.revokedAt).toBe(clock.now().toISOString());
    expect(await v1Status(created.secret)).toBe(401);
  });

  it('refuses to revoke the key making the request, and changes nothing', async () => {
    const [own] = (await listed(admin)).filter((k) => k.prefix === admin.key.slice(0, 12));
    const answer = await admin.request(REVOKE, { id: own.id });
    expect(answer.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await v1Status(admin.key)).toBe(200);
  });

  it('rotates a key: both work during the overlap, the old one is refused with 401 from its expiry on', async () => {
    const old = await create(admin, { name: 'rotating', role: 'STANDARD', environment: 'TEST' });
    const rotated = (await admin.data(ROTATE, { id: old.apiKey.id, overlap: 300 })).rotateApiKey;
    expect(rotated.apiKey).toMatchObject({ name: 'rotating', role: 'STANDARD', environment: 'TEST' });
    expect(rotated.secret).not.toBe(old.secret);
    expect(rotated.previous.expiresAt).toBe(new Date(clock.now().getTime() + 300_000).toISOString());
    expect(await v1Status(old.secret)).toBe(200);
    expect(await v1Status(rotated.secret)).toBe(200);
    clock.advance(299_999);
    expect(await v1Status(old.secret)).toBe(200);
    clock.advance(1);
    expect(await v1Status(old.secret)).toBe(401);
    expect(await v1Status(rotated.secret)).toBe(200);
    // Another instance on the same database refuses it too: nothing about keys is cached.
    await quietBackground();
    const other = await createTestAppOn(t.database, {}, clock);
    try {
      expect(await v1Status(old.secret, other)).toBe(401);
      expect(await v1Status(rotated.secret, other)).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('refuses an overlap outside 0 to 7 days with BAD_USER_INPUT, and changes nothing', async () => {
    const old = await create(admin, { name: 'not rotated' });
    const before = await listed(admin);
    for (const overlap of [-1, 7 * 24 * 3600 + 1]) {
      const answer = await admin.request(ROTATE, { id: old.apiKey.id, overlap });
      expect(answer.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(JSON.stringify(answer.body.errors?.[0].extensions)).toContain('overlapSeconds');
    }
    expect(await listed(admin)).toEqual(before);
    expect(await v1Status(old.secret)).toBe(200);
  });

  it('refuses a blank or overlong name with BAD_USER_INPUT, and creates nothing', async () => {
    const before = await listed(admin);
    for (const name of ['', '   ', 'x'.repeat(201)]) {
      expect((await admin.request(CREATE, { input: { name } })).body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    }
    expect(await listed(admin)).toEqual(before);
  });

  it('refuses every key operation to an ordinary key with FORBIDDEN, and changes nothing', async () => {
    const victim = await create(admin, { name: 'victim' });
    const ordinary = await graphqlClient(t, { organisationSlug: await slugOf(admin), environment: Environment.PROD });
    const attempts: [string, Record<string, unknown>][] = [
      [CREATE, { input: { name: 'mine now', role: 'ADMIN' } }],
      [LIST, {}],
      [REVOKE, { id: victim.apiKey.id }],
      [ROTATE, { id: victim.apiKey.id, overlap: 0 }],
    ];
    const before = await listed(admin);
    for (const [operation, variables] of attempts) {
      const answer = await ordinary.request(operation, variables);
      expect(answer.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(answer.body.data ?? null).toBeNull();
    }
    expect(await listed(admin)).toEqual(before);
    expect(await v1Status(victim.secret)).toBe(200);
  });

  it('answers NOT_FOUND for another organisation’s key ids and for malformed ids, and changes nothing', async () => {
    const stranger = await graphqlClient(t, { role: ApiKeyRole.ADMIN, environment: Environment.PROD });
    const victim = await create(admin, { name: 'not yours' });
    for (const id of [victim.apiKey.id, 'not-a-uuid', "1' or '1'='1"]) {
      expect((await stranger.request(REVOKE, { id })).body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect((await stranger.request(ROTATE, { id, overlap: 0 })).body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
    expect((await listed(stranger)).map((k) => k.id)).not.toContain(victim.apiKey.id);
    expect(await v1Status(victim.secret)).toBe(200);
  });

  it('lets a test admin key manage test keys only: prod keys are unknown to it and it cannot create them', async () => {
    const testAdmin = await graphqlClient(t, { organisationSlug: await slugOf(admin), role: ApiKeyRole.ADMIN, environment: Environment.TEST });
    const prodKey = await create(admin, { name: 'prod IVR', environment: 'PROD' });
    expect((await testAdmin.request(CREATE, { input: { name: 'escalate', environment: 'PROD' } })).body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await testAdmin.request(REVOKE, { id: prodKey.apiKey.id })).body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await listed(testAdmin)).every((k) => k.environment === 'TEST')).toBe(true);
    expect((await create(testAdmin, { name: 'test IVR' })).apiKey.environment).toBe('TEST');
    expect(await v1Status(prodKey.secret)).toBe(200);
  });

  /** The organisation slug of a client's key. */
  async function slugOf(client: GraphQLClient): Promise<string> {
    return (await client.data('{ viewer { organisation { slug } } }')).viewer.organisation.slug;
  }

  /** Runs an operation with another key. */
  async function asKey(key: string, query: string, variables?: Record<string, unknown>) {
    const res = await request(t.app).post('/graphql').set('Authorization', `Bearer ${key}`).send({ query, variables });
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data;
  }
});
