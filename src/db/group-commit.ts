/**
 * Group commit for SQLite: concurrent units of work share one transaction, each inside its own savepoint.
 *
 * SQLite has one writer and the ORM one connection, so writes are serial anyway; what a write costs is
 * mostly its commit (appending the changed pages to the WAL, and the checkpoints that follow), about
 * two thirds of a call's start (measured). Committing several units at once writes each shared page
 * (index leaves, the calls table's last page) once per batch instead of once per unit.
 *
 * - A unit runs as soon as it is queued when nothing else is running; the batch commits when the queue
 *   is empty or holds `maxBatch` units, so an idle service adds no wait at all.
 * - Units run one after another, each seeing the writes of those before it, exactly as serial
 *   transactions would.
 * - A unit that throws is rolled back to its savepoint and rejected alone; the others still commit.
 * - No unit's promise resolves before the commit that makes it durable; if that commit fails, every unit
 *   of the batch is rejected (nothing acknowledged is lost).
 * - Each unit gets its own statement handle, closed once its work has settled: a statement its work
 *   issues later (a sibling of a failed statement still running on) would otherwise run inside the next
 *   unit's savepoint, or outside any transaction; it is refused instead.
 */
import { setImmediate } from 'node:timers';

import type { Sql } from './sql';

interface Unit {
  work: (sql: Sql) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Why a unit's late statement is refused (the same words as on PostgreSQL, db/pg-sql.ts). */
const ENDED = 'A statement was issued after its transaction ended';

/** The batch's statements for one unit, refused once that unit has settled. */
class UnitSql implements Sql {
  readonly dialect: Sql['dialect'];
  ended = false;

  constructor(private readonly sql: Sql) {
    this.dialect = sql.dialect;
  }

  all<T>(text: string, params?: readonly unknown[]): Promise<T[]> {
    return this.ended ? Promise.reject(new Error(ENDED)) : this.sql.all<T>(text, params);
  }

  one<T>(text: string, params?: readonly unknown[]): Promise<T | undefined> {
    return this.ended ? Promise.reject(new Error(ENDED)) : this.sql.one<T>(text, params);
  }

  run(text: string, params?: readonly unknown[]): Promise<number> {
    return this.ended ? Promise.reject(new Error(ENDED)) : this.sql.run(text, params);
  }

  last(writes: Promise<unknown>): Promise<void> {
    return this.sql.last(writes);
  }
}

/** Opens a transaction, runs the callback with its statements, and commits (or rolls back when it throws). */
export type TransactionRunner = (body: (sql: Sql) => Promise<void>) => Promise<void>;

export class GroupCommit {
  private readonly queue: Unit[] = [];
  private draining = false;
  /** Hears how many units each committed batch held (the app's metrics); db/ knows nothing of them. */
  onCommit?: (units: number) => void;

  constructor(
    private readonly transaction: TransactionRunner,
    private readonly maxBatch = 32,
  ) {}

  /** Runs `work` in the next batch; resolves with its result once the batch has committed. */
  run<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) await this.commitBatch();
    } finally {
      this.draining = false;
    }
  }

  private async commitBatch(): Promise<void> {
    const done: { unit: Unit; value: unknown }[] = [];
    let current: Unit | undefined;
    try {
      await this.transaction(async (sql) => {
        let waited = false;
        while (done.length < this.maxBatch) {
          if (this.queue.length === 0) {
            // Let the event loop take in what other requests have sent before committing: once per lull.
            if (waited) break;
            await new Promise(setImmediate);
            waited = true;
            continue;
          }
          waited = false;
          current = this.queue.shift()!;
          await sql.run('savepoint unit');
          const unitSql = new UnitSql(sql);
          try {
            const value = await current.work(unitSql);
            unitSql.ended = true;
            done.push({ unit: current, value });
          } catch (error) {
            // Closed before anything else runs: a straggler's statement must not reach the rollback's far side.
            unitSql.ended = true;
            current.reject(error);
            await sql.run('rollback to unit');
          }
          current = undefined;
          await sql.run('release unit');
        }
      });
    } catch (error) {
      // The transaction itself failed (begin, a savepoint or the commit): nothing of it was kept.
      const failed = done.map((d) => d.unit);
      if (current) failed.push(current);
      // When it could not even begin, the queue would only fail the same way: fail it rather than spin.
      if (failed.length === 0) failed.push(...this.queue.splice(0));
      for (const unit of failed) unit.reject(error);
      return;
    }
    if (done.length > 0) this.onCommit?.(done.length);
    for (const { unit, value } of done) unit.resolve(value);
  }
}
