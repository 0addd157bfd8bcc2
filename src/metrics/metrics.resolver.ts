/** `metrics`: the outcome metrics for admin keys (docs/metrics.md). */
import { GraphQLLocalDate } from 'graphql-scalars';
import { Arg, Ctx, Query, Resolver } from 'type-graphql';

import { AppError } from '../errors/app-error';
import type { GraphQLContext } from '../graphql/context';
import { COUNT_COST, DatabaseCost } from '../graphql/query-cost';
import { ApiKeyRole } from '../tenancy/api-key-role';
import { Environment } from '../tenancy/environment';
import { MetricsReportType } from './metrics-report.type';
import type { MetricsReport } from './metrics.types';
import { PeriodInput } from './period.input';

/**
 * What a report costs: two periods of up to a year each, and per period five range reads of its calls or
 * intents (on SQLite cut into monthly pieces that read the same rows in all), priced as about twenty counts.
 */
export const METRICS_COST = 20 * COUNT_COST;

@Resolver(() => MetricsReportType)
export class MetricsResolver {
  @DatabaseCost(METRICS_COST)
  @Query(() => MetricsReportType, {
    description: 'Outcome metrics (calls per day, recognition, repeat calls, first-contact resolution, handle time, CSAT, intents) of the key’s organisation and environment over whole local days, and the ROI table against `compareTo`. Admin keys only.',
  })
  metrics(
    @Arg('from', () => GraphQLLocalDate, { description: 'First day of the period, YYYY-MM-DD, in the organisation’s time zone.' }) from: string,
    @Arg('to', () => GraphQLLocalDate, { description: 'Last day of the period (included); at most 366 days after `from`.' }) to: string,
    @Arg('environment', () => Environment, { nullable: true, description: 'The environment to count; defaults to the key’s and must be the key’s (a test key never reads prod figures).' })
    environment: Environment | null,
    @Arg('compareTo', () => PeriodInput, { nullable: true, description: 'The period to compare with (the ROI table’s Before), e.g. the two weeks before a go-live.' })
    compareTo: PeriodInput | null,
    @Ctx() { em, principal, tenant, services }: GraphQLContext,
  ): Promise<MetricsReport> {
    if (principal.role !== ApiKeyRole.ADMIN) throw AppError.forbidden('metrics needs an admin API key');
    if (environment && environment !== tenant.environment) {
      throw AppError.forbidden(`this key works in ${tenant.environment}; metrics of ${environment} need a ${environment} admin key`);
    }
    return services.metrics.report(em, tenant, { period: { from, to }, compareTo });
  }
}
