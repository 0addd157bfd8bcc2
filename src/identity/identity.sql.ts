/** Phone numbers and external ids in plain SQL, for the call hot path (see db/sql.ts). */
import { createHash } from 'node:crypto';

import { CUSTOMER_COLUMNS, toCustomer, type CustomerRecord, type CustomerRow } from '../customers/customer.sql';
import type { Sql } from '../db/sql';
import { newRowId } from '../shared/row-id';
import type { Tenant } from '../tenancy/environment';
import { tenantParams, tenantWhere } from '../tenancy/tenant-sql';
import type { LineTypeName } from './line-type';

/** A customer's row for a number, with its (unmerged) customer. */
export interface PhoneMatch {
  id: string;
  lineType: LineTypeName;
  customer: CustomerRecord;
}

/** A row for an external id, with its customer. */
export interface ExternalMatch {
  id: string;
  key: string;
  value: string;
  customer: CustomerRecord;
}

/** Every unmerged customer known by this number. */
export async function phonesByNumber(sql: Sql, tenant: Tenant, e164: string): Promise<PhoneMatch[]> {
  const rows = await sql.all<CustomerRow & { phone_id: string; phone_line_type: LineTypeName }>(
    `select p.id as phone_id, p.line_type as phone_line_type, ${CUSTOMER_COLUMNS} from phone_identities p join customers cu on cu.id = p.customer_id
     where ${tenantWhere('p')} and p.e164 = ? and cu.merged_into_id is null`,
    [...tenantParams(tenant), e164],
  );
  return rows.map((row) => ({ id: row.phone_id, lineType: row.phone_line_type, customer: toCustomer(sql, row) }));
}

/** The rows for these external ids (at most one each: they are unique per tenant), merged customers included. */
export async function externalsByPairs(sql: Sql, tenant: Tenant, ids: Record<string, string>): Promise<ExternalMatch[]> {
  const pairs = Object.entries(ids);
  if (pairs.length === 0) return [];
  const rows = await sql.all<CustomerRow & { identity_id: string; identity_key: string; identity_value: string }>(
    `select e.id as identity_id, e."key" as identity_key, e."value" as identity_value, ${CUSTOMER_COLUMNS}
     from external_identities e join customers cu on cu.id = e.customer_id
     where ${tenantWhere('e')} and (${pairs.map(() => '(e."key" = ? and e."value" = ?)').join(' or ')})`,
    [...tenantParams(tenant), ...pairs.flat()],
  );
  return rows.map((row) => ({ id: row.identity_id, key: row.identity_key, value: row.identity_value, customer: toCustomer(sql, row) }));
}

/** Records that a customer's number was seen again (and, when the platform said, its line type). */
export async function touchPhone(sql: Sql, id: string, now: Date, lineType: LineTypeName | undefined): Promise<void> {
  await sql.run('update phone_identities set last_seen_at = ?, line_type = coalesce(?, line_type) where id = ?', [
    sql.dialect.date(now),
    lineType ?? null,
    id,
  ]);
}

/** Attaches a number to a customer. */
export async function insertPhone(sql: Sql, tenant: Tenant, customerId: string, e164: string, lineType: LineTypeName, now: Date): Promise<void> {
  await sql.run(
    'insert into phone_identities (id, organisation_id, environment, customer_id, e164, line_type, created_at, last_seen_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
    [newRowId(), ...tenantParams(tenant), customerId, e164, lineType, sql.dialect.date(now), sql.dialect.date(now)],
  );
}

/** Records that an external id was seen again. */
export async function touchExternal(sql: Sql, id: string, now: Date): Promise<void> {
  await sql.run('update external_identities set last_seen_at = ? where id = ?', [sql.dialect.date(now), id]);
}

/** Attaches an external id to a customer (the unique index refuses one another customer already has). */
export async function insertExternal(sql: Sql, tenant: Tenant, customerId: string, key: string, value: string, now: Date): Promise<void> {
  await sql.run(
    'insert into external_identities (id, organisation_id, environment, customer_id, "key", "value", created_at, last_seen_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
    [newRowId(), ...tenantParams(tenant), customerId, key, value, sql.dialect.date(now), sql.dialect.date(now)],
  );
}

/** A 64-bit advisory-lock key for one identity of a tenant (a collision only makes two callers wait in turn). */
function lockKey(tenant: Tenant, identity: string): bigint {
  return createHash('sha256').update(`${tenant.organisationId}\0${tenant.environment}\0${identity}`).digest().readBigInt64BE(0);
}

/**
 * Takes PostgreSQL's transaction-scoped advisory lock on each identity (released at commit), across
 * connections and instances; a no-op on SQLite, whose writes are serial. In one statement, in key order,
 * so two transactions sharing several identities take them in the same order and cannot deadlock.
 */
export async function lockIdentities(sql: Sql, tenant: Tenant, identities: string[]): Promise<void> {
  if (sql.dialect.name !== 'postgresql' || identities.length === 0) return;
  const keys = [...new Set(identities.map((identity) => lockKey(tenant, identity)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // The select list is evaluated left to right, so the locks are taken in this order.
  await sql.one(`select ${keys.map(() => 'pg_advisory_xact_lock(?::bigint)').join(', ')}`, keys.map(String));
}
