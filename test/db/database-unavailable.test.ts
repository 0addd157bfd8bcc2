/**
 * A PostgreSQL that cannot serve a request right now (every pooled connection busy past
 * DATABASE_CONNECT_TIMEOUT_MS, or the server gone while the service runs) is a clear, retryable answer on
 * both transports: 503 SERVICE_UNAVAILABLE with Retry-After, never a masked 500, and nothing written.
 * PostgreSQL only: the embedded SQLite file has neither a pool nor a network between it and the service.
 */
import type { MikroORM } from '@mikro-orm/core';
import type { PostgreSqlConnection } from '@mikro-orm/postgresql';
import request from 'supertest';

import type { DatabaseConfig } from '../../src/config';
import { databaseState } from '../support/database-state';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { restClient, type RestClient } from '../support/rest-client';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { createTestApp, createTestAppOn, type TestApp } from '../support/test-app';

const UNAVAILABLE = { error: 'Service Unavailable', message: 'The database is unavailable right now; retry in 1 s' };
const GRAPHQL_UNAVAILABLE = { message: UNAVAILABLE.message, extensions: { code: 'SERVICE_UNAVAILABLE' } };
const CUSTOMERS = 'query { customers(first: 1) { totalCount } }';

type PostgresConfig = Extract<DatabaseConfig, { engine: 'postgresql' }>;

function postgres(database: DatabaseConfig): PostgresConfig {
  if (database.engine !== 'postgresql') throw new Error('PostgreSQL only');
  return database;
}

/** The same PostgreSQL database reached through another port of this host. */
function through(database: DatabaseConfig, port: number): PostgresConfig {
  const url = new URL(postgres(database).url);
  url.host = `127.0.0.1:${port}`;
  return { ...postgres(database), url: url.toString() };
}

/** Calls `then` as soon as the ORM has sent a statement matching `pattern` (the API-key lookup, say). */
function onStatement(orm: MikroORM, pattern: RegExp, then: () => void): () => void {
  const logger = orm.config.getLogger();
  const logQuery = logger.logQuery;
  let done = false;
  logger.logQuery = function (this: unknown, context) {
    if (!done && pattern.test(context.query ?? '')) {
      done = true;
      then();
    }
    return logQuery.call(this, context);
  };
  return () => {
    logger.logQuery = logQuery;
  };
}

async function expectRestUnavailable(rest: RestClient, callId: string): Promise<void> {
  const answer = await rest.post('/v1/calls/start', { call_id: callId, identity_hints: { ani: '4155550123' } });
  expect([answer.status, answer.headers['retry-after'], answer.body]).toEqual([503, '1', UNAVAILABLE]);
}

describe('a database that cannot serve the request, on postgresql', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp('postgresql');
  });
  afterAll(() => t.close());

  describe('with every pooled connection busy past DATABASE_CONNECT_TIMEOUT_MS', () => {
    let small: TestApp;
    let rest: RestClient;
    let gql: GraphQLClient;

    beforeAll(async () => {
      // 1 s: on a loaded machine, opening a PostgreSQL connection alone can take longer than 200 ms.
      small = await createTestAppOn({ ...postgres(t.database), poolSize: 1, connectTimeoutMs: 1000 });
      rest = await restClient(small);
      gql = await graphqlClient(small);
    });
    afterAll(() => small.close());

    /** Runs `work` while something else holds the app's only connection. */
    async function withPoolExhausted(work: () => Promise<void>): Promise<void> {
      const pool = await (small.orm.em.getConnection() as PostgreSqlConnection).getNativeClient();
      const held = await pool.connect();
      try {
        await work();
      } finally {
        held.release();
      }
    }

    it('answers a REST start 503 SERVICE_UNAVAILABLE with Retry-After, and writes nothing', async () => {
      const before = await databaseState(t.orm);
      await withPoolExhausted(() => expectRestUnavailable(rest, 'pool-busy'));
      expect(await databaseState(t.orm)).toEqual(before);
    });

    it('answers a GraphQL operation 503 with extensions.code SERVICE_UNAVAILABLE and Retry-After', async () => {
      await withPoolExhausted(async () => {
        const answer = await request(small.app).post('/graphql').set('Authorization', `Bearer ${gql.key}`).send({ query: CUSTOMERS });
        expect([answer.status, answer.headers['retry-after'], answer.body]).toEqual([503, '1', { errors: [GRAPHQL_UNAVAILABLE] }]);
      });
    });

    it('serves again as soon as a connection is free', async () => {
      expect((await gql.request(CUSTOMERS)).status).toBe(200);
    });
  });

  describe('when PostgreSQL goes away while the service runs', () => {
    let proxy: TcpProxy;
    let proxied: TestApp;
    let rest: RestClient;
    let gql: GraphQLClient;

    beforeEach(async () => {
      const server = new URL(postgres(t.database).url);
      proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
      // One connection: a request that lost it and kept its pool slot would leave the next one nothing.
      proxied = await createTestAppOn({ ...through(t.database, proxy.port), connectTimeoutMs: 1000, poolSize: 1 });
      rest = await restClient(proxied);
      gql = await graphqlClient(proxied);
    });
    afterEach(async () => {
      await proxy.close();
      await proxied.close();
    });

    it('answers a REST start 503, not 500, once its connections are cut and refused', async () => {
      const before = await databaseState(t.orm);
      proxy.cut();
      await expectRestUnavailable(rest, 'gone-before');
      expect(await databaseState(t.orm)).toEqual(before);
    });

    it('answers a GraphQL operation 503, not 500, once its connections are cut and refused', async () => {
      proxy.cut();
      const answer = await request(proxied.app).post('/graphql').set('Authorization', `Bearer ${gql.key}`).send({ query: CUSTOMERS });
      expect([answer.status, answer.headers['retry-after'], answer.body]).toEqual([503, '1', { errors: [GRAPHQL_UNAVAILABLE] }]);
    });

    it('answers a REST start 503 when the database goes away after the key was checked, and writes nothing', async () => {
      const before = await databaseState(t.orm);
      const restore = onStatement(proxied.orm, /\bapi_keys\b/, () => proxy.cut());
      try {
        await expectRestUnavailable(rest, 'gone-during');
      } finally {
        restore();
      }
      expect(await databaseState(t.orm)).toEqual(before);
    });

    it('serves again once PostgreSQL is back, after losing the connection under a REST start transaction', async () => {
      const restore = onStatement(proxied.orm, /^begin\b/i, () => proxy.cut());
      try {
        await expectRestUnavailable(rest, 'lost-in-transaction');
      } finally {
        restore();
      }
      await proxy.reopen();
      const answer = await rest.post('/v1/calls/start', { call_id: 'after-the-outage', identity_hints: { ani: '4155550123' } });
      expect(answer.status).toBe(200);
    });

    it('answers a GraphQL field SERVICE_UNAVAILABLE, as a 503, when the database goes away after the key was checked', async () => {
      // Cut after the last read before the operation runs (the organisation's limits, read once the key was checked).
      const restore = onStatement(proxied.orm, /\brate_limit_per_minute\b/, () => proxy.cut());
      try {
        const answer = await request(proxied.app).post('/graphql').set('Authorization', `Bearer ${gql.key}`).send({ query: CUSTOMERS });
        expect([answer.status, answer.headers['retry-after']]).toEqual([503, '1']);
        expect(answer.body).toEqual({ data: null, errors: [{ ...GRAPHQL_UNAVAILABLE, locations: expect.any(Array), path: ['customers'] }] });
      } finally {
        restore();
      }
    });
  });
});
