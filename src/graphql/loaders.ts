/**
 * Per-request DataLoaders: nested fields of a list (identities, variables, intents, calls of each customer;
 * the customer of each call) load in one query per field, however many parents there are.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
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
import { keysetPosition } from './keyset';

/** Groups rows by their customer's id, in the order of the requested ids. */
function byCustomer<T extends { customer: { id: string } }>(ids: readonly string[], rows: T[]): T[][] {
  const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const row of rows) groups.get(row.customer.id)?.push(row);
  return ids.map((id) => groups.get(id) ?? []);
}

/** Plain SQL through the EntityManager, so the operation's budget (its AbortSignal) applies to it too. */
function execute(em: EntityManager, sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  return (em as SqlEntityManager).execute(sql, params);
}

/** Key of a nested calls page: whose calls, and which page. */
export interface CallsKey {
  customerId: string;
  first: number;
  after?: string | null;
}

/** Key of a nested intents list: whose intents, and which status (all when absent). */
export interface IntentsKey {
  customerId: string;
  status?: IntentStatus | null;
}

/**
 * Loads one page of calls for many customers in one query (window functions, both engines). Plain SQL
 * bypasses the tenant filter; it is safe because the customer ids were loaded through the filter.
 */
async function callsPages(em: EntityManager, keys: readonly CallsKey[]): Promise<ListResult<Call>[]> {
  const { first, after } = keys[0];
  const ids = keys.map((k) => k.customerId);
  const params: unknown[] = [...ids];
  let cursor = '';
  if (after) {
    const position = keysetPosition(after);
    const at = em.getPlatform().processDateProperty(position.at);
    cursor = 'where (t.started_at < ? or (t.started_at = ? and t.id < ?))';
    params.push(at, at, position.id);
  }
  params.push(first + 1);
  const sql = `select * from (
      select t.*, row_number() over (partition by t.customer_id order by t.started_at desc, t.id desc) as page_row
      from (select c.*, count(*) over (partition by c.customer_id) as total_count
            from calls c where c.customer_id in (${ids.map(() => '?').join(', ')})) t
      ${cursor}
    ) p where p.page_row <= ? order by p.customer_id, p.page_row`;
  const rows = await execute(em, sql, params);
  const totals = new Map<string, number>();
  const calls = rows.map((row) => {
    totals.set(String(row.customer_id), Number(row.total_count));
    const { page_row: _row, total_count: _total, ...columns } = row;
    return em.map(Call, columns);
  });
  // A page past a customer's last call has no row to carry its total; count those customers apart.
  const uncounted = after ? ids.filter((id) => !totals.has(id)) : [];
  if (uncounted.length > 0) {
    const counts = await execute(
      em,
      `select customer_id, count(*) as total_count from calls where customer_id in (${uncounted.map(() => '?').join(', ')}) group by customer_id`,
      uncounted,
    );
    for (const row of counts) totals.set(String(row.customer_id), Number(row.total_count));
  }
  return byCustomer(ids, calls).map((page, i) => ({ rows: page, totalCount: totals.get(ids[i]) ?? 0 }));
}

/** Batches keys that share page arguments, so each distinct (first, after) is one query. */
async function groupedCalls(em: EntityManager, keys: readonly CallsKey[]): Promise<ListResult<Call>[]> {
  const groups = new Map<string, CallsKey[]>();
  for (const key of keys) {
    const group = `${key.first}:${key.after ?? ''}`;
    groups.set(group, [...(groups.get(group) ?? []), key]);
  }
  const results = new Map<CallsKey, ListResult<Call>>();
  for (const group of groups.values()) {
    const pages = await callsPages(em, group);
    group.forEach((key, i) => results.set(key, pages[i]));
  }
  return keys.map((key) => results.get(key) as ListResult<Call>);
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
    calls: new DataLoader<CallsKey, ListResult<Call>, string>((keys) => groupedCalls(em, keys), {
      cacheKeyFn: (k) => `${k.customerId}:${k.first}:${k.after ?? ''}`,
    }),
  };
}

/** The loaders type, for the GraphQL context. */
export type Loaders = ReturnType<typeof createLoaders>;

