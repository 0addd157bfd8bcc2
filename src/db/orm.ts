/** MikroORM options and start-up, shared by the service, the CLI (mikro-orm.config.ts) and the tests. */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { MikroORM, type Options } from '@mikro-orm/core';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { SqliteDriver, type SqliteConnection } from '@mikro-orm/sqlite';

import type { DatabaseConfig } from '../config';
import { attachRequestLog } from '../request-log/request-log-file';
import { entities } from './entities';
import { releaseLostConnections } from './lost-connections';
import { postgresqlMigrations } from './migrations/postgresql';
import { sqliteMigrations } from './migrations/sqlite';
import { analyzeTablesWithoutStatistics } from './missing-statistics';
import { BACKSTOP_WAL_PAGES, DEFAULT_WAL_LIMIT_BYTES, startCheckpointer } from './sqlite-checkpoints';
import { withStartupLock } from './startup-lock';

/** Where each dialect's migration files live (the CLI writes new ones here). */
export const MIGRATIONS_DIR = {
  sqlite: join(__dirname, 'migrations', 'sqlite'),
  postgresql: join(__dirname, 'migrations', 'postgresql'),
} as const;

// No snapshot files: a new migration is diffed against a scratch database built by the existing ones,
// and running migrations in production never writes into the source tree.
const MIGRATION_OPTIONS = { silent: true, snapshot: false, snapshotOnMigrate: false } as const;

/**
 * How long opening a PostgreSQL connection (TCP, TLS, authentication) or waiting for a free pooled one may
 * take before it fails, in ms (DATABASE_CONNECT_TIMEOUT_MS).
 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

/** Most connections one instance opens to PostgreSQL (DATABASE_POOL_SIZE): pg's own default. */
export const DEFAULT_POOL_SIZE = 10;

/** Longest a PostgreSQL statement may run, in ms (DATABASE_STATEMENT_TIMEOUT_MS); 0 turns the limit off. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

/** ORM options for a database; identical for the app, the CLI and tests but for the database itself. */
export function ormOptions(database: DatabaseConfig): Partial<Options> {
  const common = {
    entities,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    debug: false,
    // Request handlers always work on a fork; touching the global EntityManager is a bug.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    // Every tenant-scoped table carries its own tenant columns, so joining a relation just to apply its
    // filter again is wasted work (and on SQLite those joined loads re-wrote unchanged dates on flush).
    autoJoinRefsForFilters: false,
  } satisfies Partial<Options>;
  if (database.engine === 'sqlite') {
    return {
      ...common,
      driver: SqliteDriver,
      dbName: database.path,
      migrations: { ...MIGRATION_OPTIONS, path: MIGRATIONS_DIR.sqlite, migrationsList: sqliteMigrations },
      // The request log is a file of its own, attached (request-log/request-log-file.ts).
      schemaGenerator: { skipTables: ['api_requests'] },
    };
  }
  return {
    ...common,
    driver: PostgreSqlDriver,
    clientUrl: database.url,
    // pg waits forever by default: a host that drops packets would hang the start and every request.
    // A connection lost under a transaction goes back to the pool (db/lost-connections.ts).
    // statement_timeout goes in every connection's start-up packet: no statement holds a connection (and
    // its locks) longer; one past it fails with 57014 and is answered 503 (db/database-unavailable.ts).
    driverOptions: {
      connectionTimeoutMillis: database.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      statement_timeout: database.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
      onPoolCreated: releaseLostConnections,
    },
    // Past the pool's size a request waits for a free connection, for the timeout above at most (then 503).
    pool: { max: database.poolSize ?? DEFAULT_POOL_SIZE },
    migrations: { ...MIGRATION_OPTIONS, path: MIGRATIONS_DIR.postgresql, migrationsList: postgresqlMigrations },
  };
}

/** The part of a better-sqlite3 database that prepares statements. */
interface StatementFactory {
  prepare(sql: string): unknown;
}

/**
 * Kysely's SQLite driver prepares every statement anew. The plain-SQL hot paths (db/sql.ts) send the same
 * few dozen texts with `?` placeholders over and over, so keep the prepared ones. MikroORM's own
 * statements carry their values inline and rarely repeat; when they have filled the cache it is emptied,
 * and the hot texts are back in it after one request. better-sqlite3 runs a statement to completion
 * synchronously, so sharing one between requests is safe.
 */
function cachePreparedStatements(db: StatementFactory, limit = 500): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, unknown>();
  db.prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = prepare(sql);
      if (cache.size >= limit) cache.clear();
      cache.set(sql, statement);
    }
    return statement;
  };
}

/** How initOrm opens the database. */
export interface InitOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /**
   * SQLite: attach the request log's file (default true; request-log/request-log-file.ts). Off for the
   * schema tooling only: MikroORM's schema diff misreads a database with another file attached.
   */
  attachRequestLog?: boolean;
  /**
   * SQLite files: checkpoint the WAL on a worker thread (db/sqlite-checkpoints.ts), reporting failed
   * checkpoints and readers holding the WAL back here; the worker stops with `orm.close()`. For the
   * long-running service, not for one-off commands.
   */
  onCheckpointWarning?: (message: string) => void;
}

/** Opens the database, applies SQLite's speed settings and (by default) every pending migration. */
export async function initOrm(database: DatabaseConfig, options: InitOptions = {}): Promise<MikroORM> {
  if (database.engine === 'sqlite' && database.path !== ':memory:') {
    mkdirSync(dirname(database.path), { recursive: true });
  }
  const orm = await MikroORM.init(ormOptions(database));
  if (database.engine === 'sqlite') {
    const connection = orm.em.getConnection();
    // WAL + NORMAL: writes stop being fsync-bound (see shared/stack.md); busy_timeout rides out the
    // rare lock held by a CLI run against the same file.
    await connection.execute('pragma journal_mode = WAL');
    await connection.execute('pragma synchronous = NORMAL');
    await connection.execute('pragma busy_timeout = 5000');
    // Deleted rows' bytes are zeroed, freed pages included: an erased customer's values must not stay
    // readable in the file's free space (docs/decisions.md, issue 12, red team).
    await connection.execute('pragma secure_delete = ON');
    // The writer restarts the WAL from its beginning after a complete checkpoint; cut the file back then.
    const walLimitBytes = database.walLimitBytes ?? DEFAULT_WAL_LIMIT_BYTES;
    await connection.execute(`pragma journal_size_limit = ${walLimitBytes}`);
    cachePreparedStatements((await (connection as SqliteConnection).getNativeClient()) as StatementFactory);
    if (options.onCheckpointWarning && database.path !== ':memory:') {
      await connection.execute(`pragma wal_autocheckpoint = ${BACKSTOP_WAL_PAGES}`);
      const checkpointer = startCheckpointer(database.path, options.onCheckpointWarning, { limitBytes: walLimitBytes });
      const close = orm.close.bind(orm);
      orm.close = async (force?: boolean) => {
        await checkpointer.stop();
        return close(force);
      };
    }
  }
  // Instances starting together on one PostgreSQL database take turns (db/startup-lock.ts).
  if (options.migrate !== false) await withStartupLock(orm.em, () => orm.migrator.up());
  // After the migrations: they drop the main file's table (an in-memory database gets it back here).
  if (database.engine === 'sqlite' && options.attachRequestLog !== false) {
    await attachRequestLog(orm.em.getConnection(), database.path, database.walLimitBytes ?? DEFAULT_WAL_LIMIT_BYTES);
  }
  if (database.engine === 'postgresql' && options.migrate !== false) await analyzeTablesWithoutStatistics(orm.em);
  return orm;
}
