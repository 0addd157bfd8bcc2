/** Customers in plain SQL, for the call hot path (see db/sql.ts). */
import { randomUUID } from 'node:crypto';

import type { Sql } from '../db/sql';
import { refKey } from '../identity/identity-hints';
import { StaleCustomer } from '../shared/retry';
import { newRowId } from '../shared/row-id';
import type { Environment, Tenant } from '../tenancy/environment';
import { tenantParams, tenantWhere } from '../tenancy/tenant-sql';
import { followMerges } from './merged';

/** A customer row as the domain and GraphQL see it (the Customer entity's fields). */
export interface CustomerRecord {
  id: string;
  organisationId: string;
  environment: Environment;
  ref: string;
  provisional: boolean;
  lastCallAt: Date | null;
  callCount: number;
  mergedIntoId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The customers columns, on alias `cu`, for joins. */
export const CUSTOMER_COLUMNS =
  'cu.id, cu.organisation_id, cu.environment, cu.ref, cu.provisional, cu.last_call_at, cu.call_count, cu.merged_into_id, cu.created_at, cu.updated_at';

/** A customers row as selected with CUSTOMER_COLUMNS. */
export interface CustomerRow {
  id: string;
  organisation_id: string;
  environment: Environment;
  ref: string;
  provisional: boolean | number;
  last_call_at: unknown;
  call_count: number;
  merged_into_id: string | null;
  created_at: unknown;
  updated_at: unknown;
}

/** A customers row (selected with CUSTOMER_COLUMNS) as a record. */
export function toCustomer(sql: Sql, row: CustomerRow): CustomerRecord {
  const { dialect } = sql;
  return {
    id: row.id,
    organisationId: row.organisation_id,
    environment: row.environment,
    ref: row.ref,
    provisional: Boolean(row.provisional),
    lastCallAt: row.last_call_at == null ? null : dialect.toDate(row.last_call_at),
    callCount: Number(row.call_count),
    mergedIntoId: row.merged_into_id,
    createdAt: dialect.toDate(row.created_at),
    updatedAt: dialect.toDate(row.updated_at),
  };
}

/** The customer with this id; `forUpdate` row-locks it on PostgreSQL (SQLite writes are serial anyway). */
export async function customerById(sql: Sql, tenant: Tenant, id: string, forUpdate = false): Promise<CustomerRecord | null> {
  const lock = forUpdate && sql.dialect.name === 'postgresql' ? ' for update' : '';
  const row = await sql.one<CustomerRow>(`select ${CUSTOMER_COLUMNS} from customers cu where ${tenantWhere('cu')} and cu.id = ?${lock}`, [
    ...tenantParams(tenant),
    id,
  ]);
  return row ? toCustomer(sql, row) : null;
}

/**
 * The customer with this id, row-locked on PostgreSQL and re-read. Whatever changes what a customer
 * holds (its call count, intents, variables and their budget, a merge) takes this lock first, so those
 * changes run in turn for one customer. Throws StaleCustomer when the customer was merged away or
 * deleted since the caller resolved it: its transaction runs again and finds the survivor.
 */
export async function lockCustomer(sql: Sql, tenant: Tenant, id: string): Promise<CustomerRecord> {
  const customer = await customerById(sql, tenant, id, true);
  if (!customer || customer.mergedIntoId) throw new StaleCustomer(id);
  return customer;
}

/**
 * Locks several customers as `lockCustomer` does one (PostgreSQL only: SQLite writes are serial), in one
 * statement and in id order, so two transactions locking the same customers cannot deadlock.
 */
export async function lockCustomers(sql: Sql, tenant: Tenant, ids: string[]): Promise<void> {
  if (sql.dialect.name !== 'postgresql') return;
  const unique = [...new Set(ids)];
  const rows = await sql.all<{ id: string; merged_into_id: string | null }>(
    `select id, merged_into_id from customers where ${tenantWhere()} and id in (${unique.map(() => '?').join(', ')}) order by id for update`,
    [...tenantParams(tenant), ...unique],
  );
  const stale = unique.find((id) => !rows.some((row) => row.id === id && !row.merged_into_id));
  if (stale) throw new StaleCustomer(stale);
}

/** The customer a ref names (see `refKey`), following merges to the surviving customer. */
export async function customerByRef(sql: Sql, tenant: Tenant, ref: string | undefined): Promise<CustomerRecord | null> {
  const key = refKey(ref);
  if (key === null) return null;
  const row = await sql.one<CustomerRow>(`select ${CUSTOMER_COLUMNS} from customers cu where ${tenantWhere('cu')} and cu.ref = ?`, [
    ...tenantParams(tenant),
    key,
  ]);
  return followMerges(row ? toCustomer(sql, row) : null, (id) => customerById(sql, tenant, id));
}

/** The customer a call creates: its first call counted, provisional unless the call taught us who it is. */
export function newCustomer(tenant: Tenant, now: Date, provisional: boolean): CustomerRecord {
  return { id: newRowId(), ...tenant, ref: randomUUID(), provisional, lastCallAt: now, callCount: 1, mergedIntoId: null, createdAt: now, updatedAt: now };
}

/** Inserts a customer made by `newCustomer`. */
export async function insertCustomer(sql: Sql, customer: CustomerRecord): Promise<void> {
  const { dialect } = sql;
  await sql.run(
    'insert into customers (id, organisation_id, environment, ref, provisional, last_call_at, call_count, merged_into_id, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, null, ?, ?)',
    [
      customer.id,
      ...tenantParams(customer),
      customer.ref,
      dialect.bool(customer.provisional),
      dialect.date(customer.createdAt),
      customer.callCount,
      dialect.date(customer.createdAt),
      dialect.date(customer.updatedAt),
    ],
  );
}

/** Writes back what a call changes on a customer: its call count, last call, provisional flag and update time. */
export async function saveCustomerActivity(sql: Sql, customer: CustomerRecord): Promise<void> {
  const { dialect } = sql;
  await sql.run('update customers set call_count = ?, last_call_at = ?, provisional = ?, updated_at = ? where id = ?', [
    customer.callCount,
    customer.lastCallAt ? dialect.date(customer.lastCallAt) : null,
    dialect.bool(customer.provisional),
    dialect.date(customer.updatedAt),
    customer.id,
  ]);
}
