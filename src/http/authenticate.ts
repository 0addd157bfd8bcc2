/**
 * Per-request database context and authentication. Every request gets its own EntityManager fork; an
 * authenticated one has the tenant filter bound, so its queries only ever see its own tenant's rows.
 */
import type { MikroORM } from '@mikro-orm/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

import { AppError } from '../errors/app-error';
import type { ApiKeyService } from '../tenancy/api-key.service';
import { readCredentials } from '../tenancy/credentials';
import { TENANT_FILTER } from '../tenancy/tenant-scoped.entity';

/** Gives the request its own EntityManager (`res.locals.em`). */
export function forkEntityManager(orm: MikroORM): RequestHandler {
  return (_req, res, next) => {
    res.locals.em = orm.em.fork();
    next();
  };
}

/** Resolves the request's API key to a principal (`res.locals.principal`) or answers 401. */
export function authenticate(keys: ApiKeyService): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const credentials = readCredentials(req.get('authorization'), req.get('x-api-key'));
    if (credentials.kind === 'missing') {
      throw AppError.unauthenticated('Missing API key: send Authorization: Bearer <key>');
    }
    if (credentials.kind === 'malformed') throw AppError.unauthenticated('Malformed API key');
    const principal = await keys.authenticate(res.locals.em, credentials.key);
    res.locals.em.setFilterParams(TENANT_FILTER, {
      organisationId: principal.organisationId,
      environment: principal.environment,
    });
    res.locals.principal = principal;
    next();
  };
}
