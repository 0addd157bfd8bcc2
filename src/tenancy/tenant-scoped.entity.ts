/**
 * Base of every entity that holds caller data. The `tenant` filter is on by default and needs its
 * parameters, so a query on an EntityManager that was not bound to a tenant fails instead of leaking data.
 */
import { Enum, Filter, Property } from '@mikro-orm/decorators/legacy';

import { Environment, type Tenant } from './environment';

export const TENANT_FILTER = 'tenant';

@Filter({
  name: TENANT_FILTER,
  default: true,
  cond: (args: Partial<Tenant>) => ({ organisationId: args.organisationId, environment: args.environment }),
})
export abstract class TenantScoped {
  @Property({ type: 'uuid' })
  organisationId!: string;

  @Enum({ items: () => Environment })
  environment!: Environment;
}
