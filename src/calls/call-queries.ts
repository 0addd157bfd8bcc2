/** Reading calls: lists filtered by customer, time window and intent. */
import type { EntityManager, FilterQuery } from '@mikro-orm/core';

import type { ListResult, Page } from '../customers/customer-filter';
import { keysetCursor, keysetPage } from '../graphql/keyset';
import { normaliseIntentName } from '../intents/intent-name';
import { Call } from './call.entity';

/** Which calls to list. */
export interface CallFilter {
  customerId?: string;
  startedAfter?: Date | null;
  startedBefore?: Date | null;
  intent?: string | null;
}

/** The keyset cursor of a call in list order (newest first). */
export function callCursor(call: Call): (string | number)[] {
  return keysetCursor(call.startedAt, call.id);
}

/** Calls matching the filter, newest first, keyset-paginated (fetches one more than the page to tell if more follow). */
export function listCalls(em: EntityManager, filter: CallFilter, page: Page): Promise<ListResult<Call>> {
  const where: FilterQuery<Call>[] = [];
  if (filter.customerId) where.push({ customer: filter.customerId });
  if (filter.startedAfter) where.push({ startedAt: { $gte: filter.startedAfter } });
  if (filter.startedBefore) where.push({ startedAt: { $lt: filter.startedBefore } });
  if (filter.intent) where.push({ intent: normaliseIntentName(filter.intent) });
  return keysetPage(em, Call, { $and: where }, 'startedAt', page);
}
