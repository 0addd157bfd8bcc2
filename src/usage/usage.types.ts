/** The GraphQL types of `usage` (usage.resolver.ts): what an organisation used in one UTC month. */
import { Field, Float, Int, ObjectType } from 'type-graphql';

import { Environment } from '../tenancy/environment';

@ObjectType('UsageDay', { description: 'Successful call starts and ends over one day of one environment (UTC).' })
export class UsageDayType {
  @Field({ description: 'The UTC day, YYYY-MM-DD.' })
  day!: string;

  @Field(() => Int, { description: 'Calls started that day: first starts only (a replayed start, a refusal or a failure counts nothing).' })
  callsStarted!: number;

  @Field(() => Int, { description: 'Calls ended that day: first ends only, standalone ends (without a start) included.' })
  callsEnded!: number;

  @Field(() => Int, { description: 'Starts that recognised a known caller (recommendation `reuse`, confidence 0.5 or more).' })
  identified!: number;

  @Field(() => Float, { nullable: true, description: 'identified ÷ callsStarted, from 0 to 1 (four decimals); null on a day without starts.' })
  identifiedShare!: number | null;
}

@ObjectType('UsageEnvironment', { description: 'What one environment of the organisation used in the month.' })
export class UsageEnvironmentType {
  @Field(() => Environment, { description: 'The environment (test or prod keys).' })
  environment!: Environment;

  @Field(() => Int, { description: 'Calls started in the month by this environment’s keys.' })
  callsStarted!: number;

  @Field(() => Int, { description: 'Calls ended in the month by this environment’s keys.' })
  callsEnded!: number;

  @Field(() => Int, { description: 'Starts that recognised a known caller (recommendation `reuse`).' })
  identified!: number;

  @Field(() => Float, { nullable: true, description: 'identified ÷ callsStarted, from 0 to 1 (four decimals); null without starts.' })
  identifiedShare!: number | null;

  @Field(() => [UsageDayType], { description: 'Every day of the month up to today (UTC), oldest first; days without traffic are included with zeros.' })
  days!: UsageDayType[];
}

@ObjectType('UsageReport', { description: 'What the caller’s organisation used in one calendar month (UTC): call starts and ends, the share identified, and the monthly quota.' })
export class UsageReportType {
  @Field({ description: 'The month, YYYY-MM (UTC).' })
  month!: string;

  @Field(() => Int, { description: 'Calls started in the month, both environments.' })
  callsStarted!: number;

  @Field(() => Int, { description: 'Calls ended in the month, both environments.' })
  callsEnded!: number;

  @Field(() => Int, { description: 'Starts that recognised a known caller (recommendation `reuse`), both environments.' })
  identified!: number;

  @Field(() => Float, { nullable: true, description: 'identified ÷ callsStarted, from 0 to 1 (four decimals); null without starts.' })
  identifiedShare!: number | null;

  @Field(() => Int, { nullable: true, description: 'Successful starts and ends the organisation may make in the month (its own quota or the service’s default); null: unlimited.' })
  quota!: number | null;

  @Field(() => Int, { description: 'Starts and ends counted against the quota in the month (test and prod keys alike).' })
  used!: number;

  @Field(() => Int, { nullable: true, description: 'quota − used, never below 0 (at 0, starts and ends are answered 402 until the next month); null: unlimited.' })
  left!: number | null;

  @Field(() => [UsageEnvironmentType], { description: 'The same counts per environment (test, then prod), each with its days.' })
  environments!: UsageEnvironmentType[];
}
