/** GraphQL `apiRequests`: the tenant's request log, newest first, for admin keys only. */
import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';

import { AppError } from '../errors/app-error';
import { toConnection } from '../graphql/connection';
import type { GraphQLContext } from '../graphql/context';
import { keysetCursor } from '../graphql/keyset';
import { KeysetPageArgs } from '../graphql/keyset-page.args';
import { pageRequest } from '../graphql/page-args';
import { DatabaseCost, LIST_COST } from '../graphql/query-cost';
import { ApiKeyRole } from '../tenancy/api-key-role';
import { searchApiRequests } from './api-request-filter';
import type { ApiRequest } from './api-request.entity';
import { ApiRequestFilter, ApiRequestsPayload, apiRequestView } from './api-request.types';

@Resolver()
export class ApiRequestResolver {
  @DatabaseCost(LIST_COST)
  @Query(() => ApiRequestsPayload, {
    description:
      'The request log of the key’s organisation and environment, newest first: every authenticated /v1 request with its route, status, latency, call id, request id, error code and validation issues, numbers and variable values masked; bodies when the organisation keeps them. Admin keys only.',
  })
  async apiRequests(
    @Arg('filter', () => ApiRequestFilter, { nullable: true, description: 'Which entries: by status, route, call id, time window.' }) filter: ApiRequestFilter | null,
    @Args(() => KeysetPageArgs) page: KeysetPageArgs,
    @Ctx() { em, tenant, principal }: GraphQLContext,
  ): Promise<ApiRequestsPayload> {
    if (principal.role !== ApiKeyRole.ADMIN) throw AppError.forbidden('apiRequests needs an admin API key');
    const request = pageRequest(page);
    const { edges, pageInfo, totalCount } = toConnection(await searchApiRequests(em, tenant, filter ?? {}, request), request, (row: ApiRequest) =>
      keysetCursor(row.at, row.id),
    );
    return { items: edges.map((edge) => apiRequestView(edge.node)), pageInfo, totalCount };
  }
}
