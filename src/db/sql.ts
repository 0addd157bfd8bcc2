/**
 * Plain, parameterised SQL on the ORM's own connection, for the hot paths (a call's start and end).
 *
 * MikroORM inlines every parameter into the SQL text it sends, so the database parses each statement
 * anew, and its unit of work costs about 0.3 ms per entity loaded or flushed (measured). The queries
 * here keep their `?` placeholders (rewritten to `$n` for PostgreSQL), so SQLite reuses one prepared
 * statement per text. They run on the same Kysely connection as the ORM, inside its transactions: on
 * SQLite that connection's mutex is what keeps another request's statements out of ours.
 *
 * Callers write the tenant's columns into every statement themselves; these helpers add no filter.
 */
import type { EntityManager, ExceptionConverter } from '@mikro-orm/core';
import { SqlitePlatform } from '@mikro-orm/sql';
import { CompiledQuery, type Kysely } from 'kysely';
import type { Pool } from 'pg';

import { GroupCommit, type TransactionRunner } from './group-commit';
import { pgTransaction } from './pg-sql';
import { SqliteSql, type SqliteDatabase } from './sqlite-sql';

/** How values cross into and out of the database for one dialect. */
export interface Dialect {
  readonly name: 'sqlite' | 'postgresql';
  /** A Date as a parameter. */
  date(value: Date): unknown;
  /** A date column's value as a Date. */
  toDate(value: unknown): Date;
  /** A boolean as a parameter. */
  bool(value: boolean): unknown;
  /** A JSON column's parameter. */
  json(value: unknown): unknown;
  /** A JSON column's value, parsed. */
  fromJson<T>(value: unknown): T;
}

/** JSON goes in as text on both (node-postgres would send an array as a PostgreSQL array); jsonb comes out parsed. */
const JSON_TEXT = {
  json: (value: unknown) => JSON.stringify(value),
  fromJson: <T>(value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as T,
};

/** MikroORM's SQLite mapping: dates as epoch milliseconds, booleans as 0/1, JSON as text. */
export const SQLITE: Dialect = {
  name: 'sqlite',
  date: (value) => value.getTime(),
  toDate: (value) => new Date(value as number | string),
  bool: (value) => (value ? 1 : 0),
  ...JSON_TEXT,
};

/** node-postgres: timestamptz in and out as Date, booleans as they are. */
export const POSTGRESQL: Dialect = {
  name: 'postgresql',
  date: (value) => value,
  toDate: (value) => (value instanceof Date ? value : new Date(value as string)),
  bool: (value) => value,
  ...JSON_TEXT,
};

/** Statements with their parameters, run in one transaction or on the bare connection. */
export interface Sql {
  readonly dialect: Dialect;
  /** Every row the statement returns. */
  all<T>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** The first row, or undefined. */
  one<T>(text: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** Runs a write; resolves to the number of rows it changed. */
  run(text: string, params?: readonly unknown[]): Promise<number>;
  /**
   * Awaits a transaction's last writes, the last thing its work does: on PostgreSQL the commit is sent
   * right behind them (one round trip fewer), and a failed write still fails (and rolls back) the whole.
   */
  last(writes: Promise<unknown>): Promise<void>;
}

/** The part of Kysely (a database or a transaction) that runs a compiled query. */
type Executor = Pick<Kysely<unknown>, 'executeQuery'>;

const numbered = new Map<string, string>();

/** `?` placeholders as PostgreSQL's `$1, $2, …` (the statements here never quote a question mark). */
export function toNumbered(text: string): string {
  let converted = numbered.get(text);
  if (converted === undefined) {
    let n = 0;
    converted = text.replace(/\?/g, () => `$${++n}`);
    numbered.set(text, converted);
  }
  return converted;
}

/** What statements need of the ORM: its connection (for logging) and its exception classes. */
interface OrmParts {
  dialect: Dialect;
  connection: SqlConnection;
  converter: ExceptionConverter;
}

/** The ORM parts behind an EntityManager; shared by all its forks, so holding them keeps no request alive. */
function partsOf(em: EntityManager): OrmParts {
  const platform = em.getPlatform();
  return {
    dialect: platform instanceof SqlitePlatform ? SQLITE : POSTGRESQL,
    connection: em.getConnection() as unknown as SqlConnection,
    converter: platform.getExceptionConverter(),
  };
}

class KyselySql implements Sql {
  readonly dialect: Dialect;

  constructor(
    private readonly parts: OrmParts,
    private readonly executor: Executor,
  ) {
    this.dialect = parts.dialect;
  }

  private async execute<T>(text: string, params: readonly unknown[]) {
    const sql = this.dialect.name === 'postgresql' ? toNumbered(text) : text;
    const started = performance.now();
    try {
      const result = await this.executor.executeQuery<T>(CompiledQuery.raw(sql, params as unknown[]));
      // Reported like the ORM's own statements: its debug log and query counters see these too.
      this.parts.connection.logQuery(sql, { params, took: Math.round(performance.now() - started) });
      return result;
    } catch (error) {
      // The ORM's exception classes (UniqueConstraintViolationException, …), as its own queries raise.
      throw error instanceof Error ? this.parts.converter.convertException(error as Error & { code?: string }) : error;
    }
  }

  async all<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.execute<T>(text, params)).rows as T[];
  }

  async one<T>(text: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.execute<T>(text, params)).rows[0];
  }

  async run(text: string, params: readonly unknown[] = []): Promise<number> {
    return Number((await this.execute(text, params)).numAffectedRows ?? 0);
  }

  async last(writes: Promise<unknown>): Promise<void> {
    await writes;
  }
}

interface SqlConnection {
  getClient(): Kysely<unknown>;
  logQuery(sql: string, context: { params: readonly unknown[]; took: number }): void;
  transactional<T>(cb: (trx: Executor) => Promise<T>): Promise<T>;
}

/** Statements on the EntityManager's current transaction, or on the bare connection outside one. */
export function sqlOf(em: EntityManager): Sql {
  const parts = partsOf(em);
  return new KyselySql(parts, (em.getTransactionContext() as Executor | undefined) ?? parts.connection.getClient());
}

const groupCommits = new WeakMap<object, GroupCommit>();

/** Runs a body in a new transaction of the EntityManager's connection, with that transaction's statements. */
export function transactionRunner(em: EntityManager): TransactionRunner {
  const parts = partsOf(em);
  return (body) => parts.connection.transactional((trx) => body(new KyselySql(parts, trx)));
}

/**
 * SQLite: a transaction of the ORM's connection (holding its mutex) whose statements go straight to
 * better-sqlite3 (db/sqlite-sql.ts).
 */
function sqliteTransactionRunner(em: EntityManager): TransactionRunner {
  const parts = partsOf(em);
  const { connection, converter, dialect } = parts;
  const logQuery = (text: string, context: { params: readonly unknown[]; took: number }) => connection.logQuery(text, context);
  let native: Promise<SqliteDatabase> | undefined;
  return async (body) => {
    native ??= (connection as unknown as { getNativeClient(): Promise<SqliteDatabase> }).getNativeClient();
    const db = await native;
    return connection.transactional(() => body(new SqliteSql({ dialect, converter, logQuery }, db)));
  };
}

/** The connection's group commit (SQLite), made on first use. */
function groupCommitOf(em: EntityManager): GroupCommit {
  const connection = em.getConnection();
  let group = groupCommits.get(connection);
  if (!group) {
    group = new GroupCommit(sqliteTransactionRunner(em));
    groupCommits.set(connection, group);
  }
  return group;
}

/** SQLite: `observe` hears the number of units of each batch the connection's group commit commits. */
export function observeGroupCommits(em: EntityManager, observe: (units: number) => void): void {
  if (em.getPlatform() instanceof SqlitePlatform) groupCommitOf(em).onCommit = observe;
}

/** The pg pool under a PostgreSQL EntityManager's connection (the ORM's own). */
async function poolOf(em: EntityManager): Promise<Pool> {
  const connection = em.getConnection() as unknown as { getNativeClient(): Promise<Pool> };
  let pool = pools.get(connection);
  if (!pool) {
    pool = await connection.getNativeClient();
    pools.set(connection, pool);
  }
  return pool;
}

const pools = new WeakMap<object, Pool>();

/**
 * Runs `work` atomically without the ORM's unit of work: in the EntityManager's transaction when it is
 * in one; else, on SQLite, in the next group commit (db/group-commit.ts); else, on PostgreSQL, in a
 * transaction of its own straight on the pool (db/pg-sql.ts: named statements, pipelined). Resolves once
 * `work`'s writes are committed; when it throws, none of them are.
 *
 * Statements issued together (`Promise.all`) share one round trip on PostgreSQL and run in the order
 * issued on both engines; a helper used that way must send its statement before its first await.
 */
export async function inTransaction<T>(em: EntityManager, work: (sql: Sql) => Promise<T>): Promise<T> {
  if (em.getTransactionContext()) return work(sqlOf(em));
  if (em.getPlatform() instanceof SqlitePlatform) return groupCommitOf(em).run(work);
  const parts = partsOf(em);
  const { connection, converter, dialect } = parts;
  return pgTransaction(await poolOf(em), { dialect, converter, logQuery: (text, context) => connection.logQuery(text, context) }, work);
}

const sqliteRunners = new WeakMap<object, TransactionRunner>();

/**
 * Runs long, read-only `work` (an export) in a transaction of its own: on SQLite outside the group commit,
 * so it is never a unit of a batch whose other units wait for it before their commit; on PostgreSQL as
 * `inTransaction`. It sees one consistent state and must not write.
 */
export async function inReadTransaction<T>(em: EntityManager, work: (sql: Sql) => Promise<T>): Promise<T> {
  if (em.getTransactionContext() || !(em.getPlatform() instanceof SqlitePlatform)) return inTransaction(em, work);
  const connection = em.getConnection();
  let runner = sqliteRunners.get(connection);
  if (!runner) {
    runner = sqliteTransactionRunner(em);
    sqliteRunners.set(connection, runner);
  }
  let result: T;
  await runner(async (sql) => {
    result = await work(sql);
  });
  return result!;
}

/**
 * Statements sent but not awaited yet, as one promise that rejects with the first failure. It may be
 * awaited later (with the statement sent after them, in one round trip on PostgreSQL) without an
 * unhandled rejection in between.
 */
export function settled(statements: Promise<unknown>[]): Promise<void> {
  const all = Promise.all(statements).then(() => undefined);
  all.catch(() => undefined);
  return all;
}
