/**
 * The call hot path's own way to PostgreSQL: straight on a client of the ORM's pg pool (the same pool,
 * so DATABASE_POOL_SIZE and db/lost-connections.ts hold), without Kysely's and the ORM's per-statement
 * layers, in fewer round trips:
 *
 * - Named prepared statements: each distinct text gets a name, so PostgreSQL parses and plans it once per
 *   connection instead of once per statement (Kysely sends unnamed ones).
 * - Pipelining: while a transaction holds the client it is in pg's pipeline mode, so statements issued
 *   before the previous one answered go out at once and share one round trip. `begin` rides with the
 *   first statement; the domain code sends independent statements together (`Promise.all`). PostgreSQL
 *   still runs them one after another in the order sent, each with its own snapshot, so a read sent
 *   after a lock sees what the lock's holder committed, exactly as if it had been awaited.
 *
 * A statement that fails aborts the transaction; those sent behind it fail with 25P02 and the awaited
 * one reports the first error, as a serial run would have.
 */
import type { ExceptionConverter } from '@mikro-orm/core';
import type { Pool, PoolClient, QueryResult } from 'pg';

import type { Dialect, Sql } from './sql';

/** The numbered text and the statement name of each distinct `?` text (a few dozen at most). */
const prepared = new Map<string, { text: string; name: string }>();

/** The `$n` text and a statement name for a text with `?` placeholders (the texts here never quote a question mark). */
function preparedOf(text: string): { text: string; name: string } {
  let found = prepared.get(text);
  if (found === undefined) {
    let n = 0;
    found = { text: text.replace(/\?/g, () => `$${++n}`), name: `cm_${prepared.size + 1}` };
    prepared.set(text, found);
  }
  return found;
}

/** What the statements report to (the ORM's query log) and how their errors are converted. */
export interface PgParts {
  dialect: Dialect;
  converter: ExceptionConverter;
  logQuery(sql: string, context: { params: readonly unknown[]; took: number }): void;
}

/** SQLSTATE of a statement refused because an earlier one of its transaction failed. */
const IN_FAILED_TRANSACTION = '25P02';

/** pg's client with its (public, pg ≥ 8.22) pipeline switch. */
type PipelinedClient = PoolClient & { pipeline: boolean };

class PgSql implements Sql {
  readonly dialect: Dialect;

  constructor(
    private readonly parts: PgParts,
    private readonly client: PoolClient,
  ) {
    this.dialect = parts.dialect;
  }

  private corked = false;

  /**
   * Holds the socket's writes until the end of the current tick, so the statements issued together go
   * out in one write (one system call) rather than one each.
   */
  private cork(): void {
    if (this.corked) return;
    const stream = (this.client as unknown as { connection?: { stream?: NodeJS.WritableStream & { cork?(): void; uncork?(): void } } }).connection?.stream;
    if (!stream?.cork || !stream.uncork) return;
    stream.cork();
    this.corked = true;
    process.nextTick(() => {
      this.corked = false;
      stream.uncork!();
    });
  }

  // Sends at once (no await before client.query): statements go out in the order they are issued.
  /** Set once the transaction has ended and its client gone back to the pool. */
  ended = false;

  private execute(text: string, params: readonly unknown[]): Promise<QueryResult> {
    // A statement issued late by work whose transaction already ended (a sibling of a failed statement
    // still running on) would run outside it, or inside another request's on the pooled client: refused.
    if (this.ended) return Promise.reject(new Error('A statement was issued after its transaction ended'));
    this.cork();
    const statement = preparedOf(text);
    const started = performance.now();
    return this.client.query({ name: statement.name, text: statement.text, values: params as unknown[] }).then(
      (result) => {
        this.parts.logQuery(statement.text, { params, took: Math.round(performance.now() - started) });
        return result;
      },
      (error: unknown) => {
        throw this.failure(error);
      },
    );
  }

  /** The transaction's first failure: what every statement failing behind it reports (see `failure`). */
  private firstFailure?: unknown;

  /**
   * The error a failed statement reports. Statements sent behind a failed one fail with 25P02 ("current
   * transaction is aborted"), and their answers can reach the code awaiting them before the real error has
   * climbed through its own callers' awaits; so they all report the first failure (answers arrive in the
   * order sent), and the transaction fails with it whichever promise settles first: a unique violation
   * stays one (retryOnRace replays), a statement timeout stays a 503, never a 500.
   */
  private failure(error: unknown): unknown {
    if (this.firstFailure !== undefined && (error as { code?: string } | undefined)?.code === IN_FAILED_TRANSACTION) return this.firstFailure;
    const converted = error instanceof Error ? this.parts.converter.convertException(error as Error & { code?: string }) : error;
    this.firstFailure ??= converted;
    return converted;
  }

  /** Sends `begin`, to go out with the statements issued right after it. */
  begin(): Promise<unknown> {
    return this.control('begin');
  }

  /** Sends a transaction control statement, reported to the ORM's query log as it goes out (as the ORM's own are). */
  control(text: 'begin' | 'commit' | 'rollback'): Promise<unknown> {
    this.cork();
    this.parts.logQuery(text, { params: [], took: 0 });
    return this.client.query(text);
  }

  async all<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.execute(text, params)).rows as T[];
  }

  async one<T>(text: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.execute(text, params)).rows[0] as T | undefined;
  }

  async run(text: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.execute(text, params)).rowCount ?? 0;
  }

  /** The commit, once sent by `last`. */
  committing?: Promise<{ command?: string }>;

  async last(writes: Promise<unknown>): Promise<void> {
    const commit = this.control('commit') as Promise<{ command?: string }>;
    commit.catch(() => undefined);
    this.committing = commit;
    // A write that fails aborts the transaction; the commit behind it then only rolls back.
    await writes;
    const { command } = await commit.catch((error: Error) => {
      throw this.parts.converter.convertException(error);
    });
    if (command !== 'COMMIT') throw new Error(`the transaction ended with ${command} instead of COMMIT`);
  }
}

/**
 * Prepared statements made before a schema change (a migration run by another instance on deploy) that
 * PostgreSQL refuses from then on: 0A000 "cached plan must not change result type" when a column they
 * return changed type, 26000 when the server no longer has them (a pooler handed over another session).
 */
function isStalePrepared(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return (code === '0A000' && /cached plan must not change result type/.test(message ?? '')) || code === '26000';
}

/** Bumped when a connection's prepared statements went stale: every connection prepared before forgets its own. */
let preparedGeneration = 0;
const generationOf = new WeakMap<PoolClient, number>();

/** Drops a connection's prepared statements, on the server and in pg's memory of them, so they are prepared anew. */
async function forgetPrepared(client: PoolClient): Promise<void> {
  await client.query('deallocate all');
  const connection = (client as unknown as { connection: { parsedStatements: object; submittedNamedStatements: object } }).connection;
  connection.parsedStatements = {};
  connection.submittedNamedStatements = {};
}

/**
 * Runs `work` in a transaction on a client of `pool`: commits when it resolves, rolls back when it throws.
 * A client whose rollback fails (its connection is gone) is released as broken, never reused. When the
 * schema changed under the connections' prepared statements, they are all dropped (each before its next
 * use) and `work` runs once more: nothing of the failed attempt was committed.
 */
export async function pgTransaction<T>(pool: Pool, parts: PgParts, work: (sql: Sql) => Promise<T>): Promise<T> {
  try {
    return await attempt(pool, parts, work);
  } catch (error) {
    if (!isStalePrepared(error)) throw error;
    preparedGeneration++;
    return attempt(pool, parts, work);
  }
}

async function attempt<T>(pool: Pool, parts: PgParts, work: (sql: Sql) => Promise<T>): Promise<T> {
  const client = (await pool.connect()) as PipelinedClient;
  if ((generationOf.get(client) ?? preparedGeneration) < preparedGeneration) {
    try {
      await forgetPrepared(client);
    } catch (error) {
      client.release(error as Error);
      throw error instanceof Error ? parts.converter.convertException(error) : error;
    }
  }
  generationOf.set(client, preparedGeneration);
  client.pipeline = true;
  let broken: Error | undefined;
  const sql = new PgSql(parts, client);
  try {
    // Not awaited: it goes out with the first statement of `work`, which fails too if it does.
    const begun = sql.begin();
    begun.catch(() => undefined);
    let result: T;
    try {
      result = await work(sql);
      await begun;
    } catch (error) {
      // After a commit sent by `last`, a rollback only draws a warning; it still tells whether the connection lives.
      await sql.control('rollback').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    }
    if (sql.committing) return result;
    await sql.control('commit').catch((error: Error) => {
      throw parts.converter.convertException(error);
    });
    return result;
  } finally {
    // Back to pg's default for the ORM's own use of this client: nothing is in flight any more.
    sql.ended = true;
    client.pipeline = false;
    client.release(broken);
  }
}
