import type { EntityManager } from '@mikro-orm/core';

import type { Principal } from '../tenancy/api-key.service';
import type { RequestLogFields } from './request-log';

declare global {
  namespace Express {
    /** What our middleware leaves on `res.locals` for the handlers after it (a RequestLocals: request-locals.ts). */
    interface Locals {
      requestId: string;
      em: EntityManager;
      principal?: Principal;
      /** What the access log line adds for this request (http/request-log.ts). */
      log?: RequestLogFields;
      /** The request's trace id, when tracing is on (telemetry/tracing.ts). */
      traceId?: string;
      /** The route pattern the access log matched, once the answer is sent (http/access-log.ts). */
      route?: string;
      /** The request's time in milliseconds, once the answer is sent (http/access-log.ts). */
      latencyMs?: number;
      /** Whether the rate limit has counted this request (limits/rate-limit.middleware.ts). */
      rateCounted?: boolean;
      /** The JSON answer sent, for the request log (http/send-answer.ts, request-log/capture.ts). */
      answer?: unknown;
    }
  }
}
