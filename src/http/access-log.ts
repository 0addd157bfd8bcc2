/** One log line per request: method, path (never the query string, which may carry numbers), status, time. */
import type { RequestHandler } from 'express';

import type { Logger } from '../logging/logger';

export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        { requestId: res.locals.requestId, method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode, ms },
        'request',
      );
    });
    next();
  };
}
