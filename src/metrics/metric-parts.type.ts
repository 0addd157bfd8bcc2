/** The GraphQL types of one period's metric groups (the shapes of metrics.types.ts; definitions in docs/metrics.md). */
import { Field, Float, Int, ObjectType } from 'type-graphql';

import type { Csat, DayCalls, FirstContactResolution, HandleTime, IntentSummary, IntentVolume, RepeatCalls } from './metrics.types';

/** GraphQL `DayCalls` (metrics.types.ts). */
@ObjectType('DayCalls', { description: 'One local day’s calls, split by how the caller was recognised at the start.' })
export class DayCallsType implements DayCalls {
  @Field({ description: 'The local day in the organisation’s time zone, YYYY-MM-DD.' })
  day!: string;

  @Field(() => Int, { description: 'Calls that started on this day.' })
  calls!: number;

  @Field(() => Int, { description: 'Of those, recommendation `reuse`: the caller was recognised.' })
  recognised!: number;

  @Field(() => Int, { description: 'Of those, recommendation `confirm`: the agent should confirm who is calling.' })
  toConfirm!: number;

  @Field(() => Int, { description: 'Of those, recommendation `ignore`: a new caller or not recognised.' })
  unrecognised!: number;
}

/** GraphQL `RepeatCalls` (metrics.types.ts). */
@ObjectType('RepeatCalls', { description: 'Calls followed by another call of the same customer within the repeat window, transfers excluded.' })
export class RepeatCallsType implements RepeatCalls {
  @Field(() => Int, { description: 'Calls that started in the period.' })
  calls!: number;

  @Field(() => Int, { description: 'Calls whose next call (same customer) came after the transfer window and within the repeat window; the next call may fall after the period.' })
  repeated!: number;

  @Field(() => Int, { description: 'Calls whose next call came within the transfer window: transfers, not repeats.' })
  transfers!: number;

  @Field(() => Int, { description: 'Contacts: calls − transfers (a transferred call and its next leg are one contact).' })
  contacts!: number;

  @Field(() => Float, { nullable: true, description: 'Repeat-call rate: repeated / contacts, in [0,1]; null when there are no contacts.' })
  rate!: number | null;

  @Field(() => Int, { description: 'The repeat window in days (METRICS_REPEAT_WINDOW_DAYS).' })
  windowDays!: number;

  @Field(() => Int, { description: 'The transfer window in minutes (METRICS_TRANSFER_WINDOW_MINUTES).' })
  transferWindowMinutes!: number;
}

/** GraphQL `FirstContactResolution` (metrics.types.ts). */
@ObjectType('FirstContactResolution', { description: 'First-contact resolution, two ways, each with its definition.' })
export class FirstContactResolutionType implements FirstContactResolution {
  @Field(() => Int, { description: 'Intents resolved in the period (status resolved, last changed in the period).' })
  resolvedIntents!: number;

  @Field(() => Int, { description: 'Of those, resolved on first contact: one attempt, resolved within the transfer window of being raised (by that call or its transfer leg).' })
  resolvedFirstAttempt!: number;

  @Field(() => Float, { nullable: true, description: 'resolvedFirstAttempt / resolvedIntents, in [0,1]; null when no intent was resolved.' })
  rate!: number | null;

  @Field(() => Float, { nullable: true, description: 'The industry’s operational proxy: 1 − repeat-call rate; null when the repeat-call rate is.' })
  proxyRate!: number | null;
}

/** GraphQL `HandleTime` (metrics.types.ts). */
@ObjectType('HandleTime', { description: 'Handle time from the start request to the end request.' })
export class HandleTimeType implements HandleTime {
  @Field(() => Int, { description: 'Calls of the period whose end came after their start (calls in progress and calls recorded by an end alone are left out).' })
  calls!: number;

  @Field(() => Float, { nullable: true, description: 'Average handle time in seconds; null when no call qualifies.' })
  averageSeconds!: number | null;
}

/** GraphQL `Csat` (metrics.types.ts). */
@ObjectType('Csat', { description: 'Customer satisfaction scores recorded by call ends.' })
export class CsatType implements Csat {
  @Field({ description: 'The variable an end writes the score in (METRICS_CSAT_VARIABLE).' })
  variable!: string;

  @Field(() => Int, { description: 'Calls of the period whose end recorded a score (a number from 0 to 100).' })
  responses!: number;

  @Field(() => Float, { nullable: true, description: 'Average score, on the scale the platform sends; null without responses.' })
  average!: number | null;
}

/** GraphQL `IntentVolume` (metrics.types.ts). */
@ObjectType('IntentVolume', { description: 'One intent name’s volume and effort in the period.' })
export class IntentVolumeType implements IntentVolume {
  @Field({ description: 'The normalised intent name (refund_request).' })
  name!: string;

  @Field(() => Int, { description: 'Calls that started in the period and reported this intent at their end.' })
  calls!: number;

  @Field(() => Int, { description: 'Sum of the attempt counts of this intent’s rows last changed in the period.' })
  attempts!: number;
}

/** GraphQL `IntentSummary` (metrics.types.ts). */
@ObjectType('IntentSummary', { description: 'Intents last changed in the period, by their status now, and the busiest intent names.' })
export class IntentSummaryType implements IntentSummary {
  @Field(() => Int, { description: 'Intents last changed in the period that are open now.' })
  open!: number;

  @Field(() => Int, { description: 'Intents last changed in the period that are abandoned now.' })
  abandoned!: number;

  @Field(() => [IntentVolumeType], { description: 'Up to 10 intent names with the most calls (ties by name).' })
  topByVolume!: IntentVolumeType[];

  @Field(() => [IntentVolumeType], { description: 'Up to 10 intent names with the most attempts (ties by name).' })
  topByAttempts!: IntentVolumeType[];
}
