/**
 * The production wiring with only the database swapped for a scratch one: `createApp` over a migrated
 * ORM. Each test file gets its own database, so files run in parallel.
 */
import type { MikroORM } from '@mikro-orm/core';

import { createApp, type BuiltApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { initOrm } from '../../src/db/orm';
import { createLogger, type Logger } from '../../src/logging/logger';
import type { Clock } from '../../src/shared/clock';
import { createScratchDatabase, type Engine } from './scratch-database';

/** A running test app and how to dispose of it. */
export interface TestApp extends BuiltApp {
  orm: MikroORM;
  config: Config;
  logger: Logger;
  close(): Promise<void>;
}

/** A test configuration; environment-style overrides go through the real config parser. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', ...env });
}

/** A migrated scratch database on the engine, closed and dropped by `close()`. */
export async function createTestOrm(engine: Engine): Promise<{ orm: MikroORM; close(): Promise<void> }> {
  const scratch = await createScratchDatabase(engine);
  const orm = await initOrm(scratch.config);
  return {
    orm,
    close: async () => {
      await orm.close(true);
      await scratch.drop();
    },
  };
}

/** The whole app over a scratch database on the engine. */
export async function createTestApp(engine: Engine, env: Record<string, string> = {}, clock?: Clock): Promise<TestApp> {
  const { orm, close } = await createTestOrm(engine);
  const config = testConfig(env);
  const logger = createLogger('silent');
  const built = await createApp({ config, orm, logger, clock });
  return {
    ...built,
    orm,
    config,
    logger,
    close: async () => {
      await built.apollo.stop();
      await close();
    },
  };
}
