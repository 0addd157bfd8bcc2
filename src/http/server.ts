/**
 * The node:http server around the app, set up against silent, slow and idle clients: a connection must
 * send a request's headers within seconds (one that sends nothing is closed too), a request must arrive
 * whole within seconds, an answer the client stops reading is abandoned within seconds, idle keep-alive
 * connections are closed, and connections are capped below the open-file limit. Shutdown drains it
 * without resetting a request a client has already sent.
 */
import { readFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

import type { Logger } from '../logging/logger';
import { answerClientError } from './client-errors';
import { Connections } from './connections';
import type { DrainState } from './drain-state';

/** Timeouts and the connection cap of the HTTP server. */
export interface HttpLimits {
  /** Headers must arrive within this (ms) of a request's first byte (of the accept, for the first): so a silent connection closes. */
  headersTimeoutMs: number;
  /**
   * A whole request (headers and body) must arrive within this (ms); else 408 and the connection is closed.
   * An answer the client reads none of for this long is abandoned and the connection closed.
   */
  requestTimeoutMs: number;
  /** A keep-alive connection with no request in progress is closed after this (ms). */
  keepAliveTimeoutMs: number;
  /** Most connections open at once; further ones are closed as they are accepted. */
  maxConnections: number;
}

/** The defaults: seconds, within the 5–10 s an IVR waits for an answer. */
export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 10_000,
};

/** The server and the steps of its graceful shutdown. */
export interface HttpServer {
  server: Server;
  /** Listens; resolves with the bound port, rejects when the address cannot be bound. */
  listen(port: number, host: string): Promise<number>;
  /** Starts the drain: from now on every answer, including those not yet begun, closes its connection. */
  startDraining(): void;
  /**
   * Stops accepting connections, once those already queued are accepted (for at most `settleMs`), and
   * closes keep-alive ones at rest; the others finish their request first.
   */
  stopAccepting(settleMs: number): Promise<void>;
  /** Resolves once the listener is closed and the last connection has ended. */
  closed: Promise<void>;
  /** Destroys every open connection (the shutdown deadline). */
  closeAllConnections(): void;
}

/** The process's soft limit on open files, where the system says (Linux). */
function openFileLimit(): number | undefined {
  try {
    const match = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The configured cap, lowered if needed so the database, logs and worker keep descriptors to spare. */
export function connectionCap(configured: number, fileLimit: number | undefined): number {
  if (fileLimit === undefined) return configured;
  return Math.max(1, Math.min(configured, fileLimit - Math.min(256, Math.floor(fileLimit / 2))));
}

/** Logs the first connection refused at the cap at once, then how many more every 10 s while it lasts. */
function logDrops(server: Server, cap: number, logger: Logger): void {
  let dropped = 0;
  let window: NodeJS.Timeout | undefined;
  server.on('drop', () => {
    if (window) {
      dropped += 1;
      return;
    }
    logger.warn({ maxConnections: cap }, 'connection cap reached; refusing new connections');
    window = setTimeout(() => {
      if (dropped > 0) logger.warn({ maxConnections: cap, refused: dropped }, 'connections refused at the cap');
      dropped = 0;
      window = undefined;
    }, 10_000).unref();
  });
}

/** Creates the server for the app; it does not listen yet. */
export function createHttpServer(app: RequestListener, limits: HttpLimits, drain: DrainState, logger: Logger): HttpServer {
  const server = createServer({
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node enforces both timeouts by a sweep, every 30 s by default: sweep often enough that they hold.
    connectionsCheckingInterval: Math.min(1_000, Math.max(50, Math.floor(limits.headersTimeoutMs / 4))),
  });
  // Inactivity while a request is handled or answered (Node's keep-alive timeout replaces it at rest). Node
  // counts a write that makes progress as activity, so only a client that reads nothing trips it.
  server.timeout = limits.requestTimeoutMs;
  const fileLimit = openFileLimit();
  const cap = connectionCap(limits.maxConnections, fileLimit);
  if (cap < limits.maxConnections) {
    logger.warn({ maxConnections: limits.maxConnections, openFileLimit: fileLimit, cap }, 'MAX_CONNECTIONS lowered to fit the open-file limit');
  }
  server.maxConnections = cap;
  logDrops(server, cap, logger);

  const connections = new Connections();
  let accepted = 0;
  server.on('connection', () => {
    accepted += 1;
  });
  // Without a listener Node destroys a connection that goes quiet, even while its handler is still working.
  // With one, it destroys nothing: a connection at rest, or one whose client stopped reading a finished
  // answer, is closed here (no other timeout covers the latter: the request timeout ends once the request
  // has arrived, and the keep-alive timeout starts once the answer is written, which never happens).
  server.on('timeout', (socket: Socket) => {
    if (!connections.isWorking(socket)) socket.destroy();
  });
  server.on('request', (req, res) => {
    connections.track(req, res);
    if (drain.draining) res.setHeader('Connection', 'close');
    app(req, res);
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) =>
    answerClientError(error, socket, connections.latestOn(socket), logger),
  );

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        // A backlog as large as the cap (the kernel lowers it to net.core.somaxconn): past Node's default
        // of 511, a burst is not refused; its connections wait to be accepted, which the drain relies on.
        server.listen({ port, host, backlog: cap }, () => {
          server.off('error', reject);
          // Later errors (an accept failing) must not kill the process.
          server.on('error', (error) => logger.error({ err: error }, 'HTTP server error'));
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      }),
    startDraining: () => {
      drain.draining = true;
      // A client told `Connection: close` does not reuse the connection, so closing it after the answer
      // cannot reset a request the client has just sent on it.
      connections.closeAfterPendingAnswers();
    },
    stopAccepting: (settleMs) =>
      new Promise<void>((resolve) => {
        // Closing the listener resets every connection still queued in the kernel, whose client may have
        // sent its request long ago, and the event loop accepts one connection per turn: a burst waits many
        // turns. So the listener closes after a turn (a poll phase) that accepted nothing, or when
        // `settleMs` is up; request bytes that arrived have then just been parsed too.
        const giveUpAt = Date.now() + settleMs;
        let seen = -1;
        const closeOnceSettled = () => {
          if (accepted !== seen && Date.now() < giveUpAt) {
            seen = accepted;
            setImmediate(closeOnceSettled);
            return;
          }
          // net.Server's close, not http.Server's, which also stops the sweep that enforces the headers and
          // request timeouts: a connection that never sends its request would then hold the shutdown until
          // the deadline. Connections receiving a request or awaiting its answer finish it (and are told to
          // close); keep-alive ones at rest are closed now; new ones keep their headers timeout.
          NetServer.prototype.close.call(server);
          server.closeIdleConnections();
          resolve();
        };
        setImmediate(closeOnceSettled);
      }),
    closed: new Promise<void>((resolve) => server.once('close', () => resolve())),
    closeAllConnections: () => server.closeAllConnections(),
  };
}
