/**
 * Rows written by hand for the metrics: customers, calls and intents with exactly the fields a test (or
 * a bulk seed) chooses, inserted many to a statement. Used by the metrics tests on hand-built data and by
 * the 1M-call seed (metrics-seed.ts).
 */
import type { Sql } from '../../src/db/sql';
import type { IntentStatus } from '../../src/intents/intent-status';
import { newRowId } from '../../src/shared/row-id';
import type { Tenant } from '../../src/tenancy/environment';

/** A call as the metrics see it; everything else gets a plain default. */
export interface CallSpec {
  customerId: string;
  startedAt: Date;
  /** Null: still in progress. Default: not ended. */
  endedAt?: Date | null;
  recommendation?: 'reuse' | 'confirm' | 'ignore';
  intent?: string | null;
  intentStatus?: IntentStatus | null;
  csat?: number | null;
  /** Recorded by an end alone (no start request): start = end and no start fingerprint. */
  standalone?: boolean;
  /** The customer's previous call start as the call stored it; by default the start of the customer's call added before. */
  previousCallAt?: Date | null;
  callId?: string;
}

/** An intent row. */
export interface IntentSpec {
  customerId: string;
  name: string;
  status: IntentStatus;
  attemptCount: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Each table's columns with their PostgreSQL types (for the unnest form of a bulk insert). */
const COLUMNS: Record<string, [string, string][]> = {
  customers: [
    ['id', 'uuid'], ['organisation_id', 'uuid'], ['environment', 'text'], ['ref', 'uuid'], ['provisional', 'boolean'], ['last_call_at', 'timestamptz'],
    ['call_count', 'int'], ['merged_into_id', 'uuid'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
  ],
  calls: [
    ['id', 'uuid'], ['organisation_id', 'uuid'], ['environment', 'text'], ['call_id', 'text'], ['customer_id', 'uuid'], ['started_at', 'timestamptz'],
    ['ended_at', 'timestamptz'], ['duration_seconds', 'int'], ['line_type', 'text'], ['confidence', 'float8'], ['level', 'text'],
    ['recommendation', 'text'], ['sources', 'jsonb'], ['intent', 'text'], ['intent_status', 'text'], ['variables_written', 'jsonb'],
    ['start_fingerprint', 'text'], ['end_fingerprint', 'text'], ['csat', 'float8'], ['previous_call_at', 'timestamptz'],
  ],
  intents: [
    ['id', 'uuid'], ['organisation_id', 'uuid'], ['environment', 'text'], ['customer_id', 'uuid'], ['name', 'text'], ['status', 'text'],
    ['attempt_count', 'int'], ['last_call_id', 'text'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
  ],
};

// SQLite: well under its 32,766 parameters per statement. PostgreSQL: one array parameter per column.
const MAX_PARAMS = 16_000;
const MAX_UNNEST_ROWS = 5_000;
let callNumber = 0;

/** Buffers rows of one tenant and inserts them in multi-row statements on `flush()` (or when a buffer fills). */
export class MetricRows {
  private readonly buffers = new Map<string, unknown[][]>();
  /** Each customer's latest call start so far (what a call start finds in customers.last_call_at). */
  private readonly lastStart = new Map<string, Date>();
  /** Rows inserted so far. */
  inserted = 0;

  constructor(
    private readonly sql: Sql,
    private readonly tenant: Tenant,
  ) {}

  /** A new customer created at `at` (with one call then, unless told otherwise); returns its id. */
  async customer(at: Date, id = newRowId(), activity: { lastCallAt: Date; callCount: number } = { lastCallAt: at, callCount: 1 }): Promise<string> {
    const d = this.sql.dialect;
    await this.add('customers', [
      id, this.tenant.organisationId, this.tenant.environment, newRowId(), d.bool(false), d.date(activity.lastCallAt), activity.callCount, null,
      d.date(at), d.date(activity.lastCallAt),
    ]);
    return id;
  }

  /** A call with the spec's fields; add each customer's calls in start order, as calls arrive. */
  async call(spec: CallSpec): Promise<void> {
    const d = this.sql.dialect;
    const last = this.lastStart.get(spec.customerId);
    if (last && last > spec.startedAt) throw new Error(`add the calls of customer ${spec.customerId} in start order`);
    this.lastStart.set(spec.customerId, spec.startedAt);
    const previous = spec.previousCallAt === undefined ? (last ?? null) : spec.previousCallAt;
    const ended = spec.standalone ? spec.startedAt : (spec.endedAt ?? null);
    const seconds = ended ? Math.round((ended.getTime() - spec.startedAt.getTime()) / 1000) : null;
    await this.add('calls', [
      newRowId(), this.tenant.organisationId, this.tenant.environment, spec.callId ?? `metric-call-${++callNumber}`, spec.customerId,
      d.date(spec.startedAt), ended ? d.date(ended) : null, seconds, 'unknown', 0.5, 'medium', spec.recommendation ?? 'reuse', d.json([]),
      spec.intent ?? null, spec.intentStatus ?? null, d.json([]), spec.standalone ? null : 'seeded', ended ? 'seeded' : null, spec.csat ?? null,
      previous ? d.date(previous) : null,
    ]);
  }

  /** An intent row. */
  async intent(spec: IntentSpec): Promise<void> {
    const d = this.sql.dialect;
    await this.add('intents', [
      newRowId(), this.tenant.organisationId, this.tenant.environment, spec.customerId, spec.name, spec.status, spec.attemptCount, null,
      d.date(spec.createdAt), d.date(spec.updatedAt),
    ]);
  }

  /** Inserts everything buffered, customers first (calls and intents refer to them). */
  async flush(): Promise<void> {
    for (const table of ['customers', 'calls', 'intents']) await this.flushTable(table);
  }

  private async add(table: string, row: unknown[]): Promise<void> {
    let rows = this.buffers.get(table);
    if (!rows) this.buffers.set(table, (rows = []));
    rows.push(row);
    const full = this.sql.dialect.name === 'postgresql' ? rows.length >= MAX_UNNEST_ROWS : (rows.length + 1) * row.length > MAX_PARAMS;
    if (full) {
      // Referenced customers go first.
      if (table !== 'customers') await this.flushTable('customers');
      await this.flushTable(table);
    }
  }

  private async flushTable(table: string): Promise<void> {
    const rows = this.buffers.get(table);
    if (!rows || rows.length === 0) return;
    const columns = COLUMNS[table]!;
    const names = columns.map(([name]) => name).join(', ');
    if (this.sql.dialect.name === 'postgresql') {
      // One array per column, unnested into rows: far fewer parameters to bind than a VALUES list.
      const arrays = columns.map((_, c) => rows.map((row) => row[c]));
      await this.sql.run(`insert into ${table} (${names}) select * from unnest(${columns.map(([, type]) => `cast(? as ${type}[])`).join(', ')})`, arrays);
    } else {
      const placeholders = `(${columns.map(() => '?').join(', ')})`;
      await this.sql.run(`insert into ${table} (${names}) values ${rows.map(() => placeholders).join(', ')}`, rows.flat());
    }
    this.inserted += rows.length;
    this.buffers.set(table, []);
  }
}
