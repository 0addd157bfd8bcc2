import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Opt, Rel } from '@mikro-orm/core';

import { Customer } from '../customers/customer.entity';
import { newRowId } from '../shared/row-id';
import { TenantScoped } from '../tenancy/tenant-scoped.entity';
import { LineTypeName } from './line-type';

/**
 * A phone number (E.164) a customer called from. One number may belong to several customers (shared).
 * Lookups by number use the unique index, whose leading columns are (organisation, environment, e164).
 */
@Entity({ tableName: 'phone_identities' })
@Unique({ properties: ['organisationId', 'environment', 'e164', 'customer'] })
export class PhoneIdentity extends TenantScoped {
  @PrimaryKey({ type: 'uuid' })
  id: string = newRowId();

  // Indexed on every engine (PostgreSQL does not index foreign keys by itself): loads by customer and
  // the cascade when a customer is deleted would otherwise scan the table.
  @ManyToOne(() => Customer, { deleteRule: 'cascade', index: true })
  customer!: Rel<Customer>;

  @Property({ type: 'string', length: 32 })
  e164!: string;

  /** The line type last reported for this number. */
  @Enum({ items: () => LineTypeName })
  lineType: LineTypeName & Opt = LineTypeName.UNKNOWN;

  @Property({ type: Date })
  createdAt: Date & Opt = new Date();

  @Property({ type: Date })
  lastSeenAt: Date & Opt = new Date();
}
