/** What every resolver receives: the request's tenant-bound EntityManager, who is calling, and the services. */
import type { EntityManager } from '@mikro-orm/core';

import type { Logger } from '../logging/logger';
import type { RequestLinks } from '../screen-pop/screen-pop-links';
import type { Services } from '../services';
import type { Principal } from '../tenancy/api-key.service';
import type { Tenant } from '../tenancy/environment';
import { TENANT_FILTER } from '../tenancy/tenant-scoped.entity';
import { createLoaders, type Loaders } from './loaders';
import type { OperationBudget } from './operation-budget';

export interface GraphQLContext {
  em: EntityManager;
  principal: Principal;
  /** The principal's organisation and environment, for rows the request creates. */
  tenant: Tenant;
  requestId: string;
  logger: Logger;
  services: Services;
  loaders: Loaders;
  /** Absolute links handed out in answers (the screen pop's), based on PUBLIC_URL or the request's host. */
  links: RequestLinks;
  /** What a /graphql query operation may take of the database (operation-budget.ts); none for the REST shim's calls. */
  budget?: OperationBudget;
}

/** Builds a request's context: binds its EntityManager to the principal's tenant and makes its loaders. */
export function createContext(
  em: EntityManager,
  principal: Principal,
  requestId: string,
  logger: Logger,
  services: Services,
  links: RequestLinks,
  budget?: OperationBudget,
): GraphQLContext {
  const tenant: Tenant = { organisationId: principal.organisationId, environment: principal.environment };
  em.setFilterParams(TENANT_FILTER, tenant);
  return { em, principal, tenant, requestId, logger, services, loaders: createLoaders(em, services), links, budget };
}
