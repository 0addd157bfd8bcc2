/**
 * Graceful drain on SIGTERM/SIGINT, in the order a load balancer needs: `/readyz` turns 503 and every
 * answer says `Connection: close` at once; the server keeps accepting for the drain delay (until the
 * balancer has noticed) and until the connections already queued are accepted; then it stops accepting
 * and every open connection finishes its request and closes; then Apollo stops and the database closes.
 * The timeout is a hard deadline from the signal.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import type { ApolloServer } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/core';

import type { GraphQLContext } from './graphql/context';
import type { HttpServer } from './http/server';
import type { Logger } from './logging/logger';

/** What must be stopped, in order. */
export interface Stoppable {
  http: HttpServer;
  apollo: ApolloServer<GraphQLContext>;
  orm: MikroORM;
  logger: Logger;
  /** Written out after the last request, before the database closes (request-log/request-log.ts). */
  requestLog?: { close(): Promise<void> };
  /** The METRICS_PORT listener (telemetry/metrics-server.ts): scraped through the drain, closed after it. */
  metricsServer?: { close(): Promise<void> };
}

/** How long the drain may take. */
export interface DrainTimings {
  /** How long to keep accepting connections after the signal. */
  drainDelayMs: number;
  /** From the signal: connections still open then are closed. */
  timeoutMs: number;
}

/** Drains the HTTP server, then stops Apollo, writes the queued request-log entries and closes the database. */
export async function drainAndClose({ http, apollo, orm, logger, requestLog, metricsServer }: Stoppable, { drainDelayMs, timeoutMs }: DrainTimings): Promise<void> {
  http.startDraining();
  const deadline = setTimeout(() => {
    logger.warn({ timeoutMs }, 'shutdown deadline reached; closing remaining connections');
    http.closeAllConnections();
  }, timeoutMs);
  deadline.unref();
  await sleep(drainDelayMs);
  // Taking in a queued burst may use up to half the time left; the rest is for answering it.
  await http.stopAccepting(Math.max(0, (timeoutMs - drainDelayMs) / 2));
  logger.info('no longer accepting connections');
  await http.closed;
  clearTimeout(deadline);
  await apollo.stop();
  await metricsServer?.close();
  await requestLog?.close();
  await orm.close();
}
