/**
 * The outcome metrics' queries (docs/metrics.md), on both engines. Every query reads one tenant's rows in
 * one time range through an index that starts with the tenant and the time: calls (organisation_id,
 * environment, started_at, …) and intents (organisation_id, environment, updated_at, …), whose further
 * columns carry what is counted, so no table row is read. Local days arrive as
 * instants computed in TypeScript (local-days.ts) and are joined as a VALUES list, so the database needs
 * no time-zone rules of its own. Rows are counted in the database; none are loaded into the process.
 */
import type { Sql } from '../db/sql';
import type { Tenant } from '../tenancy/environment';
import { tenantParams } from '../tenancy/tenant-sql';
import type { Range } from './report-chunks';

/** One local day's call figures, as the per-day query returns them. */
export interface DayRow {
  calls: number;
  recognised: number;
  toConfirm: number;
  unrecognised: number;
  /** Calls with an end after their start, and the sum of their handle times. */
  handled: number;
  handleMs: number;
  csatResponses: number;
  csatSum: number;
}

/** Instants as parameters: epoch milliseconds on SQLite, timestamptz on PostgreSQL (typed, for VALUES). */
function instant(sql: Sql): string {
  return sql.dialect.name === 'postgresql' ? 'cast(? as timestamptz)' : '?';
}

/** Milliseconds from `earlier` to `later`. */
function millisBetween(sql: Sql, later: string, earlier: string): string {
  return sql.dialect.name === 'postgresql' ? `(extract(epoch from (${later} - ${earlier})) * 1000)` : `(${later} - ${earlier})`;
}

/** A count or sum as a number (PostgreSQL returns bigint and numeric as text; a sum over nothing is null). */
const num = (value: unknown): number => (value == null ? 0 : Number(value));

const countWhen = (condition: string) => `coalesce(sum(case when ${condition} then 1 else 0 end), 0)`;

// A call recorded by an end alone has start = end: no handle time.
const HANDLED = 'c.ended_at > c.started_at';

/**
 * Calls per local day: recognition, handle time and CSAT, one row per day in order. Each day is one
 * aggregate over its range of the metrics index (no sort, no table read), returned as a JSON array.
 */
export async function callsPerDay(sql: Sql, tenant: Tenant, bounds: Date[]): Promise<DayRow[]> {
  const at = instant(sql);
  const values = bounds.slice(1).map((_, i) => `(${i}, ${at}, ${at})`);
  const params = bounds.slice(1).flatMap((hi, i) => [sql.dialect.date(bounds[i]!), sql.dialect.date(hi)]);
  const jsonArray = sql.dialect.name === 'postgresql' ? 'json_build_array' : 'json_array';
  const rows = await sql.all<{ figures: unknown }>(
    `with days (i, lo, hi) as (values ${values.join(', ')})
     select (
       select ${jsonArray}(
         count(*),
         ${countWhen("c.recommendation = 'reuse'")},
         ${countWhen("c.recommendation = 'confirm'")},
         ${countWhen("c.recommendation = 'ignore'")},
         ${countWhen(HANDLED)},
         sum(case when ${HANDLED} then ${millisBetween(sql, 'c.ended_at', 'c.started_at')} end),
         count(c.csat),
         sum(c.csat))
       from calls c
       where c.organisation_id = ? and c.environment = ? and c.started_at >= d.lo and c.started_at < d.hi
     ) as figures
     from days d
     order by d.i`,
    [...params, ...tenantParams(tenant)],
  );
  return rows.map((row) => {
    const [calls, recognised, toConfirm, unrecognised, handled, handleMs, csatResponses, csatSum] = sql.dialect.fromJson<unknown[]>(row.figures).map(num);
    return { calls: calls!, recognised: recognised!, toConfirm: toConfirm!, unrecognised: unrecognised!, handled: handled!, handleMs: handleMs!, csatResponses: csatResponses!, csatSum: csatSum! };
  });
}

/**
 * Of the calls that started in the period [from, to), how many were followed by the same customer's next
 * call within the transfer window, and how many later but within the repeat window. Each call stores its
 * customer's previous call start, so this reads the calls that came next, from the metrics index alone:
 * those that started in `started` (a piece of [from, to + repeat window), report-chunks.ts; a next call
 * later than that is no repeat) and whose previous call started in the period.
 */
export async function repeatCounts(
  sql: Sql,
  tenant: Tenant,
  started: Range,
  period: Range,
  transferMs: number,
  repeatMs: number,
): Promise<{ transfers: number; repeated: number }> {
  const gap = millisBetween(sql, 'started_at', 'previous_call_at');
  const { date } = sql.dialect;
  const row = await sql.one<Record<string, unknown>>(
    `select ${countWhen(`${gap} <= ?`)} as transfers,
       ${countWhen(`${gap} > ? and ${gap} <= ?`)} as repeated
     from calls
     where organisation_id = ? and environment = ? and started_at >= ? and started_at < ? and previous_call_at >= ? and previous_call_at < ?`,
    [transferMs, transferMs, repeatMs, ...tenantParams(tenant), date(started[0]), date(started[1]), date(period[0]), date(period[1])],
  );
  return { transfers: num(row?.transfers), repeated: num(row?.repeated) };
}

/**
 * Intents last changed in [from, to), by status now, and those resolved on first contact: one attempt, and
 * resolved within the transfer window of being raised (by the call that raised it, or by a transfer leg of
 * the same contact). Resolving keeps the attempt count, so an intent raised open on one call and resolved on
 * a later one also has one attempt: the time between its creation and its last change tells them apart.
 */
export async function intentCounts(
  sql: Sql,
  tenant: Tenant,
  from: Date,
  to: Date,
  transferMs: number,
): Promise<{ resolved: number; resolvedFirstAttempt: number; open: number; abandoned: number }> {
  const raisedToResolved = millisBetween(sql, 'updated_at', 'created_at');
  const row = await sql.one<Record<string, unknown>>(
    `select ${countWhen("status = 'resolved'")} as resolved,
       ${countWhen(`status = 'resolved' and attempt_count = 1 and ${raisedToResolved} <= ?`)} as resolved_first,
       ${countWhen("status = 'open'")} as open,
       ${countWhen("status = 'abandoned'")} as abandoned
     from intents
     where organisation_id = ? and environment = ? and updated_at >= ? and updated_at < ?`,
    [transferMs, ...tenantParams(tenant), sql.dialect.date(from), sql.dialect.date(to)],
  );
  return {
    resolved: num(row?.resolved),
    resolvedFirstAttempt: num(row?.resolved_first),
    open: num(row?.open),
    abandoned: num(row?.abandoned),
  };
}

/** How intents are ranked: calls started in the range that reported them, or attempts of the rows changed in it. */
export type IntentMeasure = 'calls' | 'attempts';

const MEASURES: Record<IntentMeasure, { table: string; name: string; value: string; time: string; extra: string }> = {
  calls: { table: 'calls', name: 'intent', value: 'count(*)', time: 'started_at', extra: 'and intent is not null' },
  attempts: { table: 'intents', name: 'name', value: 'sum(attempt_count)', time: 'updated_at', extra: '' },
};

/**
 * Every intent name with its measure in [from, to). All of them, not the largest few: the top lists are
 * ranked once the totals of a whole period are added up (top-intents.ts), since a name that is in no
 * piece's top ten can still be in the period's.
 */
export async function intentTotals(sql: Sql, tenant: Tenant, measure: IntentMeasure, from: Date, to: Date): Promise<Map<string, number>> {
  const m = MEASURES[measure];
  const rows = await sql.all<{ name: string; total: unknown }>(
    `select ${m.name} as name, ${m.value} as total
     from ${m.table}
     where organisation_id = ? and environment = ? and ${m.time} >= ? and ${m.time} < ? ${m.extra}
     group by ${m.name}`,
    [...tenantParams(tenant), sql.dialect.date(from), sql.dialect.date(to)],
  );
  return new Map(rows.map((row) => [row.name, num(row.total)]));
}
