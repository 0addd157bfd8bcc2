/**
 * Recognises an error that means "the database cannot serve this request right now" rather than a bug:
 * PostgreSQL is unreachable or went away, refuses new sessions, or the pool had no free connection within
 * DATABASE_CONNECT_TIMEOUT_MS. Both transports answer it 503 SERVICE_UNAVAILABLE with `Retry-After`
 * (http/rest-errors.ts, http/graphql-errors.ts, graphql/format-error.ts) instead of a masked 500.
 *
 * What arrives is pg's error as it is (authentication's plain SQL, a pool checkout), or wrapped: MikroORM's
 * DriverException copies `code` and `message` onto itself, Kysely and pg-pool chain the original as `cause`,
 * and a refused connection to a host with several addresses is an AggregateError. All are followed.
 */
import { AppError } from '../errors/app-error';
import type { Logger } from '../logging/logger';

/** How long a client is told to wait before retrying, in seconds. */
export const DATABASE_RETRY_AFTER_SECONDS = 1;

/** Socket-level codes of a connection that cannot be opened or was lost. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN']);

/**
 * PostgreSQL SQLSTATEs of a server that will not serve now: class 08 (connection exception), 53300 too many
 * connections, 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting, stopping,
 * recovering). 57014 (a cancelled statement) only when the server's statement_timeout cancelled it
 * (DATABASE_STATEMENT_TIMEOUT_MS): one cancelled on request is the query time budget's own QUERY_TIMEOUT.
 */
const SERVER_CODES = new Set(['08000', '08001', '08003', '08004', '08006', '53300', '57P01', '57P02', '57P03']);

/** pg's and pg-pool's messages for a pool checkout that timed out and a connection that was lost. */
const MESSAGES = [
  /^timeout exceeded when trying to connect$/,
  /^Connection terminated( unexpectedly| due to connection timeout)?$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Connection terminated by user$/,
];

/** PostgreSQL's message for a statement that ran past statement_timeout (SQLSTATE 57014). */
const STATEMENT_TIMEOUT = /^canceling statement due to statement timeout$/;

function isUnavailableItself(error: object): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_CODES.has(code))) return true;
  if (code === '57014' && typeof message === 'string' && STATEMENT_TIMEOUT.test(message)) return true;
  return typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message));
}

/** The error in `error`'s chain that says the database is unavailable, if any. */
function unavailableCause(error: unknown, seen: Set<unknown>): object | undefined {
  if (typeof error !== 'object' || error === null || seen.has(error) || error instanceof AppError) return undefined;
  seen.add(error);
  if (isUnavailableItself(error)) return error;
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  const found = unavailableCause(cause, seen);
  if (found || !Array.isArray(errors)) return found;
  for (const inner of errors) {
    const innerFound = unavailableCause(inner, seen);
    if (innerFound) return innerFound;
  }
  return undefined;
}

/** True when `error`, or any error it wraps (`cause`, an AggregateError's `errors`), says the database is unavailable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return unavailableCause(error, new Set()) !== undefined;
}

/**
 * Logs such an error as a warning with the request id and the driver's code and message: an outage fails
 * every request alike, so no stack (the access log line carries the code too).
 */
export function logDatabaseUnavailable(error: unknown, logger: Logger, requestId: string | undefined): void {
  const cause = unavailableCause(error, new Set()) as { code?: unknown; message?: unknown } | undefined;
  logger.warn({ requestId, dbCode: cause?.code, dbError: cause?.message }, 'database unavailable; answered SERVICE_UNAVAILABLE');
}

/** What the client is told (503 with Retry-After). */
export function serviceUnavailable(): AppError {
  return AppError.serviceUnavailable(DATABASE_RETRY_AFTER_SECONDS);
}

/** Logs such an error (logDatabaseUnavailable) and returns the client's answer for it. */
export function databaseUnavailable(error: unknown, logger: Logger, requestId: string | undefined): AppError {
  logDatabaseUnavailable(error, logger, requestId);
  return serviceUnavailable();
}
