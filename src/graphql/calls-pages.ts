/**
 * The nested `Customer.calls` pages of many customers in one query (window functions, both engines), for
 * the request's calls loader (loaders.ts): the same pages, counts and "behind the cursor" answers as the
 * root `calls` list (keyset.ts), forward or backward. Plain SQL bypasses the tenant filter; it is safe
 * because the customer ids were loaded through the filter.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';

import { Call } from '../calls/call.entity';
import type { ListResult, Page } from '../customers/customer-filter';
import { keysetPosition, type KeysetPosition, type Side, startingCursor } from './keyset';

/** Key of a nested calls page: whose calls, and which page. */
export interface CallsKey extends Page {
  customerId: string;
}

/** The loader's cache key: equal keys ask for the same page. */
export function callsKeyId(key: CallsKey): string {
  return `${key.customerId}:${pageId(key)}`;
}

function pageId(page: Page): string {
  return `${page.size}:${page.backward ? 'last' : 'first'}:${page.after ?? ''}:${page.before ?? ''}`;
}

/** Plain SQL through the EntityManager, so the operation's budget (its AbortSignal) applies to it too. */
function execute(em: EntityManager, sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  return (em as SqlEntityManager).execute(sql, params);
}

/** SQL for the calls `side` of a position (list order, newest first), like keyset.ts `beyond`. */
function beyondSql(em: EntityManager, alias: string, position: KeysetPosition, side: Side, inclusive = false): { sql: string; params: unknown[] } {
  const at = em.getPlatform().processDateProperty(position.at);
  const strict = side === 'later' ? '<' : '>';
  const onTie = inclusive ? `${strict}=` : strict;
  return { sql: `(${alias}.started_at ${strict} ? or (${alias}.started_at = ? and ${alias}.id ${onTie} ?))`, params: [at, at, position.id] };
}

/** Loads one page of calls for many customers that ask for the same page, in one query. */
async function callsPages(em: EntityManager, page: Page, ids: string[]): Promise<ListResult<Call>[]> {
  const range: { sql: string; params: unknown[] }[] = [];
  if (page.after) range.push(beyondSql(em, 't', keysetPosition(page.after, 'after'), 'later'));
  if (page.before) range.push(beyondSql(em, 't', keysetPosition(page.before, 'before'), 'earlier'));
  const start = startingCursor(page);
  const behind = start ? beyondSql(em, 'c', start.position, start.behind, true) : { sql: 'false', params: [] };
  const direction = page.backward ? 'asc' : 'desc';
  const marks = ids.map(() => '?').join(', ');
  const sql = `select * from (
      select t.*, row_number() over (partition by t.customer_id order by t.started_at ${direction}, t.id ${direction}) as page_row
      from (select c.*, count(*) over (partition by c.customer_id) as total_count,
                   count(case when ${behind.sql} then 1 end) over (partition by c.customer_id) as behind_count
            from calls c where c.customer_id in (${marks})) t
      ${range.length > 0 ? `where ${range.map((r) => r.sql).join(' and ')}` : ''}
    ) p where p.page_row <= ? order by p.customer_id, p.page_row`;
  const params = [...behind.params, ...ids, ...range.flatMap((r) => r.params), page.size + 1];
  const counts = new Map<string, { total: number; behind: number }>();
  const calls = (await execute(em, sql, params)).map((row) => {
    counts.set(String(row.customer_id), { total: Number(row.total_count), behind: Number(row.behind_count) });
    const { page_row: _row, total_count: _total, behind_count: _behind, ...columns } = row;
    return em.map(Call, columns);
  });
  // A customer whose page between the cursors is empty has no row to carry its counts; count those apart.
  // Without cursors an empty page (even of `first: 0`, which fetches one row) means no calls at all.
  const uncounted = range.length > 0 ? ids.filter((id) => !counts.has(id)) : [];
  if (uncounted.length > 0) {
    const rows = await execute(
      em,
      `select c.customer_id, count(*) as total_count, count(case when ${behind.sql} then 1 end) as behind_count
       from calls c where c.customer_id in (${uncounted.map(() => '?').join(', ')}) group by c.customer_id`,
      [...behind.params, ...uncounted],
    );
    for (const row of rows) counts.set(String(row.customer_id), { total: Number(row.total_count), behind: Number(row.behind_count) });
  }
  const byCustomer = new Map<string, Call[]>(ids.map((id) => [id, []]));
  for (const call of calls) byCustomer.get(call.customer.id)?.push(call);
  return ids.map((id) => ({ rows: byCustomer.get(id) ?? [], totalCount: counts.get(id)?.total ?? 0, behindCursor: (counts.get(id)?.behind ?? 0) > 0 }));
}

/** Batches keys that ask for the same page, so each distinct page is one query. */
export async function groupedCallsPages(em: EntityManager, keys: readonly CallsKey[]): Promise<ListResult<Call>[]> {
  const groups = new Map<string, CallsKey[]>();
  for (const key of keys) {
    const group = pageId(key);
    groups.set(group, [...(groups.get(group) ?? []), key]);
  }
  const results = new Map<CallsKey, ListResult<Call>>();
  for (const group of groups.values()) {
    const pages = await callsPages(em, group[0], group.map((key) => key.customerId));
    group.forEach((key, i) => results.set(key, pages[i]));
  }
  return keys.map((key) => results.get(key) as ListResult<Call>);
}
