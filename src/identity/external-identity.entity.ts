import { Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Opt, Rel } from '@mikro-orm/core';

import { Customer } from '../customers/customer.entity';
import { newRowId } from '../shared/row-id';
import { TenantScoped } from '../tenancy/tenant-scoped.entity';

/** A CRM id, account number, email… (key + value), unique within a tenant: it names one customer. */
@Entity({ tableName: 'external_identities' })
@Unique({ properties: ['organisationId', 'environment', 'key', 'value'] })
export class ExternalIdentity extends TenantScoped {
  @PrimaryKey({ type: 'uuid' })
  id: string = newRowId();

  // Indexed on every engine (PostgreSQL does not index foreign keys by itself): loads by customer and
  // the cascade when a customer is deleted would otherwise scan the table.
  @ManyToOne(() => Customer, { deleteRule: 'cascade', index: true })
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
