/**
 * Which request-log entries a search asks for (GraphQL `apiRequests`, the `logs` CLI): a status (exact,
 * `404`, or a class, `4xx`), a route pattern, a call id (masked as it was stored), a time window; and one
 * page of the tenant's entries, newest first.
 */
import type { EntityManager, FilterQuery } from '@mikro-orm/core';

import type { ListResult, Page } from '../customers/customer-filter';
import { AppError } from '../errors/app-error';
import { keysetPage } from '../graphql/keyset';
import { loggableCallId } from '../http/request-log';
import type { Tenant } from '../tenancy/environment';
import { ApiRequest } from './api-request.entity';

/** What a status filter may be: `200`, `404`, or a class `2xx`…`5xx`. */
export const STATUS_PATTERN = /^[1-5](\d\d|xx)$/i;

/** The message for a status filter that is neither. */
export const STATUS_RULE = 'status must be a status code (404) or a class (4xx)';

/** A search of the request log; every given condition must hold. */
export interface ApiRequestSearch {
  status?: string | null;
  route?: string | null;
  callId?: string | null;
  /** At or after. */
  from?: Date | null;
  /** Before. */
  to?: Date | null;
}

/** The statuses a status filter covers, inclusive. */
export function statusRange(status: string): { min: number; max: number } {
  if (!STATUS_PATTERN.test(status)) throw AppError.validation([{ path: ['status'], message: STATUS_RULE }]);
  if (/xx$/i.test(status)) {
    const min = Number(status[0]) * 100;
    return { min, max: min + 99 };
  }
  return { min: Number(status), max: Number(status) };
}

/** The conditions of a search within one tenant. */
export function searchConditions(tenant: Tenant, search: ApiRequestSearch = {}): FilterQuery<ApiRequest> {
  const where: Record<string, unknown> = { organisationId: tenant.organisationId, environment: tenant.environment };
  if (search.status) {
    const { min, max } = statusRange(search.status);
    where.status = min === max ? min : { $gte: min, $lte: max };
  }
  if (search.route) where.route = search.route;
  if (search.callId != null) where.callId = loggableCallId(search.callId) ?? search.callId;
  const at: Record<string, Date> = {};
  if (search.from) at.$gte = search.from;
  if (search.to) at.$lt = search.to;
  if (Object.keys(at).length > 0) where.at = at;
  return where as FilterQuery<ApiRequest>;
}

/** One page of the tenant's entries matching the search, newest first. */
export function searchApiRequests(em: EntityManager, tenant: Tenant, search: ApiRequestSearch, page: Page): Promise<ListResult<ApiRequest>> {
  return keysetPage(em, ApiRequest, searchConditions(tenant, search), 'at', page);
}
