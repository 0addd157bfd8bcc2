/**
 * Errors raised on /graphql before Apollo runs (credentials, the failed-authentication throttle, the body)
 * answered in the GraphQL shape a GraphQL client reads: `{errors: [{message, extensions: {code, issues?}}]}`,
 * with the code's HTTP status and headers (WWW-Authenticate, Retry-After).
 */
import type { ErrorRequestHandler } from 'express';

import { AppError } from '../errors/app-error';
import { HTTP_STATUS } from '../errors/error-code';
import { closeIfBodyUnread } from './read-body';
import { noteError } from './request-log';

/** Error handler for the /graphql mount; anything that is not an AppError goes on to the masking handler. */
export const graphqlErrors: ErrorRequestHandler = (error, req, res, next) => {
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
