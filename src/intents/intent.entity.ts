import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Opt, Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';

import { Customer } from '../customers/customer.entity';
import { Node } from '../graphql/node.type';
import { newRowId } from '../shared/row-id';
import { TenantScoped } from '../tenancy/tenant-scoped.entity';
import { IntentStatus } from './intent-status';

/** A caller's issue (`refund_request`), one per customer and name, counting how often it was raised. */
@ObjectType({ description: 'A caller’s issue, one per customer and name, with how often it was raised.', implements: Node })
@Entity({ tableName: 'intents' })
// One per customer and name (a customer belongs to one tenant, so the tenant adds nothing); leading with
// the customer, it also serves every load by customer and the cascade when a customer is deleted.
@Unique({ properties: ['customer', 'name'] })
// The tenant's intents by last change, carrying what the outcome metrics count (docs/metrics.md).
@Index({ name: 'intents_metrics_index', properties: ['organisationId', 'environment', 'updatedAt', 'status', 'attemptCount', 'name', 'createdAt'] })
export class Intent extends TenantScoped {
  // The row id; the GraphQL `id` is the global id made from it (Node, node.resolver.ts).
  @PrimaryKey({ type: 'uuid' })
  id: string = newRowId();

  // No index of its own: the unique (customer, name) index serves loads by customer and the cascade.
  @ManyToOne(() => Customer, { deleteRule: 'cascade', index: false })
  customer!: Rel<Customer>;

  @Field({ description: 'Normalised name: lower case, runs of other characters as _ (refund_request).' })
  @Property({ type: 'string', length: 128 })
  name!: string;

  @Field(() => IntentStatus, { description: 'open, resolved or abandoned.' })
  @Enum({ items: () => IntentStatus })
  status!: IntentStatus;

  @Field(() => Int, { description: 'How many times it was reported while unresolved (1 when first raised or reopened).' })
  @Property({ type: 'integer' })
  attemptCount: number & Opt = 1;

  @Field(() => String, { nullable: true, description: 'The call that last reported this intent.' })
  @Property({ type: 'string', length: 256, nullable: true })
  lastCallId?: string | null;

  @Field(() => Date, { description: 'When the intent was first raised.' })
  @Property({ type: Date })
  createdAt: Date & Opt = new Date();

  @Field(() => Date, { description: 'When the intent was last reported or changed.' })
  @Property({ type: Date })
  updatedAt: Date & Opt = new Date();
}
