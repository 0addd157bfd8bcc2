import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Opt, Rel } from '@mikro-orm/core';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

import { Customer } from '../customers/customer.entity';
import { Node } from '../graphql/node.type';
import { LineTypeName } from '../identity/line-type';
import { IntentStatus } from '../intents/intent-status';
import { newRowId } from '../shared/row-id';
import { TenantScoped } from '../tenancy/tenant-scoped.entity';

/** What a replayed start answers: the open intents and variables as they were at the first start. */
export interface StartSnapshot {
  /** Start of the customer's previous call, if any. */
  previousCallAt?: string | null;
  /** Calls recorded for the customer including this one. */
  callCount?: number;
  /** The customer's most recently updated intent before this call, if any. */
  lastIntent?: StartSnapshot['openIntents'][number] | null;
  openIntents: { id: string; name: string; status: IntentStatus; attemptCount: number; lastCallId: string | null; createdAt: string; updatedAt: string }[];
  variables: { id: string; name: string; value: string; source: string | null; ttlSeconds: number; expiresAt: string; lastCallId: string | null; updatedAt: string }[];
}

/** One phone call: who it was matched to and how surely, when it ran, and what it taught us. */
@ObjectType({ description: 'One phone call: who it was matched to, how surely, and what it taught us.', implements: Node })
@Entity({ tableName: 'calls' })
@Unique({ properties: ['organisationId', 'environment', 'callId'] })
// The tenant's calls by start time, carrying what the outcome metrics read (docs/metrics.md), so they
// count a period from this index alone; a call's end updates its entry once.
@Index({
  name: 'calls_metrics_index',
  properties: ['organisationId', 'environment', 'startedAt', 'previousCallAt', 'recommendation', 'endedAt', 'csat', 'intent'],
})
@Index({ properties: ['customer', 'startedAt'] })
// The calls still holding a start snapshot (the last REPLAY_WINDOW_HOURS), oldest first, for the purge
// that drops older ones (calls/replay-window.ts): small, since only recent calls are in it.
@Index({ name: 'calls_replay_snapshots_index', properties: ['startedAt'], where: 'start_snapshot is not null' })
export class Call extends TenantScoped {
  @PrimaryKey({ type: 'uuid' })
  id: string = newRowId();

  @Field(() => ID, { description: 'The platform’s call id (call_id), unique per organisation and environment.' })
  @Property({ type: 'string', length: 256 })
  callId!: string;

  // No index of its own: the (customer, startedAt) index serves every lookup by customer.
  @ManyToOne(() => Customer, { deleteRule: 'cascade', index: false })
  customer!: Rel<Customer>;

  @Field(() => Date, { description: 'When the call started (for a call recorded only at its end: its end).' })
  @Property({ type: Date })
  startedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the call ended; null while it is in progress.' })
  @Property({ type: Date, nullable: true })
  endedAt?: Date | null;

  @Field(() => Int, { nullable: true, description: 'Whole seconds from start to end.' })
  @Property({ type: 'integer', nullable: true })
  durationSeconds?: number | null;

  /** The ANI as the platform sent it; never exposed, never logged. */
  @Property({ type: 'string', length: 64, nullable: true })
  aniRaw?: string | null;

  @Field(() => String, { nullable: true, description: 'The caller number in E.164, when it was a usable number.' })
  @Property({ type: 'string', length: 32, nullable: true })
  ani?: string | null;

  @Field(() => String, { nullable: true, description: 'The dialled number, as sent.' })
  @Property({ type: 'string', length: 64, nullable: true })
  dnis?: string | null;

  @Field(() => LineTypeName, { description: 'Line type used for scoring.' })
  @Enum({ items: () => LineTypeName })
  lineType: LineTypeName & Opt = LineTypeName.UNKNOWN;

  @Field(() => Float, { description: 'Identification confidence at start, in [0,1].' })
  @Property({ type: 'double' })
  confidence: number & Opt = 0;

  /** Identification level, recommendation and sources, as answered at start. */
  @Property({ type: 'string', length: 16 })
  level: string & Opt = 'low';

  @Property({ type: 'string', length: 16 })
  recommendation: string & Opt = 'ignore';

  @Property({ type: 'json' })
  sources: string[] & Opt = [];

  @Field(() => String, { nullable: true, description: 'The intent this call reported, if any.' })
  @Property({ type: 'string', length: 128, nullable: true })
  intent?: string | null;

  @Field(() => IntentStatus, { nullable: true, description: 'The status this call reported for its intent.' })
  @Enum({ items: () => IntentStatus, nullable: true })
  intentStatus?: IntentStatus | null;

  @Field(() => [String], { description: 'Names of the variables this call wrote or deleted.' })
  @Property({ type: 'json' })
  variablesWritten: string[] & Opt = [];

  /** Fingerprints of the start and end requests, to tell a retry from a conflicting reuse of call_id. */
  @Property({ type: 'string', length: 64, nullable: true })
  startFingerprint?: string | null;

  @Property({ type: 'string', length: 64, nullable: true })
  endFingerprint?: string | null;

  /** The first start answer's open intents and variables, replayed on retries. */
  @Property({ type: 'json', nullable: true })
  startSnapshot?: StartSnapshot | null;

  @Property({ type: 'integer', nullable: true })
  intentsUpdated?: number | null;

  @Property({ type: 'integer', nullable: true })
  variablesUpdated?: number | null;

  /** The CSAT score its end carried (the METRICS_CSAT_VARIABLE variable as a number in 0–100), for the metrics. */
  @Property({ type: 'double', nullable: true })
  csat?: number | null;

  /** When the customer's previous call started, as known when this one started: its gap is the repeat-call metric's. */
  @Property({ type: Date, nullable: true })
  previousCallAt?: Date | null;
}
