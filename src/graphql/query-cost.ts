/**
 * What a field costs the database, declared on its resolver with `@DatabaseCost(...)` and read by the
 * query limits (query-limits.ts) and the operation deadline (operation-guards.ts). Reading a value that
 * its parent already loaded costs 1 (counted by the limits themselves); a database query costs more.
 */
import type { GraphQLField } from 'graphql';
import { Extensions } from 'type-graphql';

/** One query that reads a handful of rows through an index: a lookup, a page, a batch of a DataLoader. */
export const QUERY_COST = 10;

/** One count: it reads every matching row, so it is the dearest query a client can ask for. */
export const COUNT_COST = 50;

/**
 * A root connection: the count behind `totalCount` (always run), the page itself, and the one-row look
 * behind the cursor a page starts from (for `hasPreviousPage` forward, `hasNextPage` backward).
 */
export const LIST_COST = COUNT_COST + 2 * QUERY_COST;

const EXTENSION = 'databaseCost';

/**
 * Declares the database work of a field's resolver, paid once per occurrence of the field in an operation.
 * A field nested under a list must load through a DataLoader (one query for all its parents) for that to hold.
 */
export function DatabaseCost(cost: number): MethodDecorator & PropertyDecorator {
  return Extensions({ [EXTENSION]: cost });
}

/**
 * A field's declared database cost. A root field that declares none still counts as one query, so a new
 * query or mutation is never free; any other undeclared field reads its parent and costs nothing here.
 */
export function databaseCostOf(field: GraphQLField<unknown, unknown> | undefined, isRoot: boolean): number {
  const declared = field?.extensions[EXTENSION];
  if (typeof declared === 'number') return declared;
  return isRoot ? QUERY_COST : 0;
}
