/**
 * Errors in a pipelined transaction (db/pg-sql.ts): PostgreSQL answers every statement sent behind a failed
 * one with 25P02 ("current transaction is aborted"), and those answers may reach the awaiting code before
 * the real error has climbed through its callers' awaits. The transaction must still fail with the real
 * error (the first one), whichever statement the code happens to await: a race loser's unique violation
 * is retried into a replay, and a statement timeout is answered 503, never 500.
 */
import { createHash } from 'node:crypto';

import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { Client } from 'pg';

import type { DatabaseConfig } from '../../src/config';
import { inTransaction, settled } from '../../src/db/sql';
import { databaseState } from '../support/database-state';
import { restClient } from '../support/rest-client';
import { createTestApp, createTestAppOn, type TestApp } from '../support/test-app';

type PostgresConfig = Extract<DatabaseConfig, { engine: 'postgresql' }>;

function postgres(database: DatabaseConfig): PostgresConfig {
  if (database.engine !== 'postgresql') throw new Error('PostgreSQL only');
  return database;
}

const DUPLICATE = 'insert into rt_pipeline values (?)';

describe('errors in a pipelined transaction on postgresql', () => {
  let t: TestApp;
  const em = (): EntityManager => t.orm.em.fork();

  beforeAll(async () => {
    t = await createTestApp('postgresql');
    await t.orm.em.getConnection().execute('create table rt_pipeline (id int primary key)');
    await t.orm.em.getConnection().execute('insert into rt_pipeline values (1)');
  });
  afterAll(() => t.close());

  it('fails with the first statement’s unique violation when a statement sent after it is awaited first', async () => {
    const error = await inTransaction(em(), async (sql) => {
      const deep = (async () => {
        const changed = await sql.run(DUPLICATE, [1]);
        await Promise.resolve();
        return changed;
      })();
      await Promise.all([(async () => (await Promise.all([deep, sql.one('select 3 as x')]))[0])(), sql.one('select 1 as x')]);
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UniqueConstraintViolationException);
  });

  it('fails with the unique violation of a settled write awaited behind the last statement (sql.last)', async () => {
    const error = await inTransaction(em(), async (sql) => {
      const saved = settled([sql.run(DUPLICATE, [1]), sql.run('select 1')]);
      const inserted = sql.one('select 5 as z');
      await sql.last(Promise.all([inserted, saved]));
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UniqueConstraintViolationException);
    // Nothing half-done stays on the pooled connections: the next transactions run and see one row.
    for (let i = 0; i < 3; i++) {
      expect(await inTransaction(em(), (sql) => sql.one<{ n: number }>('select count(*)::int as n from rt_pipeline'))).toEqual({ n: 1 });
    }
  });

  it('refuses a statement that work issues after its transaction failed, instead of running it outside the transaction', async () => {
    const late: Promise<unknown>[] = [];
    const error = await inTransaction(em(), async (sql) => {
      const straggler = (async () => {
        await sql.one('select 1 as x');
        await new Promise((resolve) => setTimeout(resolve, 100));
        // Issued after the sibling's failure has rolled the transaction back and released the client.
        const write = sql.run('insert into rt_pipeline values (?)', [77]);
        late.push(write.catch((e: unknown) => e));
        return write;
      })();
      straggler.catch(() => undefined);
      await Promise.all([straggler, Promise.reject(new Error('refused'))]);
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('refused');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(((await late[0]) as Error).message).toBe('A statement was issued after its transaction ended');
    const [{ n }] = await t.orm.em.getConnection().execute<{ n: number }[]>('select count(*)::int as n from rt_pipeline where id = 77');
    expect(n).toBe(0);
  });

  describe('after a migration changes a column type under the running instance', () => {
    let deployed: TestApp;

    beforeAll(async () => {
      deployed = await createTestApp('postgresql');
    });
    afterAll(() => deployed.close());

    it('prepares its statements anew on every connection instead of answering 500 (cached plan must not change result type)', async () => {
      const rest = await restClient(deployed);
      // Several connections of the pool prepare the hot path's statements.
      const warm = await Promise.all(Array.from({ length: 6 }, (_, i) => rest.post('/v1/calls/start', { call_id: `mig-warm-${i}`, identity_hints: { ani: `41555502${10 + i}` } })));
      expect(warm.map((answer) => answer.status)).toEqual(Array(6).fill(200));
      // Another instance's migration widens a column the statements return.
      await deployed.orm.em.getConnection().execute('alter table calls alter column dnis type varchar(128)');
      const sequential = [];
      for (let i = 0; i < 4; i++) sequential.push((await rest.post('/v1/calls/start', { call_id: `mig-after-${i}`, identity_hints: { ani: '4155550210' } })).status);
      const concurrent = await Promise.all(Array.from({ length: 6 }, (_, i) => rest.post('/v1/calls/start', { call_id: `mig-storm-${i}`, identity_hints: { ani: `41555502${10 + i}` } })));
      expect([...sequential, ...concurrent.map((answer) => answer.status)]).toEqual(Array(10).fill(200));
      const ended = await rest.post('/v1/calls/end', { call_id: 'mig-after-0', intent: 'refund_request', variables: { name: 'Ada' } });
      expect(ended.status).toBe(200);
    });
  });

  describe('with DATABASE_STATEMENT_TIMEOUT_MS', () => {
    let short: TestApp;

    beforeAll(async () => {
      short = await createTestAppOn({ ...postgres(t.database), statementTimeoutMs: 300 });
    });
    afterAll(() => short.close());

    it('answers a start waiting past it for the identity lock (a concurrent call of the same number) 503, and writes nothing', async () => {
      const rest = await restClient(short);
      const first = await rest.post('/v1/calls/start', { call_id: 'idl-seed', identity_hints: { ani: '4155550122' } });
      expect(first.status).toBe(200);
      const [{ organisation_id: organisationId }] = await short.orm.em
        .getConnection()
        .execute<{ organisation_id: string }[]>('select organisation_id from calls where call_id = ?', ['idl-seed']);
      // The key identity.sql.ts's lockIdentities takes for this number in this tenant, held by another session.
      const key = createHash('sha256').update(`${organisationId}\0test\0ani\0+14155550122`).digest().readBigInt64BE(0);
      const holder = new Client({ connectionString: postgres(t.database).url });
      await holder.connect();
      try {
        await holder.query('begin');
        await holder.query('select pg_advisory_xact_lock($1::bigint)', [String(key)]);
        const before = await databaseState(short.orm);
        const answer = await rest.post('/v1/calls/start', { call_id: 'idl-stuck', identity_hints: { ani: '4155550122' } });
        expect([answer.status, answer.headers['retry-after']]).toEqual([503, '1']);
        await holder.query('rollback');
        expect(await databaseState(short.orm)).toEqual(before);
      } finally {
        await holder.end();
      }
    });
  });
});
