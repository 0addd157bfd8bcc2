/** Variables in plain SQL: the call hot path and setVariables (see db/sql.ts). */

import type { Sql } from '../db/sql';
import type { Tenant } from '../tenancy/environment';
import { tenantParams, tenantWhere } from '../tenancy/tenant-sql';

/** A variable row as the domain and GraphQL see it (the Variable entity's fields). */
export interface VariableRecord {
  id: string;
  customer: { id: string };
  name: string;
  value: string;
  source: string | null;
  ttlSeconds: number;
  expiresAt: Date;
  lastCallId: string | null;
  updatedAt: Date;
}

interface VariableRow {
  id: string;
  customer_id: string;
  name: string;
  value: string;
  source: string | null;
  ttl_seconds: number;
  expires_at: unknown;
  last_call_id: string | null;
  updated_at: unknown;
}

const COLUMNS = 'id, customer_id, name, value, source, ttl_seconds, expires_at, last_call_id, updated_at';

function toVariable(sql: Sql, row: VariableRow): VariableRecord {
  return {
    id: row.id,
    customer: { id: row.customer_id },
    name: row.name,
    value: row.value,
    source: row.source,
    ttlSeconds: Number(row.ttl_seconds),
    expiresAt: sql.dialect.toDate(row.expires_at),
    lastCallId: row.last_call_id,
    updatedAt: sql.dialect.toDate(row.updated_at),
  };
}

/** A customer's variables, by name; only those unexpired at `now` when it is given. */
export async function variablesOf(sql: Sql, tenant: Tenant, customerId: string, now?: Date): Promise<VariableRecord[]> {
  const live = now ? ' and expires_at > ?' : '';
  const rows = await sql.all<VariableRow>(`select ${COLUMNS} from variables where ${tenantWhere()} and customer_id = ?${live} order by name asc`, [
    ...tenantParams(tenant),
    customerId,
    ...(now ? [sql.dialect.date(now)] : []),
  ]);
  return rows.map((row) => toVariable(sql, row));
}

/** Inserts a new variable (`isNew`) or overwrites an existing one's value, TTL, source and times. */
export async function saveVariable(sql: Sql, tenant: Tenant, variable: VariableRecord, isNew: boolean): Promise<void> {
  const { dialect } = sql;
  const fields = [variable.value, variable.source, variable.ttlSeconds, dialect.date(variable.expiresAt), variable.lastCallId, dialect.date(variable.updatedAt)];
  if (!isNew) {
    await sql.run('update variables set value = ?, source = ?, ttl_seconds = ?, expires_at = ?, last_call_id = ?, updated_at = ? where id = ?', [
      ...fields,
      variable.id,
    ]);
    return;
  }
  await sql.run(`insert into variables (id, organisation_id, environment, ${COLUMNS.slice(4)}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
    variable.id,
    ...tenantParams(tenant),
    variable.customer.id,
    variable.name,
    ...fields,
  ]);
}

/** Deletes a variable by id. */
export async function deleteVariable(sql: Sql, id: string): Promise<void> {
  await sql.run('delete from variables where id = ?', [id]);
}
