/**
 * Loads `Node` objects by global id through the request's tenant-bound EntityManager, so another
 * organisation's or environment's row is simply not found: its id answers null, like an id that names
 * nothing. A customer merged into another is no longer a node of its own (its ref still resolves through
 * `customer(ref:)`), so its id answers null too.
 */
import type { EntityManager, FilterQuery } from '@mikro-orm/core';

import { Call } from '../calls/call.entity';
import { Customer } from '../customers/customer.entity';
import { Intent } from '../intents/intent.entity';
import { fromGlobalId, type NodeTypeName } from './global-id';

/** An object that implements `Node`. */
export type NodeObject = Customer | Call | Intent;

type NodeEntity = typeof Customer | typeof Call | typeof Intent;

const ENTITIES: Record<NodeTypeName, NodeEntity> = { Customer, Call, Intent };

/** What else a row must satisfy to be a node. */
const STILL_A_NODE: Partial<Record<NodeTypeName, object>> = { Customer: { mergedIntoId: null } };

/** The objects the ids name, in order, null where the caller can see none; one query per type asked for. */
export async function findNodes(em: EntityManager, ids: readonly string[]): Promise<(NodeObject | null)[]> {
  const parsed = ids.map(fromGlobalId);
  const wanted = new Map<NodeTypeName, Set<string>>();
  for (const id of parsed) if (id) wanted.set(id.type, (wanted.get(id.type) ?? new Set()).add(id.rowId));
  const found = new Map<string, NodeObject>();
  for (const [type, rowIds] of wanted) {
    const where = { id: { $in: [...rowIds] }, ...STILL_A_NODE[type] } as FilterQuery<NodeObject>;
    const rows = (await em.find(ENTITIES[type] as typeof Customer, where as FilterQuery<Customer>)) as NodeObject[];
    for (const row of rows) found.set(`${type}:${row.id}`, row);
  }
  return parsed.map((id) => (id ? (found.get(`${id.type}:${id.rowId}`) ?? null) : null));
}
