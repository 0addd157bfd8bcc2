import { Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Opt, Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

import { Customer } from '../customers/customer.entity';
import { TenantScoped } from '../tenancy/tenant-scoped.entity';

/** A CRM id, account number, email… (key + value), unique within a tenant: it names one customer. */
@Entity({ tableName: 'external_identities' })
@Unique({ properties: ['organisationId', 'environment', 'key', 'value'] })
export class ExternalIdentity extends TenantScoped {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Customer, { deleteRule: 'cascade' })
  customer!: Rel<Customer>;

  @Property({ type: 'string', length: 64 })
  key!: string;

  @Property({ type: 'string', length: 256 })
  value!: string;

  @Property({ type: Date })
  createdAt: Date & Opt = new Date();

  @Property({ type: Date })
  lastSeenAt: Date & Opt = new Date();
}
