import { Entity, Enum, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

import { newRowId } from '../shared/row-id';
import { TenantScoped } from '../tenancy/tenant-scoped.entity';

/** What an erased value was: a call id, a customer ref, a phone number or an external id. */
export enum TombstoneKind {
  CALL = 'call',
  CUSTOMER_REF = 'customer_ref',
  PHONE = 'phone',
  EXTERNAL_ID = 'external_id',
}

registerEnumType(TombstoneKind, {
  name: 'TombstoneKind',
  description: 'What an erased value was; the tombstone keeps only its keyed hash.',
  valuesConfig: {
    CALL: { description: 'A call_id of an erased call: a replayed start or end of it writes nothing and revives nothing.' },
    CUSTOMER_REF: { description: 'The ref of an erased customer (or of one merged into it): an end carrying it writes nothing.' },
    PHONE: { description: 'A number of an erased customer.' },
    EXTERNAL_ID: { description: 'An external id (key and value) of an erased customer.' },
  },
});

/**
 * The mark an erased value leaves: a keyed hash (HMAC-SHA256 under a key derived from APP_SECRET, over the
 * tenant, the kind and the value), never the value. docs/decisions.md (Issue 12, Privacy) says what each
 * kind does on the call path.
 */
@ObjectType({ description: 'The keyed-hash mark an erased call id, ref, number or external id leaves behind; never the value itself.' })
@Entity({ tableName: 'privacy_tombstones' })
@Unique({ properties: ['organisationId', 'environment', 'digest'] })
@Index({ properties: ['organisationId', 'environment', 'erasedAt'] })
export class Tombstone extends TenantScoped {
  @Field(() => ID, { description: 'Stable identifier of the tombstone (pass it to liftTombstone).' })
  @PrimaryKey({ type: 'uuid' })
  id: string = newRowId();

  @Field(() => TombstoneKind, { description: 'What the erased value was.' })
  @Enum({ items: () => TombstoneKind })
  kind!: TombstoneKind;

  /** HMAC-SHA256 (hex) of tenant, kind and value; see tombstone-digest.ts. */
  @Property({ type: 'string', length: 64 })
  digest!: string;

  @Field(() => Date, { description: 'When the value was erased.' })
  @Property({ type: Date })
  erasedAt: Date & Opt = new Date();

  @Field(() => ID, { description: 'The id of the API key that erased it.' })
  @Property({ type: 'uuid' })
  erasedBy!: string;
}
