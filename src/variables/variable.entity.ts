import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Opt, Rel } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';

import { Customer } from '../customers/customer.entity';
import { newRowId } from '../shared/row-id';
import { TenantScoped } from '../tenancy/tenant-scoped.entity';

/** A saved fact about a customer (name, VIP tier, last summary): last write wins, expires after its TTL. */
@ObjectType({ description: 'A saved fact about a customer; last write wins; expires after its TTL.' })
@Entity({ tableName: 'variables' })
// One per customer and name (a customer belongs to one tenant, so the tenant adds nothing); leading with
// the customer, it also serves every load by customer and the cascade when a customer is deleted.
@Unique({ properties: ['customer', 'name'] })
@Index({ properties: ['expiresAt'] })
export class Variable extends TenantScoped {
  @Field(() => ID, { description: 'Stable identifier of the variable.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = newRowId();

  // No index of its own: the unique (customer, name) index serves loads by customer and the cascade.
  @ManyToOne(() => Customer, { deleteRule: 'cascade', index: false })
  customer!: Rel<Customer>;

  @Field({ description: 'Variable name ([A-Za-z0-9_.-], up to 64 characters).' })
  @Property({ type: 'string', length: 64 })
  name!: string;

  @Field({ description: 'The value, always a string (numbers and booleans are stored as text).' })
  @Property({ type: 'text' })
  value!: string;

  @Field(() => String, { nullable: true, description: 'Who wrote it (e.g. crm, agent), if the writer said.' })
  @Property({ type: 'string', length: 64, nullable: true })
  source?: string | null;

  @Field(() => Int, { description: 'Time to live in seconds, counted from the last write.' })
  @Property({ type: 'integer' })
  ttlSeconds!: number;

  @Field(() => Date, { description: 'When the value stops being returned.' })
  @Property({ type: Date })
  expiresAt!: Date;

  @Field(() => String, { nullable: true, description: 'The call that last wrote it, if any.' })
  @Property({ type: 'string', length: 256, nullable: true })
  lastCallId?: string | null;

  @Field(() => Date, { description: 'When it was last written.' })
  @Property({ type: Date })
  updatedAt: Date & Opt = new Date();
}
