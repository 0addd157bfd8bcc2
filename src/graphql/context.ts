/** What every resolver receives: the request's EntityManager (tenant-bound), principal, request id, logger. */
import type { EntityManager } from '@mikro-orm/core';

import type { Logger } from '../logging/logger';
import type { Principal } from '../tenancy/api-key.service';

export interface GraphQLContext {
  em: EntityManager;
  principal: Principal;
  requestId: string;
  logger: Logger;
}
