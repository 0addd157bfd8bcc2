/**
 * `res.locals` with every field our middleware sets (locals.d.ts) declared up front: the first middleware
 * (request-id.ts) gives each request one. Express 5 makes `res.locals` with `Object.create(null)`, an object
 * V8 keeps in dictionary mode: every read and write of one of its fields was a hash lookup through the
 * megamorphic load and store stubs, a dozen times a request and more with the rate limit and the request
 * log on (issue 13, tenth session: callgrind counted them among what the operations cost the event loop).
 * Declared and assigned in one order, the fields give every request's locals one hidden class, and each
 * access an inline-cached load. A field nobody declared can still be added, as on any object.
 */
import type { EntityManager } from '@mikro-orm/core';

import type { Principal } from '../tenancy/api-key.service';
import type { RequestLogFields } from './request-log';

export class RequestLocals implements Express.Locals {
  requestId: string;
  /** Set by `withEntityManager` (authenticate.ts) before any handler reads it. */
  em: EntityManager;
  principal: Principal | undefined = undefined;
  log: RequestLogFields | undefined = undefined;
  traceId: string | undefined = undefined;
  route: string | undefined = undefined;
  latencyMs: number | undefined = undefined;
  rateCounted = false;
  answer: unknown = undefined;

  constructor(requestId: string) {
    this.requestId = requestId;
    this.em = undefined as unknown as EntityManager;
  }
}
