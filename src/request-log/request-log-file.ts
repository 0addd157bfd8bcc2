/**
 * On SQLite the request log lives in a file of its own beside the database (`caller-memory.requests.db`
 * beside `caller-memory.db`), attached to the ORM's connection as `request_log`. Its writes then take
 * neither the main file's write lock nor the event loop: a worker thread writes them (sqlite-log-writer.ts).
 * On the main file they cost about a tenth of a start's throughput, nearly all of it the random index on
 * call ids, whose pages each commit wrote again (docs/decisions.md, issue 13, third session).
 *
 * The ORM finds the table by its plain name: SQLite looks a name up in `main`, then in attached files,
 * and the main file has no `api_requests` (its migration drops it). The schema generator leaves the
 * table out (orm.ts, skipTables); it is created here, the same on every start.
 */
import { basename, dirname, extname, join } from 'node:path';

import type { MikroORM } from '@mikro-orm/core';

import type { ApiRequestWriter } from './api-request.sql';
import { sqliteLogWriter } from './sqlite-log-writer';

/** The name the request log's file is attached under. */
export const REQUEST_LOG_SCHEMA = 'request_log';

/** The table in `schema`, as the PostgreSQL migration has it (SQLite's types). */
const creating = (schema: string) => [
  `create table if not exists ${schema}.api_requests (id text not null primary key, organisation_id text not null,
    environment text check (environment in ('test', 'prod')) not null, at datetime not null, key_id text not null,
    method text not null, route text not null, status integer not null, latency_ms double not null, call_id text null,
    request_id text not null, error_code text null, issues text null, request_body text null, response_body text null)`,
  `create index if not exists ${schema}.api_requests_organisation_id_environment_call_id_index on api_requests (organisation_id, environment, call_id)`,
  `create index if not exists ${schema}.api_requests_organisation_id_environment_at_index on api_requests (organisation_id, environment, at)`,
];

/** The request log's file for the database file at `databasePath`: `x.db` → `x.requests.db`. */
export function requestLogPath(databasePath: string): string {
  const extension = extname(databasePath);
  return join(dirname(databasePath), `${basename(databasePath, extension)}.requests${extension}`);
}

/** What attaching needs of the ORM's connection. */
interface Executes {
  execute(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Attaches the request log's file to the connection, with the main file's settings (WAL, NORMAL sync,
 * zeroed deletes, the WAL cut back to `walLimitBytes`), and creates its table when new. An in-memory
 * database keeps the table in `main`.
 *
 * Attached here, not through the ORM's `attachDatabases`: with that set, MikroORM 7's schema diff sees
 * every table's foreign keys as changed. So the schema tooling opens the database without it (orm.ts).
 */
export async function attachRequestLog(connection: Executes, databasePath: string, walLimitBytes: number): Promise<void> {
  const schema = databasePath === ':memory:' ? 'main' : REQUEST_LOG_SCHEMA;
  if (schema === REQUEST_LOG_SCHEMA) {
    await connection.execute(`attach database ? as ${schema}`, [requestLogPath(databasePath)]);
    await connection.execute(`pragma ${schema}.journal_mode = WAL`);
    await connection.execute(`pragma ${schema}.synchronous = NORMAL`);
    await connection.execute(`pragma ${schema}.journal_size_limit = ${walLimitBytes}`);
  }
  await connection.execute(`pragma ${schema}.secure_delete = ON`);
  for (const statement of creating(schema)) await connection.execute(statement);
}

/**
 * The writer for the request log's file attached to `orm`'s connection (a worker thread: sqlite-log-writer.ts),
 * or undefined when there is none (an in-memory database: the ORM's connection writes then).
 */
export async function sqliteFileWriterFor(orm: MikroORM): Promise<ApiRequestWriter | undefined> {
  const connection = orm.em.getConnection();
  const databases = (await connection.execute('pragma database_list')) as { name: string; file: string }[];
  const file = databases.find((database) => database.name === REQUEST_LOG_SCHEMA)?.file;
  if (!file) return undefined;
  const [{ journal_size_limit: walLimitBytes }] = (await connection.execute(`pragma ${REQUEST_LOG_SCHEMA}.journal_size_limit`)) as { journal_size_limit: number }[];
  return sqliteLogWriter(file, walLimitBytes);
}
