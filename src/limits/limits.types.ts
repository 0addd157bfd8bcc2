/** The GraphQL types of an organisation's limits (limits.resolver.ts). */
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

/** Where a limit's value comes from. */
export enum LimitSource {
  ORGANISATION = 'ORGANISATION',
  DEFAULT = 'DEFAULT',
}

registerEnumType(LimitSource, {
  name: 'LimitSource',
  description: 'Where a limit’s value comes from.',
  valuesConfig: {
    ORGANISATION: { description: 'The organisation’s own value, set with setLimits.' },
    DEFAULT: { description: 'The service’s default (its configuration), since the organisation has none of its own.' },
  },
});

/** Highest requests per minute an organisation may set (RATE_LIMIT_PER_MINUTE's own maximum). */
export const MAX_REQUESTS_PER_MINUTE = 10_000_000;
/** Highest monthly quota an organisation may set (MONTHLY_QUOTA's own maximum). */
export const MAX_MONTHLY_QUOTA = 2_000_000_000;

@ObjectType({ description: 'A numeric limit in force: its value and where it comes from.' })
export class LimitSetting {
  @Field(() => Int, { description: 'The value in force; 0 means unlimited.' })
  value!: number;

  @Field({ description: 'True when there is no limit (value 0).' })
  unlimited!: boolean;

  @Field(() => LimitSource, { description: 'Whether this is the organisation’s own value or the default.' })
  source!: LimitSource;
}

@ObjectType({ description: 'Whether the request log keeps masked request and response bodies, and where that comes from.' })
export class LogBodiesSetting {
  @Field({ description: 'True when masked bodies are kept with each request-log entry.' })
  value!: boolean;

  @Field(() => LimitSource, { description: 'ORGANISATION when the organisation turned it on; DEFAULT (off) otherwise.' })
  source!: LimitSource;
}

@ObjectType({ description: 'The limits in force for the caller’s organisation (both environments share them).' })
export class Limits {
  @Field(() => LimitSetting, { description: 'Requests per rolling window on /v1 and /graphql, with a 10% grace; over it: 429.' })
  requestsPerMinute!: LimitSetting;

  @Field(() => Int, { description: 'The rolling window’s length in seconds (60 unless the service is configured otherwise).' })
  windowSeconds!: number;

  @Field(() => LimitSetting, { description: 'Successful call starts and ends per calendar month (UTC), both environments counted; over it: 402.' })
  monthlyQuota!: LimitSetting;

  @Field(() => LogBodiesSetting, { description: 'Whether the request log keeps masked request and response bodies.' })
  logBodies!: LogBodiesSetting;
}

@InputType({
  description:
    'New limits for the organisation. A field left out stays as it is; null resets it to the default. Unlimited (0) is the service operator’s choice (its configuration), so the values set here are at least 1.',
})
export class SetLimitsInput {
  @Field(() => Int, { nullable: true, description: `Requests per minute, 1 to ${MAX_REQUESTS_PER_MINUTE}; null: the default.` })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_REQUESTS_PER_MINUTE)
  requestsPerMinute?: number | null;

  @Field(() => Int, { nullable: true, description: `Successful starts and ends per month, 1 to ${MAX_MONTHLY_QUOTA}; null: the default.` })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_MONTHLY_QUOTA)
  monthlyQuota?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Keep masked request and response bodies in the request log; null: the default (off).' })
  @IsOptional()
  logBodies?: boolean | null;
}
