/**
 * What the command-line tools share: read the configuration, open (and migrate) the database, run the
 * command with the organisation's key service, and turn failures into one line and an exit code: a
 * refused input (AppError) exits 1 with its message; a configuration or database problem exits with
 * startup-failure.ts's code and one line saying what to fix.
 */
import type { EntityManager } from '@mikro-orm/core';

import { ConfigError, loadConfig } from '../config';
import { initOrm } from '../db/orm';
import { AppError } from '../errors/app-error';
import { databaseProblem, describeStartupFailure, StartupProblem } from '../startup-failure';
import { ApiKeyService } from '../tenancy/api-key.service';

/** A command: its exit code, from the arguments, printing its lines through `out`. */
export type CliCommand = (em: EntityManager, keys: ApiKeyService, args: string[], out: (line: string) => void) => Promise<number>;

async function runOnce(command: CliCommand): Promise<void> {
  const config = loadConfig();
  const orm = await initOrm(config.database).catch((error: unknown) => {
    throw databaseProblem(error, config.database) ?? error;
  });
  try {
    process.exitCode = await command(orm.em.fork(), new ApiKeyService(config.appSecret), process.argv.slice(2), (l) => console.log(l));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const details = error.issues?.map((i) => i.message).join('; ');
    console.error(`error: ${details ?? error.message}`);
    process.exitCode = 1;
  } finally {
    await orm.close();
  }
}

/** Runs `command` as the process's command (`name` prefixes start-up failures, e.g. `caller-memory keys`). */
export function runCli(name: string, command: CliCommand): void {
  runOnce(command).catch((error: unknown) => {
    // The configuration or the database it names: one line saying what to fix (startup-failure.ts).
    if (error instanceof ConfigError || error instanceof StartupProblem) {
      const { text, exitCode } = describeStartupFailure(error, [], name);
      console.error(text);
      process.exitCode = exitCode;
      return;
    }
    console.error(error);
    process.exitCode = 1;
  });
}
