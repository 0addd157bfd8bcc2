/**
 * Errors Node's HTTP layer raises outside any handler: a request that is not valid HTTP, headers that are
 * too large, a request that did not arrive in full in time. They are answered in the documented error
 * shape (contract §7) when an answer can still be written, and the connection is closed.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

import { AppError } from '../errors/app-error';
import { HTTP_STATUS } from '../errors/error-code';
import type { Logger } from '../logging/logger';
import { maskPhoneNumbersIn } from '../logging/phone-in-text';
import type { ErrorBody } from './rest-errors';
import { STRICT_CSP } from './security-headers';

/** The latest request a connection carried and its answer. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
}

/** The AppError for one of Node's client error codes. */
export function clientErrorFor(code: string | undefined): AppError {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return AppError.requestTimeout();
  if (code === 'HPE_HEADER_OVERFLOW') return AppError.headersTooLarge();
  return AppError.malformedRequest();
}

/** A whole HTTP/1.1 answer for an error, written straight to the socket; it closes the connection. */
export function rawErrorResponse(error: AppError, requestId: string): string {
  const status = HTTP_STATUS[error.code];
  const reason = STATUS_CODES[status] ?? 'Error';
  const body = JSON.stringify({ error: reason, message: error.message } satisfies ErrorBody);
  return [
    `HTTP/1.1 ${status} ${reason}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-Id: ${requestId}`,
    // The headers every other answer carries (security-headers.ts); HSTS needs a request to judge by.
    'X-Content-Type-Options: nosniff',
    'X-Frame-Options: DENY',
    'Referrer-Policy: no-referrer',
    'Cache-Control: no-store',
    `Content-Security-Policy: ${STRICT_CSP}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * Whether an answer may still be written: not when the latest request was answered already (its body
 * still arriving, or its answer still being written), since a second answer would corrupt the stream.
 */
function canAnswer(socket: Socket, last: Exchange | undefined): boolean {
  if (!socket.writable) return false;
  if (!last) return true;
  return !last.res.headersSent || (last.req.complete && last.res.writableFinished);
}

/** Handles the server's `clientError`: answers when it can, logs, and closes the connection. */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket, last: Exchange | undefined, logger: Logger): void {
  // The client went away: there is nobody to answer.
  if (error.code === 'ECONNRESET' || error.code === 'EPIPE') {
    socket.destroy();
    return;
  }
  const appError = clientErrorFor(error.code);
  const pending = last && !last.res.headersSent ? last.res.getHeader('x-request-id') : undefined;
  const requestId = typeof pending === 'string' ? pending : randomUUID();
  const answered = canAnswer(socket, last);
  // A small write to a writable socket goes out at once, before the destroy below (as Node's own answer does).
  if (answered) socket.write(rawErrorResponse(appError, requestId));
  // Logged as every request id is: a number in a caller's id masked (http/request-id.ts).
  const fields = { requestId: maskPhoneNumbersIn(requestId), status: HTTP_STATUS[appError.code], code: error.code, answered };
  // A connection that never sent a byte is routine (and a flood of them must not flood the log).
  if (socket.bytesRead === 0) logger.debug(fields, 'closed a connection that sent nothing');
  else logger.info(fields, 'client error');
  socket.destroy();
}
