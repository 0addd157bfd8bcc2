/**
 * Deleting old rows without blocking calls: tenant by tenant (each batch a range of an index that leads
 * with organisation_id, environment and the time column), in batches that are each their own short
 * transaction (on SQLite a unit of the next group commit, db/group-commit.ts), yielding to the requests
 * that arrived between batches. Used by the call retention and the request log's retention.
 */
import type { EntityManager } from '@mikro-orm/core';
import { setImmediate } from 'node:timers/promises';

import { inTransaction, sqlOf } from '../db/sql';
import { Environment } from '../tenancy/environment';

/**
 * Runs `deleteBatch` (parameters: organisation id, environment, cut-off, batch size; deletes at most
 * that many rows older than the cut-off) for every tenant until a batch deletes fewer; returns how many.
 */
export async function deleteInTenantBatches(em: EntityManager, deleteBatch: string, cutoff: Date, batchSize: number): Promise<number> {
  const organisations = await sqlOf(em).all<{ id: string }>('select id from organisations');
  let deleted = 0;
  for (const { id } of organisations) {
    for (const environment of Object.values(Environment)) {
      for (;;) {
        const removed = await inTransaction(em, (sql) => sql.run(deleteBatch, [id, environment, sql.dialect.date(cutoff), batchSize]));
        deleted += removed;
        if (removed < batchSize) break;
        // Let the requests that arrived during this batch run before the next one.
        await setImmediate();
      }
    }
  }
  return deleted;
}
