/** Intents in plain SQL, for the call hot path (see db/sql.ts). */

import type { Sql } from '../db/sql';
import { newRowId } from '../shared/row-id';
import type { Tenant } from '../tenancy/environment';
import { tenantParams, tenantWhere } from '../tenancy/tenant-sql';
import type { IntentStatus } from './intent-status';

/** An intent row as the domain and GraphQL see it (the Intent entity's fields). */
export interface IntentRecord {
  id: string;
  customer: { id: string };
  name: string;
  status: IntentStatus;
  attemptCount: number;
  lastCallId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

interface IntentRow {
  id: string;
  customer_id: string;
  name: string;
  status: IntentStatus;
  attempt_count: number;
  last_call_id: string | null;
  created_at: unknown;
  updated_at: unknown;
}

const COLUMNS = 'id, customer_id, name, status, attempt_count, last_call_id, created_at, updated_at';

function toIntent(sql: Sql, row: IntentRow): IntentRecord {
  return {
    id: row.id,
    customer: { id: row.customer_id },
    name: row.name,
    status: row.status,
    attemptCount: Number(row.attempt_count),
    lastCallId: row.last_call_id,
    createdAt: sql.dialect.toDate(row.created_at),
    updatedAt: sql.dialect.toDate(row.updated_at),
  };
}

/**
 * Most recently updated first; ties by id. Intents are sorted with this in memory rather than by SQL
 * ORDER BY: with one, SQLite's planner picks the tenant-wide (updated_at) index and scans every intent
 * of the tenant, where without one it seeks the customer's rows.
 */
export function newestFirst(a: Pick<IntentRecord, 'updatedAt' | 'id'>, b: Pick<IntentRecord, 'updatedAt' | 'id'>): number {
  return b.updatedAt.getTime() - a.updatedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Every intent of a customer, most recently updated first. */
export async function intentsOf(sql: Sql, tenant: Tenant, customerId: string): Promise<IntentRecord[]> {
  const rows = await sql.all<IntentRow>(`select ${COLUMNS} from intents where ${tenantWhere()} and customer_id = ?`, [...tenantParams(tenant), customerId]);
  return rows.map((row) => toIntent(sql, row)).sort(newestFirst);
}

/** A customer's intent by (normalised) name. */
export async function intentNamed(sql: Sql, tenant: Tenant, customerId: string, name: string): Promise<IntentRecord | null> {
  const row = await sql.one<IntentRow>(`select ${COLUMNS} from intents where ${tenantWhere()} and customer_id = ? and name = ?`, [
    ...tenantParams(tenant),
    customerId,
    name,
  ]);
  return row ? toIntent(sql, row) : null;
}

/** Inserts a new intent (`id` empty) or writes back an existing one's status, count, call and time. */
export async function saveIntent(sql: Sql, tenant: Tenant, intent: Omit<IntentRecord, 'id'> & { id?: string }): Promise<IntentRecord> {
  const { dialect } = sql;
  if (intent.id) {
    await sql.run('update intents set status = ?, attempt_count = ?, last_call_id = ?, updated_at = ? where id = ?', [
      intent.status,
      intent.attemptCount,
      intent.lastCallId,
      dialect.date(intent.updatedAt),
      intent.id,
    ]);
    return intent as IntentRecord;
  }
  const created = { ...intent, id: newRowId() };
  await sql.run(
    `insert into intents (id, organisation_id, environment, ${COLUMNS.slice(4)}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      created.id,
      ...tenantParams(tenant),
      created.customer.id,
      created.name,
      created.status,
      created.attemptCount,
      created.lastCallId,
      dialect.date(created.createdAt),
      dialect.date(created.updatedAt),
    ],
  );
  return created;
}
