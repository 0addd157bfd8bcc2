/**
 * The rate limit on /v1 and /graphql, after authentication (a request refused with 401 never reaches it,
 * so it never counts). Every limited answer carries the IETF RateLimit fields
 * (draft-ietf-httpapi-ratelimit-headers, structured-field form):
 *
 *   RateLimit-Policy: "organisation";q=6600;w=60   (q: requests admitted per window, grace included)
 *   RateLimit: "organisation";r=123;t=17           (r: left now; t: seconds until the window turns over)
 *
 * Over the limit: 429 RATE_LIMITED with Retry-After (whole seconds until a request would be admitted).
 * An organisation whose limit is 0 is unlimited: not counted, no fields. Requests without a principal
 * (the Sandbox page a browser opens on /graphql) pass untouched.
 */
import type { RequestHandler, Response } from 'express';

import { AppError } from '../errors/app-error';
import type { ServiceMetrics } from '../telemetry/service-metrics';
import type { OrganisationLimits } from './organisation-limits';
import type { OrganisationRateLimiter, RateDecision } from './organisation-rate-limiter';

/** The policy's name in the RateLimit fields: the limit is the organisation's. */
export const RATE_LIMIT_POLICY = 'organisation';

/** The RateLimit-Policy and RateLimit fields of a decision. */
export function rateLimitFields(decision: RateDecision): Record<string, string> {
  return {
    'RateLimit-Policy': `"${RATE_LIMIT_POLICY}";q=${decision.quota};w=${decision.windowSeconds}`,
    RateLimit: `"${RATE_LIMIT_POLICY}";r=${decision.remaining};t=${decision.resetSeconds}`,
  };
}

/** What the middleware reads and records. */
export interface RateLimitDeps {
  limiter: OrganisationRateLimiter;
  limits: OrganisationLimits;
  telemetry: ServiceMetrics;
}

/**
 * Counts the authenticated request against its organisation's limit; 429 past it. The usual request (the
 * organisation's settings cached, a count leased) is decided without waiting for anything.
 */
export function rateLimit({ limiter, limits, telemetry }: RateLimitDeps): RequestHandler {
  const apply = (decision: RateDecision, requestsPerMinute: number, res: Response, next: () => void) => {
    const fields = rateLimitFields(decision);
    res.setHeader('RateLimit-Policy', fields['RateLimit-Policy']);
    res.setHeader('RateLimit', fields.RateLimit);
    if (decision.retryAfterSeconds !== undefined) {
      telemetry.limitRefusals.inc({ limit: 'rate' });
      throw AppError.rateLimited(
        `Rate limit exceeded: this organisation may send ${requestsPerMinute} requests per ${decision.windowSeconds} s ` +
          `(${decision.quota} with the 10% grace) on /v1 and /graphql; retry in ${decision.retryAfterSeconds} s`,
        decision.retryAfterSeconds,
      );
    }
    next();
  };
  const waiting = async (organisationId: string, res: Response, next: () => void, requestsPerMinute?: number) => {
    const perMinute = requestsPerMinute ?? (await limits.of(res.locals.em, organisationId)).requestsPerMinute;
    if (perMinute === 0) {
      next();
      return;
    }
    apply(await limiter.check(organisationId, perMinute), perMinute, res, next);
  };
  return (_req, res, next) => {
    const principal = res.locals.principal;
    // A request /v1/customers does not answer goes on to the /v1 mount, through this middleware again: counted
    // once. A flag on its locals, not a WeakSet of responses, whose entries the garbage collector must visit.
    if (principal === undefined || res.locals.rateCounted === true) {
      next();
      return;
    }
    res.locals.rateCounted = true;
    const requestsPerMinute = limits.cached(principal.organisationId)?.requestsPerMinute;
    if (requestsPerMinute === undefined) return waiting(principal.organisationId, res, next);
    if (requestsPerMinute === 0) {
      next();
      return;
    }
    const decision = limiter.checkNow(principal.organisationId, requestsPerMinute);
    if (decision === undefined) return waiting(principal.organisationId, res, next, requestsPerMinute);
    apply(decision, requestsPerMinute, res, next);
  };
}
