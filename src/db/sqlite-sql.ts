/**
 * The call hot path's statements on SQLite, straight on better-sqlite3 inside a transaction the ORM's
 * connection opened (so Kysely's connection mutex is held: no other request's statement can come in
 * between). Kysely's per-statement path (query compilation, its queue, a promise chain per statement)
 * was about an eighth of a start's CPU; here a statement is a cached prepared statement run at once.
 */
import type { ExceptionConverter } from '@mikro-orm/core';

import type { Dialect, Sql } from './sql';

/** The part of better-sqlite3 used here (the ORM's orm.ts caches its prepared statements). */
export interface SqliteDatabase {
  prepare(text: string): SqliteStatement;
}

interface SqliteStatement {
  readonly reader: boolean;
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): { changes: number };
}

/** Where statements are reported (the ORM's query log) and how errors are converted. */
export interface SqliteParts {
  dialect: Dialect;
  converter: ExceptionConverter;
  logQuery(sql: string, context: { params: readonly unknown[]; took: number }): void;
}

/** Statements on the open transaction of `db`. */
export class SqliteSql implements Sql {
  readonly dialect: Dialect;

  constructor(
    private readonly parts: SqliteParts,
    private readonly db: SqliteDatabase,
  ) {
    this.dialect = parts.dialect;
  }

  private execute<T>(text: string, params: readonly unknown[], run: (statement: SqliteStatement) => T): T {
    const started = performance.now();
    try {
      const result = run(this.db.prepare(text));
      this.parts.logQuery(text, { params, took: Math.round(performance.now() - started) });
      return result;
    } catch (error) {
      throw error instanceof Error ? this.parts.converter.convertException(error as Error & { code?: string }) : error;
    }
  }

  async all<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.execute(text, params, (s) => (s.reader ? (s.all(...params) as T[]) : (s.run(...params), [])));
  }

  async one<T>(text: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return this.execute(text, params, (s) => (s.reader ? (s.get(...params) as T | undefined) : (s.run(...params), undefined)));
  }

  async run(text: string, params: readonly unknown[] = []): Promise<number> {
    return this.execute(text, params, (s) => (s.reader ? (s.all(...params), 0) : s.run(...params).changes));
  }

  async last(writes: Promise<unknown>): Promise<void> {
    await writes;
  }
}
