/**
 * The call hot path on PostgreSQL (db/pg-sql.ts): how many statements a start and an end send and in how
 * many round trips (a count, not a timing: a change that adds one fails here), and the statement timeout
 * (DATABASE_STATEMENT_TIMEOUT_MS) on every connection, answered 503 like any other database that cannot
 * serve now.
 */
import type { PostgreSqlConnection } from '@mikro-orm/postgresql';
import { Client, type Pool, type PoolClient } from 'pg';

import type { DatabaseConfig } from '../../src/config';
import { isDatabaseUnavailable } from '../../src/db/database-unavailable';
import { databaseState } from '../support/database-state';
import { restClient, type RestClient } from '../support/rest-client';
import { createTestApp, createTestAppOn, type TestApp } from '../support/test-app';

type PostgresConfig = Extract<DatabaseConfig, { engine: 'postgresql' }>;

function postgres(database: DatabaseConfig): PostgresConfig {
  if (database.engine !== 'postgresql') throw new Error('PostgreSQL only');
  return database;
}

/**
 * Statements sent, and round trips: a statement sent while none is awaiting its answer on that connection
 * starts one. The statement count is exact; a statement sent as the answer to another arrives may or may
 * not find one still outstanding, so round trips are asserted as a ceiling.
 */
interface Traffic {
  statements: string[];
  roundTrips: number;
}

/**
 * Reads every organisation's limits now: the rate limit reads them once per 5 s (limits/organisation-limits.ts),
 * so whether a measured request paid that read would depend on the time since the last one.
 */
async function warmLimits(app: TestApp): Promise<void> {
  const em = app.orm.em.fork();
  const rows = await em.getConnection().execute<{ organisation_id: string }[]>('select distinct organisation_id from api_keys');
  for (const row of rows) await app.services.limits.of(em, row.organisation_id);
}

/** Records what every connection of the app's pool sends while `work` runs (the organisations' limits read before). */
async function trafficOf(app: TestApp, work: () => Promise<unknown>): Promise<Traffic> {
  await warmLimits(app);
  const pool = (await (app.orm.em.getConnection() as PostgreSqlConnection).getNativeClient()) as Pool;
  const traffic: Traffic = { statements: [], roundTrips: 0 };
  const connect = pool.connect;
  const wrapped: PoolClient[] = [];
  const originals = new Map<PoolClient, PoolClient['query']>();
  pool.connect = (async () => {
    const client = await (connect as () => Promise<PoolClient>).call(pool);
    if (!originals.has(client)) {
      const query = client.query;
      originals.set(client, query);
      wrapped.push(client);
      let awaiting = 0;
      client.query = ((config: unknown, ...rest: unknown[]) => {
        traffic.statements.push(typeof config === 'string' ? config : (config as { text: string }).text);
        if (awaiting === 0) traffic.roundTrips++;
        awaiting++;
        const result = (query as (...args: unknown[]) => Promise<unknown>).call(client, config, ...rest);
        const done = () => {
          awaiting--;
        };
        result.then(done, done);
        return result;
      }) as PoolClient['query'];
    }
    return client;
  }) as Pool['connect'];
  try {
    await work();
  } finally {
    pool.connect = connect;
    for (const client of wrapped) client.query = originals.get(client)!;
  }
  return traffic;
}

describe('the call hot path on postgresql', () => {
  let t: TestApp;
  let rest: RestClient;

  beforeAll(async () => {
    // The request log's batched writes (off the request path, on their own connections) are not the call's.
    t = await createTestApp('postgresql', { REQUEST_LOG: 'false' });
    rest = await restClient(t);
    // A returning caller: one call with an intent and two variables.
    await rest.post('/v1/calls/start', { call_id: 'rt-seed', identity_hints: { ani: '4155550100' } });
    await rest.post('/v1/calls/end', { call_id: 'rt-seed', intent: 'refund_request', variables: { name: 'Ada', tier: 'gold' } });
  });
  afterAll(() => t.close());

  // Each start and end counts its usage with two upserts (usage/usage.sql.ts) sent with its last writes: no round trip more.
  it('starts a returning caller in 15 statements and at most 4 round trips (the key lookup included; begin and commit ride with statements)', async () => {
    const traffic = await trafficOf(t, async () => {
      expect((await rest.post('/v1/calls/start', { call_id: 'rt-returning', identity_hints: { ani: '4155550100' } })).status).toBe(200);
    });
    expect(traffic.statements).toHaveLength(15);
    expect(traffic.roundTrips).toBeLessThanOrEqual(4);
  });

  it('starts a new caller in 12 statements and at most 3 round trips', async () => {
    const traffic = await trafficOf(t, async () => {
      expect((await rest.post('/v1/calls/start', { call_id: 'rt-new', identity_hints: { ani: '4155550199' } })).status).toBe(200);
    });
    expect(traffic.statements).toHaveLength(12);
    expect(traffic.roundTrips).toBeLessThanOrEqual(3);
  });

  it('ends a call with an intent and two variables in 15 statements and at most 6 round trips', async () => {
    const traffic = await trafficOf(t, async () => {
      const answer = await rest.post('/v1/calls/end', { call_id: 'rt-new', customer_ref: '', intent: 'Billing Question', variables: { name: 'Bo', last_summary: 'invoice' } });
      expect(answer.status).toBe(200);
    });
    expect(traffic.statements).toHaveLength(15);
    expect(traffic.roundTrips).toBeLessThanOrEqual(6);
  });

  describe('with DATABASE_STATEMENT_TIMEOUT_MS', () => {
    let short: TestApp;
    let shortRest: RestClient;

    beforeAll(async () => {
      short = await createTestAppOn({ ...postgres(t.database), statementTimeoutMs: 300 });
      shortRest = await restClient(short);
    });
    afterAll(() => short.close());

    it('cancels a statement that runs longer on every connection, as a database that cannot serve now', async () => {
      const error = await short.orm.em.getConnection().execute('select pg_sleep(2)').catch((e: unknown) => e);
      expect((error as { code?: string }).code).toBe('57014');
      expect(isDatabaseUnavailable(error)).toBe(true);
    });

    it('answers a start stuck behind a lock past it 503 with Retry-After, and writes nothing', async () => {
      await shortRest.post('/v1/calls/start', { call_id: 'to-seed', identity_hints: { ani: '4155550111' } });
      const ref = (await shortRest.post('/v1/calls/start', { call_id: 'to-seed-2', identity_hints: { ani: '4155550111' } })).body.customer_ref as string;
      // Another session holds the customer's row lock, as a long merge would.
      const holder = new Client({ connectionString: postgres(t.database).url });
      await holder.connect();
      try {
        await holder.query('begin');
        await holder.query('select id from customers where ref = $1 for update', [ref]);
        const before = await databaseState(t.orm);
        const answer = await shortRest.post('/v1/calls/start', { call_id: 'to-stuck', identity_hints: { ani: '4155550111' } });
        expect([answer.status, answer.headers['retry-after'], answer.body]).toEqual([
          503,
          '1',
          { error: 'Service Unavailable', message: 'The database is unavailable right now; retry in 1 s' },
        ]);
        await holder.query('rollback');
        expect(await databaseState(t.orm)).toEqual(before);
      } finally {
        await holder.end();
      }
    });
  });
});
