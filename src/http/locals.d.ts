import type { EntityManager } from '@mikro-orm/core';

import type { Principal } from '../tenancy/api-key.service';

declare global {
  namespace Express {
    /** What our middleware leaves on `res.locals` for the handlers after it. */
    interface Locals {
      requestId: string;
      em: EntityManager;
      principal?: Principal;
    }
  }
}
