/**
 * Which writer takes the request log's batches: a worker thread with a connection of its own on a SQLite
 * file (sqlite-log-writer.ts) and on PostgreSQL (pg-log-writer.ts), so that writing the log costs the
 * event loop no more than handing the batch over; the ORM's connection for an in-memory SQLite database.
 */
import type { MikroORM } from '@mikro-orm/core';
import { SqlitePlatform } from '@mikro-orm/sqlite';

import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_STATEMENT_TIMEOUT_MS } from '../db/orm';
import type { ApiRequestWriter } from './api-request.sql';
import { pgLogWriter } from './pg-log-writer';
import { sqliteFileWriterFor } from './request-log-file';

/** The writer for `orm`'s database, or undefined for the ORM's own connection. */
export async function requestLogWriterFor(orm: MikroORM): Promise<ApiRequestWriter | undefined> {
  if (orm.em.getPlatform() instanceof SqlitePlatform) return sqliteFileWriterFor(orm);
  const driver = (orm.config.get('driverOptions') ?? {}) as { connectionTimeoutMillis?: number; statement_timeout?: number };
  return pgLogWriter({
    url: orm.config.get('clientUrl')!,
    connectTimeoutMs: driver.connectionTimeoutMillis ?? DEFAULT_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: driver.statement_timeout ?? DEFAULT_STATEMENT_TIMEOUT_MS,
  });
}
