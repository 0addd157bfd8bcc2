/**
 * Per-request database context and authentication. Every request gets its own EntityManager fork; the
 * handlers bind it to the principal's tenant (graphql/context.ts), so queries only see that tenant's rows.
 * Authentication reads only headers, so it runs before any body is read: an unauthenticated request is
 * answered without its body being read (on /v1 and on /graphql alike).
 */
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Request, RequestHandler } from 'express';

import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';
import type { ApiKeyService, Principal } from '../tenancy/api-key.service';
import { fromAnotherSite } from './same-site';
import { API_CHALLENGES, challengesFor, readCredentials, sentAsBasic, type Credentials } from '../tenancy/credentials';
import type { AuthThrottle } from './auth-throttle';

/** The 401's message for Basic credentials a browser attached to another site's request. */
export const BASIC_FROM_ANOTHER_SITE =
  'Basic credentials are not accepted on a request from another site (a browser re-sends them unasked): send the key as Authorization: Bearer <key> or X-Api-Key';

/** Gives the request its own EntityManager (`res.locals.em`). */
export function forkEntityManager(orm: MikroORM): RequestHandler {
  return (_req, res, next) => {
    // A page request that no page answered comes by the API's fork too: one per request.
    res.locals.em ??= orm.em.fork();
    next();
  };
}

/** Resolves a request's credentials to a principal, counting failures per client address. */
export class RequestAuthenticator {
  constructor(
    private readonly keys: ApiKeyService,
    private readonly throttle: AuthThrottle,
    /** PUBLIC_URL: its host is ours too when a browser says where a request comes from (`Origin`). */
    private readonly publicUrl?: string,
  ) {}

  /**
   * The principal behind the request's key. UNAUTHENTICATED (401) for a missing, malformed, unknown or
   * revoked key; RATE_LIMITED (429, with Retry-After) when the address failed too often, unless the key is
   * one that authenticated recently. A request without any key is neither counted nor throttled: it is
   * refused without a lookup anyway, and it is no guess at a key. A 401 offers Bearer and Basic, except to
   * a browser (`challengesFor`). Basic credentials on a request a browser says another site made are
   * refused.
   */
  async principalOf(req: Request, em: EntityManager): Promise<Principal> {
    const header = (name: string) => req.get(name);
    try {
      // Basic credentials a browser cached are attached to other sites' requests too (a form posted to
      // /v1/calls/end): on a request a browser says another site made (Sec-Fetch-Site, Origin) they prove
      // nothing. Neither counted nor looked up: the key may well be right.
      if (sentAsBasic(req.get('authorization')) && fromAnotherSite(req, this.publicUrl)) throw AppError.unauthenticated(BASIC_FROM_ANOTHER_SITE);
      return await this.principalOfCredentials(req, em, readCredentials(req.get('authorization'), req.get('x-api-key')));
    } catch (error) {
      const challenges = challengesFor(header);
      if (error instanceof AppError && error.code === ErrorCode.Unauthenticated && challenges !== API_CHALLENGES) {
        throw AppError.unauthenticated(error.message, challenges);
      }
      throw error;
    }
  }

  /**
   * The same for credentials found elsewhere than the headers (the dashboard's sign-in form): failures
   * from the request's address count against the same throttle as the API's.
   */
  async principalOfCredentials(req: Request, em: EntityManager, credentials: Credentials): Promise<Principal> {
    if (credentials.kind === 'missing') return this.keys.authenticateCredentials(em, credentials);
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const retryAfter = this.throttle.retryAfterSeconds(address);
    if (retryAfter !== undefined && !(credentials.kind === 'key' && this.throttle.isTrusted(credentials.key))) {
      throw AppError.rateLimited(`Too many failed authentications from this address; retry in ${retryAfter} s`, retryAfter);
    }
    try {
      const principal = await this.keys.authenticateCredentials(em, credentials);
      if (credentials.kind === 'key') this.throttle.recordSuccess(credentials.key);
      return principal;
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCode.Unauthenticated) {
        this.throttle.recordFailure(address);
        if (credentials.kind === 'key') this.throttle.distrust(credentials.key);
      }
      throw error;
    }
  }
}

/** Resolves the request's API key to a principal (`res.locals.principal`), or fails with 401 / 429. */
export function authenticate(authenticator: RequestAuthenticator): RequestHandler {
  return async (req, res, next) => {
    res.locals.principal = await authenticator.principalOf(req, res.locals.em);
    next();
  };
}

/**
 * Authentication for /graphql, before its body is read. A GET or HEAD without credentials for which
 * `servesPage` says the Sandbox landing page is the answer passes on (a browser opening /graphql). Every
 * other request must authenticate here: a GET without a key is told so (401), rather than refused as a
 * possible cross-site request, since that is what it lacks.
 */
export function authenticateGraphQL(authenticator: RequestAuthenticator, servesPage: (req: Request) => boolean): RequestHandler {
  return async (req, res, next) => {
    const bodiless = req.method === 'GET' || req.method === 'HEAD';
    if (bodiless && servesPage(req) && readCredentials(req.get('authorization'), req.get('x-api-key')).kind === 'missing') {
      next();
      return;
    }
    res.locals.principal = await authenticator.principalOf(req, res.locals.em);
    next();
  };
}
