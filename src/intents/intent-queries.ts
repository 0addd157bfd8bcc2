/** Listing intents across customers, filtered by name, status and customer. */
import type { EntityManager, FilterQuery } from '@mikro-orm/core';

import type { ListResult, Page } from '../customers/customer-filter';
import { keysetCursor, keysetPage } from '../graphql/keyset';
import { normaliseIntentName } from './intent-name';
import type { IntentStatus } from './intent-status';
import { Intent } from './intent.entity';

/** Which intents to list. */
export interface IntentFilter {
  name?: string | null;
  status?: IntentStatus | null;
  customerId?: string;
}

/** The keyset cursor of an intent in list order (most recently updated first). */
export function intentCursor(intent: Pick<Intent, 'updatedAt' | 'id'>): (string | number)[] {
  return keysetCursor(intent.updatedAt, intent.id);
}

/** Intents matching the filter, most recently updated first, keyset-paginated. */
export function listIntents(em: EntityManager, filter: IntentFilter, page: Page): Promise<ListResult<Intent>> {
  const where: FilterQuery<Intent>[] = [];
  if (filter.name) where.push({ name: normaliseIntentName(filter.name) });
  if (filter.status) where.push({ status: filter.status });
  if (filter.customerId) where.push({ customer: filter.customerId });
  return keysetPage(em, Intent, { $and: where }, 'updatedAt', page);
}
