/**
 * Failed authentication (issue 9, item 14): a key whose checksum does not match is refused without a
 * database query; keys issued before checksums still work; and an address that fails too often gets 429
 * with Retry-After on /v1 and /graphql until its failures leave the window, while other addresses, and
 * keys that authenticated before, are unaffected.
 */
import { randomBytes } from 'node:crypto';

import request from 'supertest';

import { ManualClock } from '../../src/shared/clock';
import { Environment } from '../../src/tenancy/environment';
import { makeKey, makeOrganisation } from '../support/factories';
import { statementsOf as countStatements } from '../support/query-counter';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const VIEWER = { query: '{ viewer { environment } }' };
const ATTACKER = '203.0.113.7';
const NEIGHBOUR = '198.51.100.9';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A key in the form issued before checksums: 43 base62 characters after the prefix. */
const legacyKey = (env: 'test' | 'prod' = 'test') => `sk_${env}_${[...randomBytes(43)].map((b) => BASE62[b % 62]).join('')}`;
/** The key with its last (checksum) character changed. */
const mistyped = (key: string) => `${key.slice(0, -1)}${key.endsWith('a') ? 'b' : 'a'}`;

describe.each(ENGINES)('failed authentication on %s', (engine) => {
  let t: TestApp;
  let clock: ManualClock;
  let em: TestApp['orm']['em'];
  let organisation: Awaited<ReturnType<typeof makeOrganisation>>;

  beforeAll(async () => {
    clock = new ManualClock();
    // Loopback is the trusted proxy, so X-Forwarded-For names the client address.
    t = await createTestApp(engine, { TRUST_PROXY: 'loopback' }, clock);
    em = t.orm.em.fork();
    organisation = await makeOrganisation(t.keys, em);
  });
  afterAll(() => t.close());

  const newKey = async () => (await makeKey(t.keys, em, organisation)).secret;
  /** The statements `work` sends, with the background writers (request log, last uses) written out first. */
  const statementsOf = async (work: () => Promise<unknown>) => {
    await t.requestLog.flush();
    await t.keys.lastUsed.flush();
    return countStatements(t.orm, work);
  };

  const start = (key: string | undefined, from: string) => {
    const req = request(t.app).post('/v1/calls/start').set('X-Forwarded-For', from);
    if (key) req.set('Authorization', `Bearer ${key}`);
    return req.send({ call_id: `c-${randomBytes(4).toString('hex')}`, identity_hints: { ani: '4155550142' } });
  };
  const viewer = (key: string, from: string) =>
    request(t.app).post('/graphql').set('X-Forwarded-For', from).set('Authorization', `Bearer ${key}`).send(VIEWER);

  describe('key checksums', () => {
    const CHECKSUM_MESSAGE = 'Invalid API key: its checksum does not match (was it copied whole?)';

    it('refuses a key with a wrong checksum with 0 database queries, on /v1 and /graphql', async () => {
      const key = mistyped(await newKey());
      let rest!: request.Response;
      let graphql!: request.Response;
      const statements = await statementsOf(async () => {
        rest = await start(key, '192.0.2.1');
        graphql = await viewer(key, '192.0.2.1');
      });
      expect(statements).toEqual([]);
      expect(rest.status).toBe(401);
      expect(rest.body).toEqual({ error: 'Unauthorized', message: CHECKSUM_MESSAGE });
      expect(graphql.status).toBe(401);
      expect(graphql.body).toEqual({ errors: [{ message: CHECKSUM_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } }] });
    });

    it('issues keys with checksums, and still accepts a legacy key issued before them, in both environments', async () => {
      expect(await newKey()).toMatch(/^sk_test_[0-9A-Za-z]{49}$/);
      const legacyTest = legacyKey('test');
      const legacyProd = legacyKey('prod');
      await t.keys.registerKey(em, organisation, legacyTest, 'legacy test key');
      await t.keys.registerKey(em, organisation, legacyProd, 'legacy prod key');

      expect((await start(legacyTest, '192.0.2.2')).status).toBe(200);
      expect((await viewer(legacyTest, '192.0.2.2')).body).toEqual({ data: { viewer: { environment: 'TEST' } } });
      expect((await viewer(legacyProd, '192.0.2.2')).body).toEqual({ data: { viewer: { environment: 'PROD' } } });
    });

    it('looks up an unknown legacy-shaped key (it may exist) and refuses it', async () => {
      const res = await start(legacyKey(), '192.0.2.3');
      expect(res.status).toBe(401);
      expect(res.body.message).toBe('Invalid or revoked API key');
    });
  });

  describe('the throttle per client address', () => {
    it('answers 429 with Retry-After after 20 failures in 60 s, on /v1 and /graphql, and lifts when they leave the window', async () => {
      const trustedKey = await newKey();
      expect((await start(trustedKey, ATTACKER)).status).toBe(200);

      // Twenty failures of every kind: unknown keys (looked up), wrong checksums, malformed keys.
      const failures = [
        ...Array.from({ length: 8 }, () => legacyKey()),
        ...Array.from({ length: 6 }, () => mistyped(`sk_test_${'Q'.repeat(49)}`)),
        ...Array.from({ length: 6 }, () => 'not-a-key'),
      ];
      for (const [i, key] of failures.entries()) {
        const res = i % 2 === 0 ? await start(key, ATTACKER) : await viewer(key, ATTACKER);
        expect(res.status).toBe(401);
      }

      const refused = await start(legacyKey(), ATTACKER);
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('60');
      expect(refused.body).toEqual({ error: 'Too Many Requests', message: 'Too many failed authentications from this address; retry in 60 s' });

      clock.advance(15_000);
      const refusedGraphQL = await viewer(legacyKey(), ATTACKER);
      expect(refusedGraphQL.status).toBe(429);
      expect(refusedGraphQL.headers['retry-after']).toBe('45');
      expect(refusedGraphQL.body).toEqual({
        errors: [{ message: 'Too many failed authentications from this address; retry in 45 s', extensions: { code: 'RATE_LIMITED' } }],
      });

      // A throttled attempt costs no lookup, even with a key shaped to be looked up.
      expect(await statementsOf(() => start(legacyKey(), ATTACKER))).toEqual([]);

      // A key never seen before waits too; one that authenticated before still passes (shared egress addresses).
      const freshKey = await newKey();
      expect((await start(freshKey, ATTACKER)).status).toBe(429);
      expect((await start(trustedKey, ATTACKER)).status).toBe(200);
      expect((await viewer(trustedKey, ATTACKER)).status).toBe(200);

      // Other addresses are unaffected: their successes pass, their failures are plain 401s.
      expect((await start(freshKey, NEIGHBOUR)).status).toBe(200);
      expect((await start(legacyKey(), NEIGHBOUR)).status).toBe(401);

      // The window slides past the failures: the address may try again.
      clock.advance(45_000);
      expect((await start(legacyKey(), ATTACKER)).status).toBe(401);
      expect((await start(await newKey(), ATTACKER)).status).toBe(200);
    });

    it('neither counts nor throttles requests that carry no key, and keeps the Sandbox page open', async () => {
      const from = '192.0.2.50';
      for (let i = 0; i < 25; i++) expect((await start(undefined, from)).status).toBe(401);
      expect((await start(await newKey(), from)).status).toBe(200);
      const page = await request(t.app).get('/graphql').set('X-Forwarded-For', from).set('Accept', 'text/html');
      expect(page.status).toBe(200);
    });

    it('fails a revoked key at once, counts it, and stops trusting it', async () => {
      const from = '192.0.2.60';
      const { apiKey, secret } = await makeKey(t.keys, em, organisation, { environment: Environment.PROD });
      expect((await start(secret, from)).status).toBe(200);
      await t.keys.revokeKey(t.orm.em.fork(), apiKey.id);
      for (let i = 0; i < 20; i++) expect((await start(secret, from)).status).toBe(401);
      expect((await start(secret, from)).status).toBe(429);
    });
  });
});

describe('the throttle turned off', () => {
  it('answers every failure with 401 when AUTH_FAILURE_LIMIT is 0', async () => {
    const t = await createTestApp('sqlite', { AUTH_FAILURE_LIMIT: '0' });
    try {
      for (let i = 0; i < 25; i++) {
        const res = await request(t.app).post('/v1/calls/start').set('Authorization', `Bearer ${legacyKey()}`).send({ call_id: 'x' });
        expect(res.status).toBe(401);
      }
    } finally {
      await t.close();
    }
  });
});
