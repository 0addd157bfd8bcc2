/**
 * Records every authenticated `/v1` request in the request log once its answer is sent: mounted before
 * the routes (app.ts), it notes the arrival and, on `finish`, hands the entry to the writer
 * (request-log.ts), which queues it and returns at once. A request refused as unauthenticated (401) has
 * no tenant to file it under and is not recorded (the access log has it).
 *
 * What it records comes from what the access log already knows: the route pattern and the latency its own
 * `finish` listener leaves in `res.locals` (never the raw path; it is mounted first, in the same layer, app.ts),
 * and `res.locals.log` (call id, error code); and, on a 4xx, the issues of the
 * answer's `details.issues` (paths and messages, masked: mask-body.ts). The answer is the one `sendAnswer`
 * left on `res.locals.answer` (http/send-answer.ts); its body is masked and kept only for organisations that
 * keep bodies.
 */
import type { RequestHandler } from 'express';

import { UNMATCHED_ROUTE } from '../http/access-log';
import type { Clock } from '../shared/clock';
import { loggedIssues } from './mask-body';
import type { RequestLog } from './request-log';

/** Routes whose answer is never kept as a body: a customer's export is all of their data. */
const NO_RESPONSE_BODY = new Set(['GET /v1/customers/:ref']);

const V1_PATH = /^\/v1(?:\/|$)/i;

/** Whether a path is under /v1 (as Express routes it: any case, trailing slash or not). */
export function isV1Path(path: string): boolean {
  return V1_PATH.test(path);
}

/** The capture middleware over the writer; mount it after the access log (http/access-log.ts). */
export function captureRequests(log: RequestLog, clock: Clock): RequestHandler {
  return (req, res, next) => {
    if (!log.enabled || !isV1Path(req.path)) {
      next();
      return;
    }
    const at = clock.now();
    res.on('finish', () => {
      const principal = res.locals.principal;
      if (!principal) return;
      // The access log's listener, registered first, has timed and matched the request (http/access-log.ts).
      const latencyMs = res.locals.latencyMs ?? 0;
      const status = res.statusCode;
      const route = res.locals.route ?? UNMATCHED_ROUTE;
      const fields = res.locals.log ?? {};
      const answer = res.locals.answer;
      const issues = status >= 400 && status < 500 ? loggedIssues((answer as { details?: { issues?: unknown } } | undefined)?.details?.issues) : [];
      log.record(
        {
          organisationId: principal.organisationId,
          environment: principal.environment,
          at,
          keyId: principal.keyId,
          method: req.method,
          route,
          status,
          latencyMs,
          callId: fields.callId ?? null,
          // Masked where the caller's id held a number (http/request-id.ts).
          requestId: res.locals.requestId,
          errorCode: fields.code ?? null,
          issues: issues.length > 0 ? JSON.stringify(issues) : null,
        },
        () => ({ request: req.body as unknown, response: NO_RESPONSE_BODY.has(`${req.method} ${route}`) ? undefined : answer }),
      );
    });
    next();
  };
}
