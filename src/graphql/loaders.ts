/**
 * Per-request DataLoaders: nested fields of a list (identities, variables, intents, calls of each customer;
 * the customer of each call) load in one query per field, however many parents there are.
 */
import type { EntityManager } from '@mikro-orm/core';
import DataLoader from 'dataloader';

import { Call } from '../calls/call.entity';
import { Customer } from '../customers/customer.entity';
import type { ListResult } from '../customers/customer-filter';
import { ExternalIdentity } from '../identity/external-identity.entity';
import { IdentityKind, type Identity } from '../identity/identity.type';
import { PhoneIdentity } from '../identity/phone-identity.entity';
import type { IntentStatus } from '../intents/intent-status';
import { Intent } from '../intents/intent.entity';
import { newestFirst } from '../intents/intent.sql';
import type { Services } from '../services';
import { Variable } from '../variables/variable.entity';
import { type CallsKey, callsKeyId, groupedCallsPages } from './calls-pages';

/** Groups rows by their customer's id, in the order of the requested ids. */
function byCustomer<T extends { customer: { id: string } }>(ids: readonly string[], rows: T[]): T[][] {
  const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const row of rows) groups.get(row.customer.id)?.push(row);
  return ids.map((id) => groups.get(id) ?? []);
}

/** Key of a nested intents list: whose intents, and which status (all when absent). */
export interface IntentsKey {
  customerId: string;
  status?: IntentStatus | null;
}

/** The loaders of one request. */
export function createLoaders(em: EntityManager, services: Services) {
  return {
    customer: new DataLoader<string, Customer | null>(async (ids) => {
      const rows = new Map((await em.find(Customer, { id: { $in: [...ids] } })).map((c) => [c.id, c]));
      return ids.map((id) => rows.get(id) ?? null);
    }),
    identities: new DataLoader<string, Identity[]>(async (ids) => {
      const phones = await em.find(PhoneIdentity, { customer: { $in: [...ids] } }, { orderBy: { lastSeenAt: 'desc' } });
      const externals = await em.find(ExternalIdentity, { customer: { $in: [...ids] } }, { orderBy: { key: 'asc' } });
      const asPhone = (p: PhoneIdentity) => ({ kind: IdentityKind.ANI, key: 'ani', value: p.e164, lineType: p.lineType, lastSeenAt: p.lastSeenAt, customer: p.customer });
      const asExternal = (e: ExternalIdentity) => ({ kind: IdentityKind.EXTERNAL_ID, key: e.key, value: e.value, lineType: null, lastSeenAt: e.lastSeenAt, customer: e.customer });
      return byCustomer(ids, [...phones.map(asPhone), ...externals.map(asExternal)]);
    }),
    variables: new DataLoader<string, Variable[]>(async (ids) =>
      byCustomer(ids, await em.find(Variable, { customer: { $in: [...ids] }, expiresAt: { $gt: services.clock.now() } }, { orderBy: { name: 'asc' } })),
    ),
    openIntents: new DataLoader<string, Intent[]>(async (ids) => {
      const now = services.clock.now();
      const rows = await em.find(Intent, { customer: { $in: [...ids] }, ...services.intents.openCondition(now) });
      return byCustomer(ids, rows.sort(newestFirst));
    }),
    intents: new DataLoader<IntentsKey, Intent[], string>(
      async (keys) => {
        const ids = keys.map((k) => k.customerId);
        const rows = (await em.find(Intent, { customer: { $in: ids } })).sort(newestFirst);
        return byCustomer(ids, rows).map((list, i) => list.filter((row) => !keys[i].status || row.status === keys[i].status));
      },
      { cacheKeyFn: (k) => `${k.customerId}:${k.status ?? ''}` },
    ),
    calls: new DataLoader<CallsKey, ListResult<Call>, string>((keys) => groupedCallsPages(em, keys), { cacheKeyFn: callsKeyId }),
  };
}

/** The loaders type, for the GraphQL context. */
export type Loaders = ReturnType<typeof createLoaders>;

/** Empties every loader of the request: after a write, what they hold may be older than the database. */
export function clearLoaders(loaders: Loaders): void {
  for (const loader of Object.values(loaders)) loader.clearAll();
}
