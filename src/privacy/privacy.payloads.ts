/** The GraphQL results of the privacy operations. */
import { Field, ID, Int, ObjectType } from 'type-graphql';

import { PageInfo, type ConnectionPage } from '../graphql/connection';
import { PrivacyAuditEntry } from './privacy-audit.entity';
import { Tombstone, TombstoneKind } from './tombstone.entity';

// Pages rather than Relay connections: tombstones and audit entries are not `Node`s, so `node(id:)` (open to
// every key of the tenant) can never reach these admin-only rows.

@ObjectType({ description: 'A page of tombstones, newest first; page on with `pageInfo.endCursor` as `after`.' })
export class TombstonesPayload {
  @Field(() => [Tombstone], { description: 'The tombstones on this page.' })
  items!: Tombstone[];

  @Field(() => PageInfo, { description: 'Where this page starts and ends, and whether more lie either side.' })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'How many tombstones the tenant has.' })
  totalCount!: number;
}

@ObjectType({ description: 'A page of privacy audit entries, newest first; page on with `pageInfo.endCursor` as `after`.' })
export class PrivacyAuditPayload {
  @Field(() => [PrivacyAuditEntry], { description: 'The entries on this page.' })
  items!: PrivacyAuditEntry[];

  @Field(() => PageInfo, { description: 'Where this page starts and ends, and whether more lie either side.' })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'How many entries the tenant has.' })
  totalCount!: number;
}

/** A connection's page as a plain page of items. */
export function toPage<T>({ edges, pageInfo, totalCount }: ConnectionPage<T>): { items: T[]; pageInfo: PageInfo; totalCount: number } {
  return { items: edges.map((edge) => edge.node), pageInfo, totalCount };
}

@ObjectType({ description: 'Result of eraseCustomer: what was removed; tombstones keep keyed hashes of the erased call ids, refs, numbers and external ids.' })
export class EraseCustomerPayload {
  @Field(() => ID, { description: 'The erased customer’s ref (a merged customer’s ref names the customer it was merged into, which is what was erased).' })
  customerRef!: string;

  @Field(() => Date, { description: 'When the customer was erased.' })
  erasedAt!: Date;

  @Field(() => Int, { description: 'Calls deleted.' })
  calls!: number;

  @Field(() => Int, { description: 'Numbers and external ids deleted.' })
  identities!: number;

  @Field(() => Int, { description: 'Intents deleted.' })
  intents!: number;

  @Field(() => Int, { description: 'Variables deleted (expired ones included).' })
  variables!: number;

  @Field(() => Int, { description: 'Tombstones written or renewed.' })
  tombstones!: number;
}

@ObjectType({ description: 'Result of liftTombstone: the tombstone as it was; its value now behaves as never seen.' })
export class LiftTombstonePayload {
  @Field(() => ID, { description: 'The lifted tombstone’s id.' })
  id!: string;

  @Field(() => TombstoneKind, { description: 'What the erased value was.' })
  kind!: TombstoneKind;

  @Field(() => Date, { description: 'When the value had been erased.' })
  erasedAt!: Date;

  @Field(() => ID, { description: 'The id of the API key that had erased it.' })
  erasedBy!: string;

  @Field(() => Date, { description: 'When the tombstone was lifted.' })
  liftedAt!: Date;
}
