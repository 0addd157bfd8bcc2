/**
 * One log line per request: method, route, status, time. The route is the pattern the request matched
 * (`/v1/calls/start`), never the raw path or query string, which may carry a phone number or a token;
 * a path that matches no known route is logged as `(unmatched)`. Routes are matched as Express matches
 * them (case-insensitively, with or without a trailing slash); `:name` segments match any one segment.
 *
 * An authenticated request's line names its organisation, key id (never the key) and environment; what the
 * handlers noted (http/request-log.ts) follows: `callId`, `operation`, `code`, and `issues` (paths only).
 * With tracing on, the line carries the request's `traceId` (telemetry/tracing.ts).
 */
import type { RequestHandler } from 'express';

import { flatFieldsLogger, type Logger } from '../logging/logger';
import { logFieldsFor } from './request-log';

/** What the log says for a path that matches no route. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** The pattern among `routes` that a request path (no query string) matches, or `(unmatched)`. */
export function routeOf(path: string, routes: readonly string[]): string {
  const segments = path.replace(/\/+$/, '').toLowerCase().split('/');
  const route = routes.find((pattern) => {
    const wanted = pattern.toLowerCase().split('/');
    return wanted.length === segments.length && wanted.every((part, i) => (part.startsWith(':') ? segments[i] !== '' : part === segments[i]));
  });
  return route ?? UNMATCHED_ROUTE;
}

/** Hears of each finished request, by the route pattern the log names (the latency histogram's feed). */
export type RequestObserver = (route: string, method: string, status: number, seconds: number) => void;

/**
 * Logs each finished request under the pattern (from `routes`) it matched. The line is built from the
 * fields above only, every one of them safe to log (none is named like a redacted path, logging/logger.ts),
 * so it is logged without the wildcard redaction paths, which changed nothing in it (logging/logger.ts).
 * `observe` hears of the same request under the same route (the latency histogram, telemetry/service-metrics.ts).
 */
export function accessLog(logger: Logger, routes: readonly string[], observe?: RequestObserver): RequestHandler {
  const lines = flatFieldsLogger(logger);
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const route = routeOf(req.originalUrl.split('?')[0], routes);
      const principal = res.locals.principal;
      const who = principal ? { organisation: principal.organisationId, keyId: principal.keyId, environment: principal.environment } : {};
      const status = res.statusCode;
      // For the request log's capture, whose listener runs next (request-log/capture.ts).
      res.locals.route = route;
      res.locals.latencyMs = ms;
      observe?.(route, req.method, status, ms / 1000);
      lines.info({ requestId: res.locals.requestId, traceId: res.locals.traceId, method: req.method, route, status, ms, ...who, ...logFieldsFor(status, res.locals.log) }, 'request');
    });
    next();
  };
}
