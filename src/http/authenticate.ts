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
import { API_CHALLENGES, challengesFor, readCredentials, type Credentials } from '../tenancy/credentials';
import type { AuthThrottle } from './auth-throttle';

/** Gives the request its own EntityManager (`res.locals.em`). */
export function forkEntityManager(orm: MikroORM): RequestHandler {
  return (_req, res, next) => {
    res.locals.em = orm.em.fork();
    next();
  };
}

/** Resolves a request's credentials to a principal, counting failures per client address. */
export class RequestAuthenticator {
  constructor(
    private readonly keys: ApiKeyService,
    private readonly throttle: AuthThrottle,
  ) {}

  /**
   * The principal behind the request's key. UNAUTHENTICATED (401) for a missing, malformed, unknown or
   * revoked key; RATE_LIMITED (429, with Retry-After) when the address failed too often, unless the key is
   * one that authenticated recently. A request without any key is neither counted nor throttled: it is
   * refused without a lookup anyway, and it is no guess at a key. A 401 offers Bearer and Basic, except to
   * a script in a browser page (`challengesFor`).
   */
  async principalOf(req: Request, em: EntityManager): Promise<Principal> {
    try {
      return await this.principalOfCredentials(req, em, readCredentials(req.get('authorization'), req.get('x-api-key')));
    } catch (error) {
      const challenges = challengesFor(req.get('sec-fetch-mode'));
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
