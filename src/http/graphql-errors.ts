/**
 * Errors raised on /graphql before Apollo runs (credentials, the failed-authentication throttle, the body)
 * answered in the GraphQL shape a GraphQL client reads: `{errors: [{message, extensions: {code, issues?}}]}`,
 * with the code's HTTP status and headers (WWW-Authenticate, Retry-After). Authentication reads the database,
 * so an unavailable one shows here first: 503 SERVICE_UNAVAILABLE in the same shape (db/database-unavailable.ts).
 */
import type { ErrorRequestHandler } from 'express';

import { databaseUnavailable, isDatabaseUnavailable } from '../db/database-unavailable';
import { AppError } from '../errors/app-error';
import { HTTP_STATUS } from '../errors/error-code';
import type { Logger } from '../logging/logger';
import { closeIfBodyUnread } from './read-body';
import { noteError } from './request-log';

/** Error handler for the /graphql mount; anything else than an AppError or an unavailable database goes on to the masking handler. */
export function graphqlErrors(logger: Logger): ErrorRequestHandler {
  return (caught, req, res, next) => {
    const error = isDatabaseUnavailable(caught) ? databaseUnavailable(caught, logger, res.locals.requestId) : caught;
    if (!(error instanceof AppError)) {
      next(error);
      return;
    }
    closeIfBodyUnread(req, res);
    noteError(res.locals, error.code, error.issues);
    const extensions = { code: error.code, ...(error.issues ? { issues: error.issues } : {}) };
    res
      .set(error.headers)
      .status(HTTP_STATUS[error.code])
      .json({ errors: [{ message: error.message, extensions }] });
  };
}
