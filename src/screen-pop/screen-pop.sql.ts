/**
 * The screen pop's reads, in plain SQL (db/sql.ts). Each is one indexed lookup: a call by primary key, a
 * customer's calls through the (customer_id, started_at) index, identities by customer. None writes.
 */
import type { Sql } from '../db/sql';
import type { IntentStatus } from '../intents/intent-status';
import type { LineTypeName } from '../identity/line-type';
import type { StartSnapshot } from '../calls/call.entity';
import type { Tenant } from '../tenancy/environment';
import { tenantParams, tenantWhere } from '../tenancy/tenant-sql';

/** The call a link names, with what its start answered. */
export interface PageCall {
  id: string;
  callId: string;
  customerId: string;
  startedAt: Date;
  endedAt: Date | null;
  durationSeconds: number | null;
  ani: string | null;
  lineType: LineTypeName;
  confidence: number;
  level: string;
  recommendation: string;
  sources: string[];
  startSnapshot: StartSnapshot | null;
}

/** One of the customer's other calls, as the history table shows it. */
export interface HistoryCall {
  callId: string;
  startedAt: Date;
  endedAt: Date | null;
  durationSeconds: number | null;
  intent: string | null;
  intentStatus: IntentStatus | null;
  variablesWritten: string[];
}

/** The customer's calls up to this one: how many, the latest, and how many came from the same number. */
export interface EarlierCalls {
  count: number;
  lastAt: Date | null;
  sameNumber: number;
}

/** An external id's key and when it was attached and last matched. */
export interface ExternalKey {
  key: string;
  createdAt: Date;
  lastSeenAt: Date;
}

/** The organisation's time zone (IANA name), or null for an organisation that no longer exists. */
export async function organisationTimeZone(sql: Sql, organisationId: string): Promise<string | null> {
  const row = await sql.one<{ time_zone: string }>('select time_zone from organisations where id = ?', [organisationId]);
  return row?.time_zone ?? null;
}

/** The tenant's call with this row id. */
export async function pageCall(sql: Sql, tenant: Tenant, rowId: string): Promise<PageCall | null> {
  const row = await sql.one<Record<string, unknown>>(
    `select id, call_id, customer_id, started_at, ended_at, duration_seconds, ani, line_type, confidence, level, recommendation, sources, start_snapshot
     from calls where ${tenantWhere()} and id = ?`,
    [...tenantParams(tenant), rowId],
  );
  if (!row) return null;
  const { dialect } = sql;
  return {
    id: row.id as string,
    callId: row.call_id as string,
    customerId: row.customer_id as string,
    startedAt: dialect.toDate(row.started_at),
    endedAt: row.ended_at == null ? null : dialect.toDate(row.ended_at),
    durationSeconds: row.duration_seconds == null ? null : Number(row.duration_seconds),
    ani: (row.ani as string | null) ?? null,
    lineType: row.line_type as LineTypeName,
    confidence: Number(row.confidence),
    level: row.level as string,
    recommendation: row.recommendation as string,
    sources: dialect.fromJson<string[]>(row.sources),
    startSnapshot: row.start_snapshot == null ? null : dialect.fromJson<StartSnapshot>(row.start_snapshot),
  };
}

const EARLIER = 'customer_id = ? and started_at <= ? and id <> ?';

/**
 * `calls`, read through the (customer_id, started_at) index. Without statistics SQLite's planner prefers
 * the tenant-wide (organisation_id, environment, started_at) index for a count or a filtered scan, as it
 * matches more equality columns, and would walk every call of the tenant (measured: scripts/bench-screen-pop.ts).
 * PostgreSQL's planner picks the customer's index on its own.
 */
function customerCalls(sql: Sql): string {
  return sql.dialect.name === 'sqlite' ? 'calls indexed by calls_customer_id_started_at_index' : 'calls';
}

function earlierParams(sql: Sql, tenant: Tenant, call: PageCall): unknown[] {
  return [...tenantParams(tenant), call.customerId, sql.dialect.date(call.startedAt), call.id];
}

/** The customer's `limit` latest calls before this one (or at the same moment), newest first. */
export async function callsBefore(sql: Sql, tenant: Tenant, call: PageCall, limit: number): Promise<HistoryCall[]> {
  const rows = await sql.all<Record<string, unknown>>(
    `select call_id, started_at, ended_at, duration_seconds, intent, intent_status, variables_written
     from ${customerCalls(sql)} where ${tenantWhere()} and ${EARLIER} order by started_at desc, id desc limit ${Math.trunc(limit)}`,
    earlierParams(sql, tenant, call),
  );
  const { dialect } = sql;
  return rows.map((row) => ({
    callId: row.call_id as string,
    startedAt: dialect.toDate(row.started_at),
    endedAt: row.ended_at == null ? null : dialect.toDate(row.ended_at),
    durationSeconds: row.duration_seconds == null ? null : Number(row.duration_seconds),
    intent: (row.intent as string | null) ?? null,
    intentStatus: (row.intent_status as IntentStatus | null) ?? null,
    variablesWritten: dialect.fromJson<string[]>(row.variables_written),
  }));
}

/** Counts the customer's calls before this one, and those from this call's number. */
export async function earlierCalls(sql: Sql, tenant: Tenant, call: PageCall): Promise<EarlierCalls> {
  const row = await sql.one<{ n: unknown; last_at: unknown; same_number: unknown }>(
    `select count(*) as n, max(started_at) as last_at, sum(case when ani = ? then 1 else 0 end) as same_number
     from ${customerCalls(sql)} where ${tenantWhere()} and ${EARLIER}`,
    [call.ani, ...earlierParams(sql, tenant, call)],
  );
  return {
    count: Number(row?.n ?? 0),
    lastAt: row?.last_at == null ? null : sql.dialect.toDate(row.last_at),
    sameNumber: Number(row?.same_number ?? 0),
  };
}

/** The customer's external ids' keys (never their values). */
export async function externalKeys(sql: Sql, tenant: Tenant, customerId: string): Promise<ExternalKey[]> {
  const rows = await sql.all<{ key: string; created_at: unknown; last_seen_at: unknown }>(
    `select "key", created_at, last_seen_at from external_identities where ${tenantWhere()} and customer_id = ?`,
    [...tenantParams(tenant), customerId],
  );
  return rows.map((row) => ({ key: row.key, createdAt: sql.dialect.toDate(row.created_at), lastSeenAt: sql.dialect.toDate(row.last_seen_at) }));
}

/**
 * When the `attempts`-th latest report of an intent was made: the end of the customer's `attempts`-th
 * latest call that reported it, which is the first attempt of its current run when every report came
 * from a call. Null when there were fewer such calls.
 */
export async function nthLatestReport(sql: Sql, tenant: Tenant, customerId: string, intent: string, attempts: number): Promise<Date | null> {
  const row = await sql.one<{ started_at: unknown; ended_at: unknown }>(
    `select started_at, ended_at from ${customerCalls(sql)} where ${tenantWhere()} and customer_id = ? and intent = ?
     order by started_at desc, id desc limit 1 offset ${Math.max(0, Math.trunc(attempts) - 1)}`,
    [...tenantParams(tenant), customerId, intent],
  );
  if (!row) return null;
  return sql.dialect.toDate(row.ended_at ?? row.started_at);
}
