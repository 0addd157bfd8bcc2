/**
 * Per-request database context and authentication. Every request gets its own EntityManager fork; the
 * handlers bind it to the principal's tenant (graphql/context.ts), so queries only see that tenant's rows.
 */
import type { MikroORM } from '@mikro-orm/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

import { AppError } from '../errors/app-error';
import type { ApiKeyService } from '../tenancy/api-key.service';
import { readCredentials } from '../tenancy/credentials';

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
    res.locals.principal = await keys.authenticate(res.locals.em, credentials.key);
    next();
  };
}
