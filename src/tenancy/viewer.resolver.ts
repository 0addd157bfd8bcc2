import { Ctx, Query, Resolver } from 'type-graphql';

import type { GraphQLContext } from '../graphql/context';
import { DatabaseCost, QUERY_COST } from '../graphql/query-cost';
import { Organisation } from './organisation.entity';
import { Viewer } from './viewer.type';

/** `viewer`: lets a client check which organisation and environment its key works in. */
@Resolver(() => Viewer)
export class ViewerResolver {
  @DatabaseCost(QUERY_COST)
  @Query(() => Viewer, { description: 'The organisation and environment of the API key used for this request.' })
  async viewer(@Ctx() { em, principal }: GraphQLContext): Promise<Viewer> {
    const organisation = await em.findOneOrFail(Organisation, { id: principal.organisationId });
    return { organisation, environment: principal.environment };
  }
}
