/**
 * The GraphQL query limits' settings and defaults, apart from the rule (query-limits.ts) so that config.ts
 * can read them without loading graphql: src/main.ts reads the configuration before tracing patches graphql.
 */

/** How much one operation may ask for, and how long it may take. */
export interface QueryLimits {
  /** Most levels of nested fields. */
  maxDepth: number;
  /** Highest estimated cost (see query-limits.ts). */
  maxCost: number;
  /** Most fields at the root of an operation (each is a query or a write of its own). */
  maxRootFields: number;
  /** Most aliased fields in an operation. */
  maxAliases: number;
  /** How long a query operation may use the database before it is cut off (operation-budget.ts). */
  timeoutMs: number;
}

/** The limits used unless configured otherwise; no ordinary client (Apollo Client, Relay, urql) comes near them. */
export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 10, maxCost: 5000, maxRootFields: 20, maxAliases: 50, timeoutMs: 5000 };
