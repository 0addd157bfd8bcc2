/**
 * Errors on the dashboard's routes as pages rather than JSON: a client-caused error (a body too large, a
 * wrong content type, a repeated field, a wrong method) gets its status and a page that says what to do.
 * Anything else goes on to the app's error handler, which logs and masks it.
 */
import type { ErrorRequestHandler } from 'express';

import { AppError } from '../errors/app-error';
import { HTTP_STATUS } from '../errors/error-code';
import { closeIfBodyUnread } from '../http/read-body';
import { sendProblem, type DashboardContext } from './dashboard-context';

/** The headers of an AppError that a page passes on. */
const PAGE_HEADERS = ['Retry-After', 'Allow'];

/** The dashboard routes' error handler. */
export function dashboardErrors(ctx: DashboardContext): ErrorRequestHandler {
  return (error, req, res, next) => {
    // Mounted at the root, this handler also sees errors of requests that never were the dashboard's.
    if (!(error instanceof AppError) || res.headersSent || !/^\/dashboard(\/|$)/i.test(req.path)) {
      next(error);
      return;
    }
    closeIfBodyUnread(req, res);
    for (const name of PAGE_HEADERS) if (error.headers[name]) res.setHeader(name, error.headers[name]);
    sendProblem(ctx, res, HTTP_STATUS[error.code], {
      title: 'Request refused',
      message: error.message,
      details: error.issues?.map((issue) => issue.message),
      link: { href: ctx.paths.dashboard, label: 'Back to the dashboard' },
    });
  };
}
