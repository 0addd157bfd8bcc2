/** Graceful drain: stop accepting, let in-flight requests finish (up to a deadline), then close everything. */
import type { Server } from 'node:http';

import type { ApolloServer } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/core';

import type { Logger } from './logging/logger';

/** What must be stopped, in order. */
export interface Stoppable {
  server: Server;
  apollo: ApolloServer<any>;
  orm: MikroORM;
  logger: Logger;
}

/** Drains the HTTP server within `timeoutMs`, then stops Apollo and closes the database. */
export async function drainAndClose({ server, apollo, orm, logger }: Stoppable, timeoutMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive connections become idle as their last request finishes; close each as soon as it does.
  const sweeper = setInterval(() => server.closeIdleConnections(), 50);
  server.closeIdleConnections();
  const deadline = setTimeout(() => {
    logger.warn({ timeoutMs }, 'shutdown deadline reached; closing remaining connections');
    server.closeAllConnections();
  }, timeoutMs);
  deadline.unref();
  await closed;
  clearInterval(sweeper);
  clearTimeout(deadline);
  await apollo.stop();
  await orm.close();
}
