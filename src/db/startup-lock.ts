/**
 * One instance at a time through start-up's writes (migrations, the first-start bootstrap).
 *
 * Instances started together on one empty PostgreSQL database would otherwise all create the same tables
 * (colliding in pg_type and on mikro_orm_migrations) and the same default organisation, and all but one
 * would crash. A session-level advisory lock, held on one connection of the pool for as long as the work
 * runs, makes the others wait; when they get it the work is already done and they find nothing to do.
 * The lock goes with the connection, so an instance that dies half-way never leaves the others stuck.
 * SQLite needs none: one file belongs to one instance.
 */
import type { EntityManager } from '@mikro-orm/core';
import { SqlitePlatform } from '@mikro-orm/sql';
import { CompiledQuery, type Kysely } from 'kysely';

// Arbitrary and fixed: every instance of the service must name the same lock. Advisory locks belong to
// one database, so services on other databases of the same server never wait for each other.
const STARTUP_LOCK_KEY = '7310312110481408009';

/** Runs `work` while holding the start-up lock of the EntityManager's database (PostgreSQL). */
export async function withStartupLock<T>(em: EntityManager, work: () => Promise<T>): Promise<T> {
  if (em.getPlatform() instanceof SqlitePlatform) return work();
  const client = (em.getConnection() as unknown as { getClient(): Kysely<unknown> }).getClient();
  return client.connection().execute(async (db) => {
    await db.executeQuery(CompiledQuery.raw(`select pg_advisory_lock(${STARTUP_LOCK_KEY})`));
    try {
      return await work();
    } finally {
      await db.executeQuery(CompiledQuery.raw(`select pg_advisory_unlock(${STARTUP_LOCK_KEY})`));
    }
  });
}
