import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

import { newRowId } from '../shared/row-id';
import { TenantScoped } from '../tenancy/tenant-scoped.entity';

/** What a privacy audit entry records. */
export enum PrivacyAction {
  ERASE = 'erase',
  EXPORT = 'export',
  LIFT_TOMBSTONE = 'lift_tombstone',
}

registerEnumType(PrivacyAction, {
  name: 'PrivacyAction',
  description: 'An operation on personal data that the privacy audit records.',
  valuesConfig: {
    ERASE: { description: 'A customer was erased (eraseCustomer, DELETE /v1/customers/{ref}).' },
    EXPORT: { description: 'A customer was exported (exportCustomer, GET /v1/customers/{ref}).' },
    LIFT_TOMBSTONE: { description: 'An admin lifted a tombstone: its value behaves as never seen again.' },
  },
});

/** Who erased, exported or lifted what, and when; the subject is a keyed hash, never the data itself. */
@ObjectType({ description: 'One erase, export or tombstone lift: who (API key id), when, and a keyed hash of what; never the data itself.' })
@Entity({ tableName: 'privacy_audit' })
@Index({ properties: ['organisationId', 'environment', 'at'] })
export class PrivacyAuditEntry extends TenantScoped {
  @Field(() => ID, { description: 'Stable identifier of the entry.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = newRowId();

  @Field(() => PrivacyAction, { description: 'What was done.' })
  @Enum({ items: () => PrivacyAction })
  action!: PrivacyAction;

  @Field(() => ID, { description: 'The id of the API key that did it.' })
  @Property({ type: 'uuid' })
  keyId!: string;

  @Field(() => Date, { description: 'When it was done.' })
  @Property({ type: Date })
  at: Date & Opt = new Date();

  @Field({
    description:
      'A keyed hash (hex) of what it was done to: for an erase or export, the customer ref’s (the same hash as that erase’s CUSTOMER_REF tombstone); for a lift, the lifted tombstone’s.',
  })
  @Property({ type: 'string', length: 64 })
  subject!: string;
}
