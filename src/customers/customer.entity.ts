import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

import { TenantScoped } from '../tenancy/tenant-scoped.entity';

/** A caller we remember. `ref` is the UUID handed to platforms as `customer_ref`. */
@Entity({ tableName: 'customers' })
@Unique({ properties: ['organisationId', 'environment', 'ref'] })
export class Customer extends TenantScoped {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  ref: string & Opt = randomUUID();

  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}
