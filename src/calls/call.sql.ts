/** Calls in plain SQL, for the call hot path (see db/sql.ts). */

import type { Sql } from '../db/sql';
import type { LineTypeName } from '../identity/line-type';
import type { IntentStatus } from '../intents/intent-status';
import { newRowId } from '../shared/row-id';
import type { Environment, Tenant } from '../tenancy/environment';
import { tenantParams, tenantWhere } from '../tenancy/tenant-sql';
import type { StartSnapshot } from './call.entity';

/** A call row as the domain and GraphQL see it (the Call entity's fields). */
export interface CallRecord {
  id: string;
  organisationId: string;
  environment: Environment;
  callId: string;
  customer: { id: string };
  startedAt: Date;
  endedAt: Date | null;
  durationSeconds: number | null;
  aniRaw: string | null;
  ani: string | null;
  dnis: string | null;
  lineType: LineTypeName;
  confidence: number;
  level: string;
  recommendation: string;
  sources: string[];
  intent: string | null;
  intentStatus: IntentStatus | null;
  variablesWritten: string[];
  startFingerprint: string | null;
  endFingerprint: string | null;
  startSnapshot: StartSnapshot | null;
  intentsUpdated: number | null;
  variablesUpdated: number | null;
  /** The customer's previous call start when this one started (the repeat-call metric, docs/metrics.md). */
  previousCallAt?: Date | null;
  /** The CSAT score its end recorded. */
  csat?: number | null;
}

/** A new call: everything but the row id and tenant, which `insertCall` adds. */
export type NewCall = Omit<CallRecord, 'id' | 'organisationId' | 'environment'>;

interface CallRow {
  id: string;
  organisation_id: string;
  environment: Environment;
  call_id: string;
  customer_id: string;
  started_at: unknown;
  ended_at: unknown;
  duration_seconds: number | null;
  ani_raw: string | null;
  ani: string | null;
  dnis: string | null;
  line_type: LineTypeName;
  confidence: number;
  level: string;
  recommendation: string;
  sources: unknown;
  intent: string | null;
  intent_status: IntentStatus | null;
  variables_written: unknown;
  start_fingerprint: string | null;
  end_fingerprint: string | null;
  start_snapshot: unknown;
  intents_updated: number | null;
  variables_updated: number | null;
  previous_call_at: unknown;
  csat: number | null;
}

const COLUMNS =
  'id, organisation_id, environment, call_id, customer_id, started_at, ended_at, duration_seconds, ani_raw, ani, dnis, line_type, confidence, level, recommendation, sources, intent, intent_status, variables_written, start_fingerprint, end_fingerprint, start_snapshot, intents_updated, variables_updated, previous_call_at, csat';

function toCall(sql: Sql, row: CallRow): CallRecord {
  const { dialect } = sql;
  return {
    id: row.id,
    organisationId: row.organisation_id,
    environment: row.environment,
    callId: row.call_id,
    customer: { id: row.customer_id },
    startedAt: dialect.toDate(row.started_at),
    endedAt: row.ended_at == null ? null : dialect.toDate(row.ended_at),
    durationSeconds: row.duration_seconds,
    aniRaw: row.ani_raw,
    ani: row.ani,
    dnis: row.dnis,
    lineType: row.line_type,
    confidence: Number(row.confidence),
    level: row.level,
    recommendation: row.recommendation,
    sources: dialect.fromJson<string[]>(row.sources),
    intent: row.intent,
    intentStatus: row.intent_status,
    variablesWritten: dialect.fromJson<string[]>(row.variables_written),
    startFingerprint: row.start_fingerprint,
    endFingerprint: row.end_fingerprint,
    startSnapshot: row.start_snapshot == null ? null : dialect.fromJson<StartSnapshot>(row.start_snapshot),
    intentsUpdated: row.intents_updated,
    variablesUpdated: row.variables_updated,
    previousCallAt: row.previous_call_at == null ? null : dialect.toDate(row.previous_call_at),
    csat: row.csat == null ? null : Number(row.csat),
  };
}

/** The tenant's call with this platform call id. */
export async function callById(sql: Sql, tenant: Tenant, callId: string): Promise<CallRecord | null> {
  const row = await sql.one<CallRow>(`select ${COLUMNS} from calls where ${tenantWhere()} and call_id = ?`, [...tenantParams(tenant), callId]);
  return row ? toCall(sql, row) : null;
}

/** Inserts a call; the unique index on call_id refuses a second one (the caller retries and replays). */
export async function insertCall(sql: Sql, tenant: Tenant, call: NewCall): Promise<CallRecord> {
  const record: CallRecord = { id: newRowId(), ...tenant, ...call };
  const { dialect } = sql;
  await sql.run(`insert into calls (${COLUMNS}) values (${COLUMNS.split(',').map(() => '?').join(', ')})`, [
    record.id,
    ...tenantParams(tenant),
    record.callId,
    record.customer.id,
    dialect.date(record.startedAt),
    record.endedAt ? dialect.date(record.endedAt) : null,
    record.durationSeconds,
    record.aniRaw,
    record.ani,
    record.dnis,
    record.lineType,
    record.confidence,
    record.level,
    record.recommendation,
    dialect.json(record.sources),
    record.intent,
    record.intentStatus,
    dialect.json(record.variablesWritten),
    record.startFingerprint,
    record.endFingerprint,
    record.startSnapshot ? dialect.json(record.startSnapshot) : null,
    record.intentsUpdated,
    record.variablesUpdated,
    record.previousCallAt ? dialect.date(record.previousCallAt) : null,
    record.csat ?? null,
  ]);
  return record;
}

/**
 * Marks a started call ended, unless it already is: of two concurrent ends only one changes the row (on
 * PostgreSQL the second waits for the first to commit, then sees it ended). True when this one did.
 */
export async function claimEnd(sql: Sql, id: string, now: Date): Promise<boolean> {
  return (await sql.run('update calls set ended_at = ? where id = ? and ended_at is null', [sql.dialect.date(now), id])) === 1;
}

/** Writes what an end recorded onto its call. */
export async function saveCallOutcome(sql: Sql, call: CallRecord): Promise<void> {
  const { dialect } = sql;
  await sql.run(
    'update calls set ended_at = ?, duration_seconds = ?, intent = ?, intent_status = ?, variables_written = ?, end_fingerprint = ?, intents_updated = ?, variables_updated = ?, csat = ? where id = ?',
    [
      call.endedAt ? dialect.date(call.endedAt) : null,
      call.durationSeconds,
      call.intent,
      call.intentStatus,
      dialect.json(call.variablesWritten),
      call.endFingerprint,
      call.intentsUpdated,
      call.variablesUpdated,
      call.csat ?? null,
      call.id,
    ],
  );
}
