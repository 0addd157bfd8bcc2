/** GET and DELETE /v1/customers/{ref}: export and erase one customer of the key's tenant (authenticated by the app). */
import { Router, type Request, type Response } from 'express';

import { AppError } from '../errors/app-error';
import { sendAnswer } from '../http/send-answer';
import type { Services } from '../services';
import type { Principal } from '../tenancy/api-key.service';
import { TENANT_FILTER } from '../tenancy/tenant-scoped.entity';
import { presentErasure, presentExport } from './privacy.answers';
import type { PrivacyActor } from './privacy.service';

/** The request's tenant and key, its EntityManager bound to that tenant. */
function actor(res: Response): PrivacyActor {
  const principal = res.locals.principal as Principal;
  const tenant = { organisationId: principal.organisationId, environment: principal.environment };
  res.locals.em.setFilterParams(TENANT_FILTER, tenant);
  return { em: res.locals.em, tenant, keyId: principal.keyId };
}

/** The routes under /v1/customers (the access log names them `/v1/customers/:ref`, never the ref). */
export function privacyRoutes(services: Services): Router {
  const router = Router();

  // Express answers HEAD with the GET route: a full export, audited, whose document never leaves. HEAD
  // is not one of this route's methods (405, as /v1/calls/* answers it).
  router.head('/:ref', () => {
    throw AppError.methodNotAllowed(['GET', 'DELETE']);
  });

  router.get('/:ref', async (req: Request<{ ref: string }>, res: Response) => {
    sendAnswer(res, presentExport(await services.privacy.export(actor(res), req.params.ref)));
  });

  router.delete('/:ref', async (req: Request<{ ref: string }>, res: Response) => {
    sendAnswer(res, presentErasure(await services.privacy.erase(actor(res), req.params.ref)));
  });

  router.all('/:ref', () => {
    throw AppError.methodNotAllowed(['GET', 'DELETE']);
  });
  return router;
}
