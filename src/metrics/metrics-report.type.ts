/** The GraphQL types of a metrics report: the periods, their metrics and the ROI table (metrics.types.ts). */
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';

import { Environment } from '../tenancy/environment';
import { CsatType, DayCallsType, FirstContactResolutionType, HandleTimeType, IntentSummaryType, RepeatCallsType } from './metric-parts.type';
import type { MetricsReport, Period, PeriodMetrics, RoiRow } from './metrics.types';

/** The ROI table's metrics, named as in RoiRow. */
export enum RoiMetric {
  AVERAGE_HANDLE_TIME = 'averageHandleTime',
  FIRST_CONTACT_RESOLUTION = 'firstContactResolution',
  CSAT = 'csat',
  REPEAT_CALL_RATE = 'repeatCallRate',
}

/** Which way is better for a metric. */
export enum BetterDirection {
  LOWER = 'lower',
  HIGHER = 'higher',
}

registerEnumType(RoiMetric, {
  name: 'RoiMetric',
  description: 'A metric of the ROI table.',
  valuesConfig: {
    AVERAGE_HANDLE_TIME: { description: 'Average handle time, in seconds.' },
    FIRST_CONTACT_RESOLUTION: { description: 'Share of resolved intents resolved on first contact (by the call that raised them or its transfer leg), in [0,1].' },
    CSAT: { description: 'Average CSAT score, on the scale the platform sends.' },
    REPEAT_CALL_RATE: { description: 'Share of contacts followed by a repeat call, in [0,1].' },
  },
});
registerEnumType(BetterDirection, {
  name: 'BetterDirection',
  description: 'Which way a metric improves.',
  valuesConfig: { LOWER: { description: 'Lower is better.' }, HIGHER: { description: 'Higher is better.' } },
});

/** GraphQL `MetricsPeriod`. */
@ObjectType('MetricsPeriod', { description: 'Whole local days in the organisation’s time zone, both ends included.' })
export class PeriodType implements Period {
  @Field({ description: 'First day, YYYY-MM-DD.' })
  from!: string;

  @Field({ description: 'Last day, YYYY-MM-DD (included).' })
  to!: string;
}

/** GraphQL `PeriodMetrics`. */
@ObjectType('PeriodMetrics', { description: 'Every outcome metric of one period (definitions: docs/metrics.md).' })
export class PeriodMetricsType implements PeriodMetrics {
  @Field(() => PeriodType, { description: 'The period these figures cover.' })
  period!: PeriodType;

  @Field({ description: 'The IANA time zone that decided what a day is (the organisation’s setting).' })
  timeZone!: string;

  @Field(() => Int, { description: 'Calls that started in the period.' })
  calls!: number;

  @Field(() => [DayCallsType], { description: 'Every local day of the period in order, days without calls included.' })
  callsPerDay!: DayCallsType[];

  @Field(() => Int, { description: 'Calls with recommendation `reuse` (recognised).' })
  recognised!: number;

  @Field(() => Int, { description: 'Calls with recommendation `confirm` (to confirm).' })
  toConfirm!: number;

  @Field(() => Int, { description: 'Calls with recommendation `ignore` (new or not recognised).' })
  unrecognised!: number;

  @Field(() => RepeatCallsType, { description: 'Repeat calls and the repeat-call rate.' })
  repeatCalls!: RepeatCallsType;

  @Field(() => FirstContactResolutionType, { description: 'First-contact resolution, by intents and by the repeat-call proxy.' })
  firstContactResolution!: FirstContactResolutionType;

  @Field(() => HandleTimeType, { description: 'Average handle time.' })
  handleTime!: HandleTimeType;

  @Field(() => CsatType, { description: 'CSAT from the scores call ends recorded.' })
  csat!: CsatType;

  @Field(() => IntentSummaryType, { description: 'Open and abandoned intents, and the busiest intents.' })
  intents!: IntentSummaryType;
}

/** GraphQL `RoiRow`. */
@ObjectType('RoiRow', { description: 'One row of the ROI table: Before (the comparison period), After (the period) and the improvement.' })
export class RoiRowType implements RoiRow {
  @Field(() => RoiMetric, { description: 'Which metric.' })
  metric!: RoiRow['metric'];

  @Field({ description: 'Its name for people.' })
  label!: string;

  @Field(() => BetterDirection, { description: 'Which way is better.' })
  better!: RoiRow['better'];

  @Field(() => Float, { nullable: true, description: 'Its value in the comparison period; null: not enough data.' })
  before!: number | null;

  @Field(() => Float, { nullable: true, description: 'Its value in the period; null: not enough data.' })
  after!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Relative change in the better direction, positive when better: (before − after) / before where lower is better, (after − before) / before where higher is; null when either side is null or before is 0.',
  })
  improvement!: number | null;
}

/** GraphQL `MetricsReport`. */
@ObjectType('MetricsReport', { description: 'The outcome metrics of the key’s organisation and environment over a period, optionally against another.' })
export class MetricsReportType implements MetricsReport {
  @Field(() => Environment, { description: 'The environment counted (the API key’s).' })
  environment!: string;

  @Field(() => PeriodMetricsType, { description: 'The period asked for (the ROI table’s After).' })
  current!: PeriodMetricsType;

  @Field(() => PeriodMetricsType, { nullable: true, description: 'The comparison period (the ROI table’s Before); null when none was asked for.' })
  comparison!: PeriodMetricsType | null;

  @Field(() => [RoiRowType], { description: 'Average handle time, first-contact resolution, CSAT and repeat-call rate, Before / After / Improvement; empty without a comparison period.' })
  roi!: RoiRowType[];
}
