/**
 * Group commit on SQLite (src/db/group-commit.ts): units of work queued together share one transaction,
 * a failing unit is undone alone, and nothing resolves before it is committed.
 */
import { randomUUID } from 'node:crypto';

import type { MikroORM } from '@mikro-orm/core';

import { GroupCommit } from '../../src/db/group-commit';
import { initOrm } from '../../src/db/orm';
import { inTransaction, sqlOf, transactionRunner, type Sql } from '../../src/db/sql';
import { statementsOf } from '../support/query-counter';
import { createTestOrm } from '../support/test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const insertOrganisation = (sql: Sql, slug: string) =>
  sql.run('insert into organisations (id, slug, name, created_at) values (?, ?, ?, ?)', [randomUUID(), slug, slug, sql.dialect.date(new Date())]);

describe('group commit on sqlite', () => {
  let orm: MikroORM;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ orm, close } = await createTestOrm('sqlite'));
  });
  afterAll(() => close());

  const slugs = async (prefix: string) =>
    (await sqlOf(orm.em.fork()).all<{ slug: string }>('select slug from organisations where slug like ? order by slug', [`${prefix}%`])).map((r) => r.slug);

  it('commits units queued together in one transaction', async () => {
    const statements = await statementsOf(orm, () =>
      Promise.all(['batch-a', 'batch-b', 'batch-c', 'batch-d'].map((slug) => inTransaction(orm.em.fork(), (sql) => insertOrganisation(sql, slug)))),
    );
    expect(statements.filter((s) => s === 'begin')).toHaveLength(1);
    expect(statements.filter((s) => s === 'commit')).toHaveLength(1);
    expect(await slugs('batch-')).toEqual(['batch-a', 'batch-b', 'batch-c', 'batch-d']);
  });

  it('undoes a failing unit alone and rejects it with its own error', async () => {
    const failure = new Error('this unit fails after writing');
    const results = await Promise.allSettled([
      inTransaction(orm.em.fork(), (sql) => insertOrganisation(sql, 'alone-a')),
      inTransaction(orm.em.fork(), async (sql) => {
        await insertOrganisation(sql, 'alone-b');
        throw failure;
      }),
      inTransaction(orm.em.fork(), (sql) => insertOrganisation(sql, 'alone-c')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBe(failure);
    expect(await slugs('alone-')).toEqual(['alone-a', 'alone-c']);
  });

  it('resolves a unit only once another connection can read what it wrote', async () => {
    const other = await initOrm({ engine: 'sqlite', path: orm.config.get('dbName')! }, { migrate: false });
    try {
      const seen = await Promise.all(
        ['durable-a', 'durable-b'].map(async (slug) => {
          await inTransaction(orm.em.fork(), (sql) => insertOrganisation(sql, slug));
          return (await sqlOf(other.em.fork()).all('select 1 from organisations where slug = ?', [slug])).length;
        }),
      );
      expect(seen).toEqual([1, 1]);
    } finally {
      await other.close();
    }
  });

  it('rejects every unit of a batch whose commit fails, and keeps none of their writes', async () => {
    const commitFailure = new Error('disk I/O error');
    const transaction = transactionRunner(orm.em.fork());
    // The real transaction, made to fail at its end as a failed COMMIT would: it rolls back.
    const group = new GroupCommit((body) =>
      transaction(async (sql) => {
        await body(sql);
        throw commitFailure;
      }),
    );
    const results = await Promise.allSettled(['lost-a', 'lost-b'].map((slug) => group.run((sql) => insertOrganisation(sql, slug))));
    expect(results.map((r) => (r.status === 'rejected' ? r.reason : r.status))).toEqual([commitFailure, commitFailure]);
    expect(await slugs('lost-')).toEqual([]);
  });

  /** Work whose one branch fails while a sibling awaits `ms` and then writes `slug`; the late write's outcome goes to `late`. */
  const failingWithStraggler = (slug: string, ms: number, late: Promise<unknown>[]) => async (sql: Sql) => {
    const straggler = (async () => {
      await sql.one('select 1 as x');
      await sleep(ms);
      const write = insertOrganisation(sql, slug);
      late.push(write.catch((e: unknown) => e));
      return write;
    })();
    straggler.catch(() => undefined);
    await Promise.all([straggler, Promise.reject(new Error('refused'))]);
  };

  it('refuses a statement that a failed unit issues while the next unit runs, and keeps it out of that unit', async () => {
    const late: Promise<unknown>[] = [];
    const results = await Promise.allSettled([
      inTransaction(orm.em.fork(), failingWithStraggler('late-a', 50, late)),
      // The next unit of the batch is still running (in its savepoint) when the straggler writes.
      inTransaction(orm.em.fork(), async (sql) => {
        await insertOrganisation(sql, 'late-b');
        await sleep(200);
      }),
    ]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : r.status))).toEqual(['refused', 'fulfilled']);
    expect(((await late[0]) as Error).message).toBe('A statement was issued after its transaction ended');
    expect(await slugs('late-')).toEqual(['late-b']);
  });

  it('refuses a statement that a failed unit issues after its batch committed, instead of running it outside any transaction', async () => {
    const late: Promise<unknown>[] = [];
    const error = await inTransaction(orm.em.fork(), failingWithStraggler('after-a', 50, late)).catch((e: unknown) => e);
    expect((error as Error).message).toBe('refused');
    await sleep(150);
    expect(((await late[0]) as Error).message).toBe('A statement was issued after its transaction ended');
    expect(await slugs('after-')).toEqual([]);
    // The next unit is unaffected.
    await inTransaction(orm.em.fork(), (sql) => insertOrganisation(sql, 'after-b'));
    expect(await slugs('after-')).toEqual(['after-b']);
  });

  it('fails the queued units rather than retrying forever when no transaction can begin', async () => {
    const cannotBegin = new Error('database is locked');
    const group = new GroupCommit(() => Promise.reject(cannotBegin));
    const results = await Promise.allSettled([group.run(async () => 1), group.run(async () => 2)]);
    expect(results.map((r) => (r.status === 'rejected' ? r.reason : r.status))).toEqual([cannotBegin, cannotBegin]);
  });
});
