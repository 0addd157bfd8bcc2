import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Field, ID, Int, ObjectType } from 'type-graphql';

import { Node } from '../graphql/node.type';
import { newRowId } from '../shared/row-id';
import { TenantScoped } from '../tenancy/tenant-scoped.entity';

/** A caller we remember. `ref` is the UUID handed to platforms as `customer_ref`. */
@ObjectType({ description: 'A caller we remember, recognised by their numbers and external ids.', implements: Node })
@Entity({ tableName: 'customers' })
@Unique({ properties: ['organisationId', 'environment', 'ref'] })
@Index({ properties: ['organisationId', 'environment', 'lastCallAt'] })
export class Customer extends TenantScoped {
  @PrimaryKey({ type: 'uuid' })
  id: string = newRowId();

  @Field(() => ID, { description: 'The customer reference (UUID) returned to platforms as customer_ref.' })
  @Property({ type: 'uuid' })
  ref: string & Opt = randomUUID();

  @Field(() => Boolean, {
    description: 'True while nothing is known but the call itself: no identity, intent or variable yet.',
  })
  @Property({ type: 'boolean' })
  provisional: boolean & Opt = true;

  @Field(() => Date, { nullable: true, description: 'When the customer last called (start of the latest call).' })
  @Property({ type: Date, nullable: true })
  lastCallAt?: Date | null;

  @Field(() => Int, { description: 'How many calls we have recorded for this customer.' })
  @Property({ type: 'integer' })
  callCount: number & Opt = 0;

  /** Set when this customer was merged into another: its ref then resolves to that customer. */
  @Property({ type: 'uuid', nullable: true })
  mergedIntoId?: string | null;

  @Field(() => Date, { description: 'When the customer was first seen.' })
  @Property({ type: Date })
  createdAt: Date & Opt = new Date();

  @Field(() => Date, { description: 'When anything about the customer last changed.' })
  @Property({ type: Date })
  updatedAt: Date & Opt = new Date();
}
