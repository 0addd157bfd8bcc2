/** Filters for listing customers, calls and intents (the GraphQL list queries), and the page of a list. */

/** Which customers to list. */
export interface CustomerFilter {
  ani?: string | null;
  externalId?: { key: string; value: string } | null;
  variable?: { name: string; value?: string | null } | null;
  openIntent?: string | null;
  lastCallAfter?: Date | null;
  lastCallBefore?: Date | null;
}

/**
 * A page of rows in fetch order (list order forward, reversed backward; up to size + 1, to tell whether
 * more follow), the count of all matches, and whether any match lies behind the cursor the page starts
 * from (before `after` paging forward, from `before` on paging backward).
 */
export interface ListResult<T> {
  rows: T[];
  totalCount: number;
  behindCursor: boolean;
}

/**
 * A page request: `size` rows of the list between the `after` and `before` cursors (each excluded), from
 * the start of that range, or from its end when `backward`.
 */
export interface Page {
  size: number;
  backward: boolean;
  after?: string | null;
  before?: string | null;
}
