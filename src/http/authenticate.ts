/**
 * Per-request database context and authentication. Every request gets its own EntityManager fork; the
 * handlers bind it to the principal's tenant (graphql/context.ts), so queries only see that tenant's rows.
 */
import type { MikroORM } from '@mikro-orm/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

import type { ApiKeyService } from '../tenancy/api-key.service';

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
    res.locals.principal = await keys.authenticateHeaders(res.locals.em, req.get('authorization'), req.get('x-api-key'));
    next();
  };
}
