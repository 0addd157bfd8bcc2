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

  it('fails the queued units rather than retrying forever when no transaction can begin', async () => {
    const cannotBegin = new Error('database is locked');
    const group = new GroupCommit(() => Promise.reject(cannotBegin));
    const results = await Promise.allSettled([group.run(async () => 1), group.run(async () => 2)]);
    expect(results.map((r) => (r.status === 'rejected' ? r.reason : r.status))).toEqual([cannotBegin, cannotBegin]);
  });
});
