/** Filters for listing customers, calls and intents (the GraphQL list queries). */

/** Which customers to list. */
export interface CustomerFilter {
  ani?: string | null;
  externalId?: { key: string; value: string } | null;
  variable?: { name: string; value?: string | null } | null;
  openIntent?: string | null;
  lastCallAfter?: Date | null;
  lastCallBefore?: Date | null;
}

/** A page of rows (up to first + 1, to tell whether more follow) and the count of all matches. */
export interface ListResult<T> {
  rows: T[];
  totalCount: number;
}

/** A page request: at most `first` rows after the cursor. */
export interface Page {
  first: number;
  after?: string | null;
}
