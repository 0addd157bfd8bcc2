/**
 * `usage(month)`: what the caller's organisation used in a UTC month. Any key of the organisation, test or
 * prod: the counts hold no caller data, and the quota they are checked against is the organisation's, both
 * environments together (as `limits` is readable by any key).
 */
import { Arg, Ctx, Query, Resolver } from 'type-graphql';

import type { GraphQLContext } from '../graphql/context';
import { DatabaseCost, QUERY_COST } from '../graphql/query-cost';
import { monthOrFail, usageReport, type UsageReport } from './usage-report';
import { UsageReportType } from './usage.types';

@Resolver()
export class UsageResolver {
  @DatabaseCost(2 * QUERY_COST)
  @Query(() => UsageReportType, {
    description:
      'What the caller’s organisation used in one calendar month (UTC): calls started and ended, the share identified, the monthly quota used and left, by environment and by day. Any key of the organisation.',
  })
  async usage(
    @Arg('month', () => String, { nullable: true, description: 'The month, YYYY-MM (UTC); this month when left out.' }) month: string | null,
    @Ctx() { em, services, principal }: GraphQLContext,
  ): Promise<UsageReport> {
    const now = services.clock.now();
    const asked = monthOrFail(month, now);
    const { monthlyQuota } = await services.limits.of(em, principal.organisationId);
    return usageReport(em, principal.organisationId, asked, monthlyQuota, now);
  }
}
