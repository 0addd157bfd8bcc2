/** Everything held about one customer, read in plain SQL for an export (GET /v1/customers/{ref}, exportCustomer). */
import type { StartSnapshot } from '../calls/call.entity';
import type { CustomerRecord } from '../customers/customer.sql';
import type { Sql } from '../db/sql';
import type { Tenant } from '../tenancy/environment';
import { tenantParams, tenantWhere } from '../tenancy/tenant-sql';

/** A number the customer called from. */
export interface ExportedPhone {
  number: string;
  lineType: string;
  firstSeenAt: string;
  lastSeenAt: string;
}

/** An external id of the customer. */
export interface ExportedExternalId {
  key: string;
  value: string;
  firstSeenAt: string;
  lastSeenAt: string;
}

/** A call of the customer and its outcome. */
export interface ExportedCall {
  callId: string;
  startedAt: string;
  endedAt: string | null;
  durationSeconds: number | null;
  ani: string | null;
  aniAsSent: string | null;
  dnis: string | null;
  lineType: string;
  confidence: number;
  level: string;
  recommendation: string;
  sources: string[];
  intent: string | null;
  intentStatus: string | null;
  variablesWritten: string[];
  csat: number | null;
  /** What the call's start answered (intents, variables, history), as stored for replays; null once REPLAY_WINDOW_HOURS have passed. */
  startSnapshot: StartSnapshot | null;
}

/** An intent of the customer, any status. */
export interface ExportedIntent {
  name: string;
  status: string;
  attemptCount: number;
  lastCallId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A variable of the customer, expired ones not yet purged included. */
export interface ExportedVariable {
  name: string;
  value: string;
  source: string | null;
  ttlSeconds: number;
  expiresAt: string;
  lastCallId: string | null;
  updatedAt: string;
}

/** The whole export: camelCase here and in GraphQL; the REST shim answers it in snake_case. */
export interface CustomerExport {
  customer: { ref: string; provisional: boolean; callCount: number; lastCallAt: string | null; createdAt: string; updatedAt: string };
  /** Refs of customers merged into this one: they resolve to it. */
  mergedRefs: string[];
  phones: ExportedPhone[];
  externalIds: ExportedExternalId[];
  calls: ExportedCall[];
  intents: ExportedIntent[];
  variables: ExportedVariable[];
  exportedAt: string;
}

type Row = Record<string, unknown>;

/** Reads the export of a customer and of the customers merged into it (`ids`: all of them). */
export async function readExport(sql: Sql, tenant: Tenant, customer: CustomerRecord, mergedRefs: string[], ids: string[], now: Date): Promise<CustomerExport> {
  const { dialect } = sql;
  const iso = (value: unknown) => dialect.toDate(value).toISOString();
  const isoOrNull = (value: unknown) => (value == null ? null : iso(value));
  const where = `${tenantWhere()} and customer_id in (${ids.map(() => '?').join(', ')})`;
  const params = [...tenantParams(tenant), ...ids];
  const read = (columns: string, table: string, order: string) => sql.all<Row>(`select ${columns} from ${table} where ${where} order by ${order}`, params);

  const phones = await read('e164, line_type, created_at, last_seen_at', 'phone_identities', 'created_at, id');
  const externals = await read('"key", "value", created_at, last_seen_at', 'external_identities', 'created_at, id');
  const calls = await read(
    'call_id, started_at, ended_at, duration_seconds, ani, ani_raw, dnis, line_type, confidence, level, recommendation, sources, intent, intent_status, variables_written, csat, start_snapshot',
    'calls',
    'started_at desc, id desc',
  );
  const intents = await read('name, status, attempt_count, last_call_id, created_at, updated_at', 'intents', 'updated_at desc, id desc');
  const variables = await read('name, "value", source, ttl_seconds, expires_at, last_call_id, updated_at', 'variables', 'name');
  return {
    customer: {
      ref: customer.ref,
      provisional: customer.provisional,
      callCount: customer.callCount,
      lastCallAt: customer.lastCallAt ? customer.lastCallAt.toISOString() : null,
      createdAt: customer.createdAt.toISOString(),
      updatedAt: customer.updatedAt.toISOString(),
    },
    mergedRefs,
    phones: phones.map((p) => ({ number: String(p.e164), lineType: String(p.line_type), firstSeenAt: iso(p.created_at), lastSeenAt: iso(p.last_seen_at) })),
    externalIds: externals.map((e) => ({ key: String(e.key), value: String(e.value), firstSeenAt: iso(e.created_at), lastSeenAt: iso(e.last_seen_at) })),
    calls: calls.map((c) => ({
      callId: String(c.call_id),
      startedAt: iso(c.started_at),
      endedAt: isoOrNull(c.ended_at),
      durationSeconds: c.duration_seconds == null ? null : Number(c.duration_seconds),
      ani: (c.ani as string | null) ?? null,
      aniAsSent: (c.ani_raw as string | null) ?? null,
      dnis: (c.dnis as string | null) ?? null,
      lineType: String(c.line_type),
      confidence: Number(c.confidence),
      level: String(c.level),
      recommendation: String(c.recommendation),
      sources: dialect.fromJson<string[]>(c.sources),
      intent: (c.intent as string | null) ?? null,
      intentStatus: (c.intent_status as string | null) ?? null,
      variablesWritten: dialect.fromJson<string[]>(c.variables_written),
      csat: c.csat == null ? null : Number(c.csat),
      startSnapshot: c.start_snapshot == null ? null : dialect.fromJson<StartSnapshot>(c.start_snapshot),
    })),
    intents: intents.map((i) => ({
      name: String(i.name),
      status: String(i.status),
      attemptCount: Number(i.attempt_count),
      lastCallId: (i.last_call_id as string | null) ?? null,
      createdAt: iso(i.created_at),
      updatedAt: iso(i.updated_at),
    })),
    variables: variables.map((v) => ({
      name: String(v.name),
      value: String(v.value),
      source: (v.source as string | null) ?? null,
      ttlSeconds: Number(v.ttl_seconds),
      expiresAt: iso(v.expires_at),
      lastCallId: (v.last_call_id as string | null) ?? null,
      updatedAt: iso(v.updated_at),
    })),
    exportedAt: now.toISOString(),
  };
}
