/**
 * An organisation's limits in GraphQL: `limits` for any key of the organisation, `setLimits` for prod admin
 * keys (limits are the organisation's, production included, so a test key never changes them). A change
 * applies on this instance at once (`OrganisationLimits.forget`) and on the others within LIMITS_CACHE_MS (5 s).
 */
import type { EntityManager } from '@mikro-orm/core';
import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';

import type { GraphQLContext } from '../graphql/context';
import { DatabaseCost, QUERY_COST } from '../graphql/query-cost';
import { requireProductionAdmin } from '../tenancy/key-administration';
import { Organisation } from '../tenancy/organisation.entity';
import { LimitSource, Limits, SetLimitsInput, type LimitSetting } from './limits.types';
import type { OrganisationLimits } from './organisation-limits';

function setting(own: number | null | undefined, fallback: number): LimitSetting {
  const value = own ?? fallback;
  return { value, unlimited: value === 0, source: own == null ? LimitSource.DEFAULT : LimitSource.ORGANISATION };
}

/** The limits in force for the organisation, read from the database (not the 5 s cache the requests use). */
async function limitsOf(em: EntityManager, limits: OrganisationLimits, organisationId: string): Promise<Limits> {
  const organisation = await em.findOneOrFail(Organisation, { id: organisationId });
  const { defaults } = limits;
  return {
    requestsPerMinute: setting(organisation.rateLimitPerMinute, defaults.requestsPerMinute),
    windowSeconds: Math.round(defaults.windowMs / 1000),
    monthlyQuota: setting(organisation.monthlyQuota, defaults.monthlyQuota),
    logBodies: { value: organisation.logBodies, source: organisation.logBodies ? LimitSource.ORGANISATION : LimitSource.DEFAULT },
  };
}

@Resolver()
export class LimitsResolver {
  @DatabaseCost(QUERY_COST)
  @Query(() => Limits, { description: 'The limits in force for the caller’s organisation: rate limit, monthly quota and request-log bodies. Any key of the organisation.' })
  limits(@Ctx() { em, services, principal }: GraphQLContext): Promise<Limits> {
    return limitsOf(em, services.limits, principal.organisationId);
  }

  @DatabaseCost(2 * QUERY_COST)
  @Mutation(() => Limits, {
    description:
      'Set the organisation’s own limits (fields left out stay; null resets to the default) and answer the limits now in force. This instance applies them at once, every other within 5 seconds. Prod admin keys only.',
  })
  async setLimits(
    @Arg('input', () => SetLimitsInput, { description: 'The limits to change.' }) input: SetLimitsInput,
    @Ctx() { em, services, principal }: GraphQLContext,
  ): Promise<Limits> {
    requireProductionAdmin(principal, 'setLimits');
    const organisation = await em.findOneOrFail(Organisation, { id: principal.organisationId });
    if (input.requestsPerMinute !== undefined) organisation.rateLimitPerMinute = input.requestsPerMinute;
    if (input.monthlyQuota !== undefined) organisation.monthlyQuota = input.monthlyQuota;
    if (input.logBodies !== undefined) organisation.logBodies = input.logBodies ?? false;
    await em.flush();
    services.limits.forget(principal.organisationId);
    return limitsOf(em, services.limits, principal.organisationId);
  }
}
