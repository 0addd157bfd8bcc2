/**
 * One purge at a time across every instance on one PostgreSQL database.
 *
 * A session-level advisory lock, tried (never waited for) on a connection of its own, outside the
 * ORM's pool: the purge's batches need pool connections, and holding one of a small pool for minutes
 * would starve requests (with a pool of one it would deadlock). An instance that finds the lock taken
 * skips that run; the next interval tries again. The lock goes with the connection, so an instance that
 * dies mid-purge never leaves the others locked out. SQLite needs none: one file belongs to one instance.
 */
import type { MikroORM } from '@mikro-orm/core';
import { SqlitePlatform } from '@mikro-orm/sql';
import { Client } from 'pg';

// Arbitrary and fixed (beside the start-up lock's key): every instance must name the same lock.
export const PURGE_LOCK_KEY = '7310312110481408010';

/** Runs `work` if no other instance holds the purge lock; undefined when one does (this run is skipped). */
export async function withPurgeLock<T>(orm: MikroORM, work: () => Promise<T>): Promise<T | undefined> {
  if (orm.em.getPlatform() instanceof SqlitePlatform) return work();
  const driverOptions = orm.config.get('driverOptions') as { connectionTimeoutMillis?: number } | undefined;
  const client = new Client({ connectionString: orm.config.get('clientUrl'), connectionTimeoutMillis: driverOptions?.connectionTimeoutMillis ?? 5000 });
  // A lost lock connection must not crash the process: the purge's own statements run on the pool and fail
  // (or finish) on their own; at worst two instances purge at once, which deletes nothing twice.
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>(`select pg_try_advisory_lock(${PURGE_LOCK_KEY}) as locked`);
    if (!rows[0]?.locked) return undefined;
    return await work();
  } finally {
    // Ending the session releases the lock.
    await client.end().catch(() => {});
  }
}
