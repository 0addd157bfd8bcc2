/**
 * The REST face of errors (contract §7): `{error, message, details?: {issues}}` with the HTTP reason
 * phrase as `error`. Known errors pass through; anything else is logged with the request id and masked.
 */
import { STATUS_CODES } from 'node:http';

import type { ErrorRequestHandler, RequestHandler, Response } from 'express';

import { databaseUnavailable, isDatabaseUnavailable } from '../db/database-unavailable';
import { AppError } from '../errors/app-error';
import { ErrorCode, HTTP_STATUS } from '../errors/error-code';
import type { Logger } from '../logging/logger';
import type { ErrorBody } from './error-body';
import { closeIfBodyUnread } from './read-body';
import { noteError } from './request-log';
import { sendAnswer } from './send-answer';

export type { ErrorBody } from './error-body';

/** Writes an AppError as a REST answer. */
export function sendError(res: Response, error: AppError): void {
  const status = HTTP_STATUS[error.code];
  const body: ErrorBody = { error: STATUS_CODES[status] ?? 'Error', message: error.message };
  if (error.issues) body.details = { issues: error.issues };
  noteError(res.locals, error.code, error.issues);
  sendAnswer(res.set(error.headers).status(status), body);
}

/**
 * Express body-parser failures carry a `type`; map the ones a client can cause. The service reads its
 * bodies itself (read-body.ts); this keeps any body-parser a route might mount from answering 500.
 */
function fromBodyParser(error: unknown, bodyLimitBytes: number): AppError | undefined {
  const type = (error as { type?: string } | null)?.type;
  if (type === 'entity.parse.failed') return AppError.malformedBody('The body is not valid JSON');
  if (type === 'entity.too.large') return AppError.payloadTooLarge(bodyLimitBytes);
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return AppError.unsupportedMediaType('Unsupported body encoding or charset');
  }
  if (type === 'request.aborted' || type === 'request.size.invalid' || type === 'stream.encoding.set') {
    return AppError.malformedBody('The body could not be read');
  }
  return undefined;
}

/** Express could not decode a route parameter (`/assets/%zz`): the path itself is malformed. */
function fromPathDecoding(error: unknown): AppError | undefined {
  if (!(error instanceof URIError)) return undefined;
  return AppError.fromCode(ErrorCode.MalformedRequest, 'The path holds a malformed %-escape');
}

/** 404 for any route nobody answered. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(AppError.notFound(`No route for ${req.method} ${req.path}`));
};

/**
 * The last middleware: every error becomes a contract-shaped answer. An unavailable database (db/
 * database-unavailable.ts) is 503 SERVICE_UNAVAILABLE with Retry-After, logged as a warning.
 */
export function errorHandler(logger: Logger, bodyLimitBytes: number): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const known =
      error instanceof AppError
        ? error
        : (fromBodyParser(error, bodyLimitBytes) ??
          fromPathDecoding(error) ??
          (isDatabaseUnavailable(error) ? databaseUnavailable(error, logger, res.locals.requestId) : undefined));
    closeIfBodyUnread(req, res);
    if (known) {
      sendError(res, known);
      return;
    }
    logger.error({ err: error, requestId: res.locals.requestId }, 'unhandled error');
    noteError(res.locals, ErrorCode.Internal);
    const status = HTTP_STATUS[ErrorCode.Internal];
    sendAnswer(res.status(status), {
      error: STATUS_CODES[status] ?? 'Internal Server Error',
      message: `Internal error; quote request id ${res.locals.requestId} to support`,
    } satisfies ErrorBody);
  };
}
