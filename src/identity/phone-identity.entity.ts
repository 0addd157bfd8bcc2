import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Opt, Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

import { Customer } from '../customers/customer.entity';
import { TenantScoped } from '../tenancy/tenant-scoped.entity';
import { LineTypeName } from './line-type';

/** A phone number (E.164) a customer called from. One number may belong to several customers (shared). */
@Entity({ tableName: 'phone_identities' })
@Unique({ properties: ['organisationId', 'environment', 'e164', 'customer'] })
@Index({ properties: ['organisationId', 'environment', 'e164'] })
export class PhoneIdentity extends TenantScoped {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Customer, { deleteRule: 'cascade' })
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
