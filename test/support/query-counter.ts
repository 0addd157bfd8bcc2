/**
 * Counts the SQL statements an ORM sends. Every statement MikroORM runs, queries as well as transaction
 * control (begin, commit, savepoints), is reported to its logger's `logQuery` whatever the `debug`
 * setting, so wrapping that one method sees them all. It counts for the whole ORM: measure one request
 * at a time. Remember that an authenticated request's API-key lookup is a statement too.
 */
import type { MikroORM } from '@mikro-orm/core';

/** Statements seen while a counter is running. */
export interface QueryCounter {
  /** The SQL of each statement, in order. */
  readonly statements: string[];
  /** Forgets what was seen so far. */
  reset(): void;
  /** Stops counting and restores the logger. */
  stop(): void;
}

/** Starts counting every statement the ORM sends. */
export function countQueries(orm: MikroORM): QueryCounter {
  const logger = orm.config.getLogger();
  const original = logger.logQuery;
  const statements: string[] = [];
  logger.logQuery = function (this: unknown, context) {
    statements.push(context.query ?? '');
    return original.call(this, context);
  };
  return {
    statements,
    reset: () => {
      statements.length = 0;
    },
    stop: () => {
      logger.logQuery = original;
    },
  };
}

/** The statements `work` sent. */
export async function statementsOf(orm: MikroORM, work: () => Promise<unknown>): Promise<string[]> {
  const counter = countQueries(orm);
  try {
    await work();
    return [...counter.statements];
  } finally {
    counter.stop();
  }
}
