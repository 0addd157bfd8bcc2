/**
 * `res.locals` with every field our middleware sets declared up front (Express's `Locals` type is this class:
 * locals.d.ts); the first middleware (request-id.ts) gives each request one. Express 5 makes `res.locals` with
 * `Object.create(null)`, an object V8 keeps in dictionary mode: every read and write of one of its fields was a
 * hash lookup through the megamorphic load and store stubs, a dozen times a request and more with the rate limit
 * and the request log on (issue 13, tenth session: callgrind counted them among what the operations cost the
 * event loop). Declared and assigned in one order, the fields give every request's locals one hidden class, and
 * each access an inline-cached load. A field nobody declared can still be added, as on any object.
 */
import type { EntityManager } from '@mikro-orm/core';

import type { Principal } from '../tenancy/api-key.service';
import type { RequestLogFields } from './request-log';

export class RequestLocals {
  requestId: string;
  /** The request's own EntityManager, set by `withEntityManager` (authenticate.ts) before any handler reads it. */
  em: EntityManager;
  principal: Principal | undefined = undefined;
  /** What the access log line adds for this request (http/request-log.ts). */
  log: RequestLogFields | undefined = undefined;
  /** The request's trace id, when tracing is on (telemetry/tracing.ts). */
  traceId: string | undefined = undefined;
  /** The route pattern the access log matched, once the answer is sent (http/access-log.ts). */
  route: string | undefined = undefined;
  /** The request's time in milliseconds, once the answer is sent (http/access-log.ts). */
  latencyMs: number | undefined = undefined;
  /** Whether the rate limit has counted this request (limits/rate-limit.middleware.ts). */
  rateCounted = false;
  /** The JSON answer sent, for the request log (http/send-answer.ts, request-log/capture.ts). */
  answer: unknown = undefined;

  constructor(requestId: string) {
    this.requestId = requestId;
    this.em = undefined as unknown as EntityManager;
  }
}
