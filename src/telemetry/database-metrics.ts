/**
 * The database's series: on PostgreSQL the ORM's pg pool by state (read at each scrape); on SQLite the
 * -wal file's size (stat at each scrape) and the group commit's batch sizes (db/group-commit.ts hears of
 * each commit through a callback, so db/ does not depend on the metrics).
 */
import { stat } from 'node:fs/promises';

import type { MikroORM } from '@mikro-orm/core';
import { SqlitePlatform } from '@mikro-orm/sql';
import type { Pool } from 'pg';

import { observeGroupCommits } from '../db/sql';
import type { ServiceMetrics } from './service-metrics';

/** The -wal file's size in bytes; 0 when there is none (after a TRUNCATE checkpoint, or before the first write). */
async function walBytes(path: string): Promise<number> {
  try {
    return (await stat(`${path}-wal`)).size;
  } catch {
    return 0;
  }
}

/** Registers the ORM's database's gauges and the group commit's histogram on `metrics`. */
export async function recordDatabaseMetrics(metrics: ServiceMetrics, orm: MikroORM): Promise<void> {
  if (orm.em.getPlatform() instanceof SqlitePlatform) {
    observeGroupCommits(orm.em, (units) => metrics.groupCommitBatch.observe(units));
    const path = orm.config.get('dbName') ?? ':memory:';
    if (path !== ':memory:') metrics.gauge('sqlite_wal_bytes', 'Size of the SQLite -wal file in bytes.', () => walBytes(path));
    return;
  }
  // Found at the first scrape, not here: building the app must not connect (a database that is down at
  // start is /readyz's to report, and the app must still be built).
  const connection = orm.em.getConnection() as unknown as { getNativeClient(): Promise<Pool> };
  let pool: Pool | undefined;
  metrics.labelledGauge('database_pool_connections', 'PostgreSQL pool connections: total open, idle, and requests waiting for one.', 'state', async () => {
    pool ??= await connection.getNativeClient().catch(() => undefined);
    return pool && { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
  });
}
