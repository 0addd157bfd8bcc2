/**
 * What one GraphQL query operation may take of the database: time (QUERY_TIMEOUT_MS) and turns.
 *
 * Time starts when a query operation starts executing. Past it:
 * - every later statement of the operation is refused before it starts: the operation's EntityManager
 *   carries the budget's AbortSignal, which Kysely checks before each statement;
 * - on PostgreSQL the statement in flight is cancelled (Kysely's 'cancel query': pg_cancel_backend);
 * - resolvers that query the database check the clock before they start (operation-guards.ts), because on
 *   SQLite statements run synchronously one after another, with no turn of the event loop in between,
 *   so the timer that aborts the signal may not get to run until the operation is over.
 * A SQLite statement that has started cannot be stopped (better-sqlite3 runs it to completion, blocking
 * the process); the query limits keep each one to a page or a count.
 *
 * Turns: the root fields of a query run one after another, each after a turn of the event loop. Run
 * together, twenty root lists queued forty statements at once ahead of every other request (SQLite has
 * one connection, PostgreSQL a small pool), and on SQLite nothing else, /readyz included, was even read
 * until the last of them had finished.
 *
 * Mutations get neither: stopping one after its write would report a committed write as failed, and
 * graphql-js runs their root fields one after another already. The query limits bound what they read back.
 */
import { setImmediate as nextTurnOfEventLoop } from 'node:timers/promises';

import type { ApolloServerPlugin } from '@apollo/server';
import type { EntityManager } from '@mikro-orm/core';
import { SqlitePlatform } from '@mikro-orm/sql';
import { OperationTypeNode } from 'graphql';

import { AppError } from '../errors/app-error';
import type { Clock } from '../shared/clock';
import type { GraphQLContext } from './context';

/** The time and turns of one operation, and the signal that stops its database work. */
export class OperationBudget {
  private readonly controller = new AbortController();
  private expiresAt = Number.POSITIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private lastTurn: Promise<unknown> = Promise.resolve();
  /** What the operation's cut-off fields answer. */
  readonly error: AppError;

  constructor(
    private readonly clock: Clock,
    private readonly limitMs: number,
  ) {
    this.error = AppError.queryTimeout(limitMs);
  }

  /** Aborted once the time is up; give it to the operation's EntityManager. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether the time is up. */
  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  /** Starts the clock (for query operations). */
  start(): void {
    this.expiresAt = this.clock.now().getTime() + this.limitMs;
    // Unref'd: a budget left running must not keep a stopping process alive.
    this.timer = setTimeout(() => this.expire(), this.limitMs).unref();
  }

  /** Throws QUERY_TIMEOUT, and stops the operation's database work, once the time is up. */
  check(): void {
    if (!this.expired && this.clock.now().getTime() >= this.expiresAt) this.expire();
    if (this.expired) throw this.error;
  }

  /** Runs `work` (a root field) after those queued before it and a turn of the event loop. */
  inTurn<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.lastTurn.then(async () => {
      await nextTurnOfEventLoop();
      this.check();
      return work();
    });
    this.lastTurn = turn.catch(() => undefined);
    return turn;
  }

  /** Stops the timer when the operation is over. */
  stop(): void {
    clearTimeout(this.timer);
  }

  private expire(): void {
    this.controller.abort(this.error);
  }
}

/** The operation's EntityManager: the budget's signal on every statement, and on PostgreSQL a cancel for the one in flight. */
export function withBudget(em: EntityManager, budget: OperationBudget): EntityManager {
  const cancels = !(em.getPlatform() instanceof SqlitePlatform);
  return em.fork({ signal: budget.signal, inflightQueryAbortStrategy: cancels ? 'cancel query' : undefined });
}

/** Starts the budget of query operations as they start executing, and stops its timer when they end. */
export const budgetPlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async executionDidStart({ operation, contextValue }) {
        // No operation when the document holds several and the request names none (execution refuses it).
        if (operation?.operation !== OperationTypeNode.QUERY || !contextValue.budget) return;
        const { budget } = contextValue;
        budget.start();
        return {
          async executionDidEnd() {
            budget.stop();
          },
        };
      },
    };
  },
};
