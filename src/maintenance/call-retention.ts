/**
 * Retention: calls that started before the cut-off are deleted in small batches, each its own short
 * transaction (on SQLite a unit of the next group commit, db/group-commit.ts), so calls being served
 * only ever wait for one batch. Tenant by tenant, so each batch is a range of the index that leads with
 * (organisation_id, environment, started_at) instead of a scan of the whole table.
 *
 * What a purged call leaves behind: its customer, identities, intents and variables stay (they are what
 * the service remembers, each with its own expiry); the customer's `last_call_at` and `call_count` stay as
 * counters of everything seen; intents and variables keep the `last_call_id` text of the call that last
 * touched them. Replays and metrics only see calls still kept.
 */
import type { EntityManager } from '@mikro-orm/core';

import { deleteInTenantBatches } from './tenant-batches';

/** Calls deleted per batch unless told otherwise: a few milliseconds of work on either engine. */
export const DEFAULT_PURGE_BATCH_SIZE = 500;

const DELETE_BATCH = `delete from calls where id in (
  select id from calls where organisation_id = ? and environment = ? and started_at < ? limit ?)`;

/** Deletes every call that started before `now - retentionMs` (0: none); returns how many. */
export async function purgeOldCalls(em: EntityManager, retentionMs: number, now: Date, batchSize = DEFAULT_PURGE_BATCH_SIZE): Promise<number> {
  if (retentionMs <= 0) return 0;
  return deleteInTenantBatches(em, DELETE_BATCH, new Date(now.getTime() - retentionMs), batchSize);
}
