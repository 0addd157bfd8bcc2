/**
 * Concurrent first calls from one brand-new number (issue 9, item 6), through /v1/calls/start: one
 * customer, and every call after the first is a returning caller (never `ani:shared`), on each engine
 * and on two instances of the service sharing one PostgreSQL database.
 */
import request from 'supertest';

import { makeKey, makeOrganisation } from '../support/factories';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, createTestAppOn, type TestApp } from '../support/test-app';

interface StartAnswer {
  customer_ref: string;
  identity: { confidence: number; sources: string[] };
  flat: { is_returning: string };
}

/** Starts calls at once, each through the next app in turn, and checks the callers add up to one customer. */
async function expectOneCaller(apps: TestApp[], key: string, callIds: string[], ani: string): Promise<void> {
  const answers = await Promise.all(
    callIds.map(async (callId, i) => {
      const res = await request(apps[i % apps.length].app)
        .post('/v1/calls/start')
        .set('Authorization', `Bearer ${key}`)
        .send({ call_id: callId, identity_hints: { ani } });
      expect(res.status).toBe(200);
      return res.body as StartAnswer;
    }),
  );
  expect(new Set(answers.map((a) => a.customer_ref)).size).toBe(1);
  const [first, ...returning] = [...answers].sort((a, b) => a.identity.sources.length - b.identity.sources.length);
  expect([first.identity, first.flat.is_returning]).toEqual([{ confidence: 0, level: 'low', sources: [], recommendation: 'ignore' }, 'false']);
  for (const a of returning) {
    expect([a.identity.confidence, a.identity.sources, a.flat.is_returning]).toEqual([0.4, ['ani:unknown', 'recency:1day'], 'true']);
  }
}

describe.each(ENGINES)('concurrent first calls from one new number on %s', (engine) => {
  let apps: TestApp[];
  let key: string;
  let seq = 0;
  const ani = () => `+1929555${String(1000 + ++seq).padStart(4, '0')}`;
  const callIds = (n: number) => Array.from({ length: n }, () => `first_call_${++seq}`);

  beforeAll(async () => {
    const first = await createTestApp(engine);
    // SQLite serves one instance (README); PostgreSQL runs a second instance over the same database.
    apps = engine === 'postgresql' ? [first, await createTestAppOn(first.database)] : [first];
    const em = first.orm.em.fork();
    ({ secret: key } = await makeKey(first.keys, em, await makeOrganisation(first.keys, em)));
  });
  afterAll(async () => {
    for (const app of [...apps].reverse()) await app.close();
  });

  it(`makes one customer of 30 trials of two concurrent starts with different call_ids, ${engine === 'postgresql' ? 'one on each of two instances' : 'on one instance'}`, async () => {
    for (let trial = 0; trial < 30; trial++) await expectOneCaller(apps, key, callIds(2), ani());
  });

  it('makes one customer of 10 trials of five concurrent starts', async () => {
    for (let trial = 0; trial < 10; trial++) await expectOneCaller(apps, key, callIds(5), ani());
  });
});
