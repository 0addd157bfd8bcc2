/**
 * The replay window (REPLAY_WINDOW_HOURS): a retried start replays its first answer exactly from the
 * call's start snapshot, which is only needed while platforms still retry. The background purge drops
 * snapshots of calls that started before the window, in small batches (each its own short transaction,
 * on SQLite a unit of the next group commit), through the partial index of the calls that still hold
 * one. What a start retried after the window answers: see CallService.replayStart.
 */
import type { EntityManager } from '@mikro-orm/core';
import { setImmediate } from 'node:timers/promises';

import { inTransaction } from '../db/sql';

/** Snapshots dropped per batch: a few milliseconds of work on either engine. */
export const SNAPSHOT_BATCH_SIZE = 500;

const DROP_BATCH = `update calls set start_snapshot = null where id in (
  select id from calls where start_snapshot is not null and started_at < ? limit ?)`;

/** Drops the start snapshots of calls that started before `now - windowMs`; returns how many. */
export async function dropOldSnapshots(em: EntityManager, windowMs: number, now: Date, batchSize = SNAPSHOT_BATCH_SIZE): Promise<number> {
  const cutoff = new Date(now.getTime() - windowMs);
  let dropped = 0;
  for (;;) {
    const changed = await inTransaction(em, (sql) => sql.run(DROP_BATCH, [sql.dialect.date(cutoff), batchSize]));
    dropped += changed;
    if (changed < batchSize) return dropped;
    // Let the requests that arrived during this batch run before the next one.
    await setImmediate();
  }
}
