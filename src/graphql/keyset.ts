/**
 * Keyset pagination over (timestamp desc, id desc), newest first: the cursor of a row, the conditions
 * for the rows between two cursors, and one page of an entity's list fetched with them.
 */
import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/core';

import type { ListResult, Page } from '../customers/customer-filter';
import { AppError } from '../errors/app-error';
import { isCanonicalUuid } from '../shared/row-id';
import { isStorableMs } from '../shared/storable-date';
import { type CursorArgument, decodeCursor } from './cursor';

/** Cursor values for a row ordered by `at` then `id`, newest first. */
export function keysetCursor(at: Date, id: string): (string | number)[] {
  return [at.getTime(), id];
}

/** A position in the list: the sort key of a row. */
export interface KeysetPosition {
  at: Date;
  id: string;
}

/**
 * The position a keyset cursor names. Only what `keysetCursor` makes is accepted: whole milliseconds of a
 * storable instant and a row id (a lower-case UUID: PostgreSQL would refuse anything else in a uuid
 * comparison). Anything else (`[0,"id"]`, a timestamp of 8.64e15) is a BAD_USER_INPUT on
 * its argument (`after` or `before`), never a database error.
 */
export function keysetPosition(cursor: string, argument: CursorArgument = 'after'): KeysetPosition {
  const [ms, id] = decodeCursor(cursor, 2, argument);
  if (typeof ms !== 'number' || !isStorableMs(ms) || typeof id !== 'string' || !isCanonicalUuid(id)) {
    throw AppError.validation([{ path: [argument], message: 'Invalid cursor' }]);
  }
  return { at: new Date(ms), id };
}

/** Which side of a position, in list order (newest first), and whether the position itself is in. */
export type Side = 'later' | 'earlier';

const OPERATORS = {
  later: { strict: '$lt', inclusive: '$lte' },
  earlier: { strict: '$gt', inclusive: '$gte' },
} as const;

/**
 * The rows after (`later` in list order: older) or before (`earlier`: newer) a position, the position's
 * own row excluded unless `inclusive`.
 */
export function beyond(field: string, position: KeysetPosition, side: Side, inclusive = false): Record<string, unknown> {
  const operator = OPERATORS[side];
  const onTie = inclusive ? operator.inclusive : operator.strict;
  return { $or: [{ [field]: { [operator.strict]: position.at } }, { [field]: position.at, id: { [onTie]: position.id } }] };
}

/** The cursor a page starts from (`after` forward, `before` backward) and which way lies behind it. */
export function startingCursor(page: Page): { position: KeysetPosition; behind: Side } | undefined {
  if (page.backward) return page.before ? { position: keysetPosition(page.before, 'before'), behind: 'later' } : undefined;
  return page.after ? { position: keysetPosition(page.after, 'after'), behind: 'earlier' } : undefined;
}

/** How to fetch a page: the rows between the cursors, in the paging direction, one more than the page. */
export function keysetWindow(field: string, page: Page): { where: Record<string, unknown>; orderBy: Record<string, 'asc' | 'desc'>; limit: number } {
  const conditions: Record<string, unknown>[] = [];
  if (page.after) conditions.push(beyond(field, keysetPosition(page.after, 'after'), 'later'));
  if (page.before) conditions.push(beyond(field, keysetPosition(page.before, 'before'), 'earlier'));
  const direction = page.backward ? 'asc' : 'desc';
  return { where: { $and: conditions }, orderBy: { [field]: direction, id: direction }, limit: page.size + 1 };
}

/**
 * One page of an entity's list ordered by `field` then id, newest first: the count of `where`, the page,
 * and (when the page starts from a cursor) whether any row lies behind that cursor, its own row included,
 * read as at most one row.
 */
export async function keysetPage<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  field: string,
  page: Page,
): Promise<ListResult<T>> {
  const window = keysetWindow(field, page);
  const start = startingCursor(page);
  // The conditions are built from field names, which MikroORM's generic filter types cannot follow.
  const totalCount = await em.count(entity, where as never);
  const rows = await em.find(entity, { $and: [where, window.where] } as never, { orderBy: window.orderBy as never, limit: window.limit });
  let behindCursor = false;
  if (start) {
    const behind = { $and: [where, beyond(field, start.position, start.behind, true)] } as never;
    behindCursor = (await em.find(entity, behind, { fields: ['id'] as never, limit: 1, disableIdentityMap: true })).length > 0;
  }
  return { rows, totalCount, behindCursor };
}
