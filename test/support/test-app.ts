/**
 * The production wiring with only the database swapped for a scratch one: `createApp` over a migrated
 * ORM. Each test file gets its own database, so files run in parallel.
 */
import type { MikroORM } from '@mikro-orm/core';

import { createApp, type BuiltApp } from '../../src/app';
import { loadConfig, type Config, type DatabaseConfig } from '../../src/config';
import { initOrm, type InitOptions } from '../../src/db/orm';
import { createLogger, type Logger } from '../../src/logging/logger';
import type { Clock } from '../../src/shared/clock';
import { runLogStream, testLogLevel } from './run-log';
import { createScratchDatabase, type Engine } from './scratch-database';

/** A running test app and how to dispose of it. */
export interface TestApp extends BuiltApp {
  orm: MikroORM;
  /** The scratch database it runs on (another instance can open it: `createTestAppOn`). */
  database: DatabaseConfig;
  config: Config;
  logger: Logger;
  close(): Promise<void>;
}

/** A test configuration; environment-style overrides go through the real config parser. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', ...env });
}

/** A migrated scratch database on the engine, closed and dropped by `close()`. */
export async function createTestOrm(engine: Engine, options: InitOptions = {}): Promise<{ orm: MikroORM; database: DatabaseConfig; close(): Promise<void> }> {
  const scratch = await createScratchDatabase(engine);
  const orm = await initOrm(scratch.config, options);
  return {
    orm,
    database: scratch.config,
    close: async () => {
      await orm.close(true);
      await scratch.drop();
    },
  };
}

/** The whole app over a scratch database on the engine. */
export async function createTestApp(engine: Engine, env: Record<string, string> = {}, clock?: Clock): Promise<TestApp> {
  const { orm, database, close } = await createTestOrm(engine);
  return appOver(orm, database, close, env, clock);
}

/**
 * Another instance of the service: the whole app over an ORM of its own on an existing (migrated)
 * database, such as a TestApp's `database`. `close()` closes its ORM and leaves the database alone.
 */
export async function createTestAppOn(database: DatabaseConfig, env: Record<string, string> = {}, clock?: Clock): Promise<TestApp> {
  const orm = await initOrm(database, { migrate: false });
  return appOver(orm, database, () => orm.close(true), env, clock);
}

async function appOver(
  orm: MikroORM,
  database: DatabaseConfig,
  closeDatabase: () => Promise<void>,
  env: Record<string, string>,
  clock: Clock | undefined,
): Promise<TestApp> {
  const config = testConfig(env);
  // Into the run's log copy only (nothing on the console), so the whole-run log grep reads it.
  const logger = createLogger(testLogLevel(), runLogStream());
  const built = await createApp({ config, orm, logger, clock });
  return {
    ...built,
    orm,
    database,
    config,
    logger,
    close: async () => {
      await built.apollo.stop();
      await built.requestLog.close();
      await closeDatabase();
    },
  };
}
