/** Row locks where the database has them: PostgreSQL locks the row; SQLite runs one write transaction at a time. */
import { LockMode, type EntityManager } from '@mikro-orm/core';
import { SqlitePlatform } from '@mikro-orm/sql';

/** Re-reads the entity under `SELECT … FOR UPDATE` (PostgreSQL); a no-op on SQLite, whose writes are serial. */
export async function lockForUpdate(em: EntityManager, entity: object): Promise<void> {
  if (em.getPlatform() instanceof SqlitePlatform) return;
  await em.refresh(entity, { lockMode: LockMode.PESSIMISTIC_WRITE });
}
