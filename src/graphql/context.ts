/** What every resolver receives: the request's tenant-bound EntityManager, who is calling, and the services. */
import type { EntityManager } from '@mikro-orm/core';

import type { Logger } from '../logging/logger';
import type { Services } from '../services';
import type { Principal } from '../tenancy/api-key.service';
import type { Tenant } from '../tenancy/environment';
import type { Loaders } from './loaders';

export interface GraphQLContext {
  em: EntityManager;
  principal: Principal;
  /** The principal's organisation and environment, for rows the request creates. */
  tenant: Tenant;
  requestId: string;
  logger: Logger;
  services: Services;
  loaders: Loaders;
}
