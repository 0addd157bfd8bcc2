/**
 * Counting a start or an end (issue 13): the request's last writes, sent behind its own so that on
 * PostgreSQL they share the commit's round trip, and committed or rolled back with the call itself.
 *
 * - `usage_days`: the tenant's row for the UTC day, starts / ends / identified raised by the tally.
 * - `usage_months`: the organisation's counter for the UTC month (both environments), raised only while it
 *   is under the quota. That condition, checked on the row under its lock, is what makes the quota exact
 *   under concurrency: of N requests racing for the last k units, exactly k find the row under the quota.
 *
 * When the counter is at the quota already the request fails with QUOTA_EXCEEDED (402) and its whole
 * transaction rolls back. On SQLite the upsert returns no row and the unit throws before its savepoint is
 * released. On PostgreSQL the commit is already on its way behind the statement (db/pg-sql.ts), so the
 * statement must fail itself: it divides by the number of rows it raised (zero), and the commit then
 * only rolls back.
 */
import type { EntityManager } from '@mikro-orm/core';

import type { Sql } from '../db/sql';
import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';
import type { Tenant } from '../tenancy/environment';

/** What one successful request adds to its organisation's usage. */
export interface Tally {
  starts: number;
  ends: number;
  /** Starts that recognised a known caller (recommendation `reuse`, as the dashboard's "Recognised"). */
  identified: number;
}

/** A start counts one start, and one identified when it recognised the caller (recommendation `reuse`). */
export const startTally = (recommendation: string): Tally => ({ starts: 1, ends: 0, identified: recommendation === 'reuse' ? 1 : 0 });

/** An end counts one end (a standalone end, recorded without a start, too: it is one request). */
export const END_TALLY: Tally = { starts: 0, ends: 1, identified: 0 };

/** Where the monthly quota comes from (limits/organisation-limits.ts). */
export interface QuotaSource {
  of(em: EntityManager, organisationId: string): Promise<{ monthlyQuota: number }>;
}

/** The organisation's monthly quota (0: unlimited), read before the call's transaction (OrganisationLimits caches it). */
export async function monthlyQuota(source: QuotaSource | undefined, em: EntityManager, tenant: Tenant): Promise<number> {
  return source ? (await source.of(em, tenant.organisationId)).monthlyQuota : 0;
}

/** The UTC day of an instant, `YYYY-MM-DD`. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** The UTC month of an instant, `YYYY-MM`. */
export function utcMonth(now: Date): string {
  return now.toISOString().slice(0, 7);
}

/** The first day of the month after `month` (`YYYY-MM`), `YYYY-MM-DD`. */
function nextMonthStart(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, monthNumber, 1)).toISOString().slice(0, 10);
}

/** The 402 of a request that found its organisation's monthly quota used up. */
export function quotaExceeded(month: string, quota: number): AppError {
  return AppError.fromCode(
    ErrorCode.QuotaExceeded,
    `The monthly quota of ${quota} successful starts and ends is used up for ${month} (UTC); it renews on ${nextMonthStart(month)}`,
  );
}

const DAY = `insert into usage_days (organisation_id, environment, day, starts, ends, identified) values (?, ?, ?, ?, ?, ?)
  on conflict (organisation_id, environment, day) do update set starts = usage_days.starts + excluded.starts,
  ends = usage_days.ends + excluded.ends, identified = usage_days.identified + excluded.identified`;

const MONTH = `insert into usage_months (organisation_id, month, used) values (?, ?, 1)
  on conflict (organisation_id, month) do update set used = usage_months.used + 1`;

const MONTH_UNDER_QUOTA_SQLITE = `${MONTH} where usage_months.used < ? returning used`;

/** Fails (22012, division by zero) when the counter was at the quota: no row raised, so the commit behind it rolls back. */
const MONTH_UNDER_QUOTA_POSTGRESQL = `with raised as (${MONTH} where usage_months.used < ? returning used)
  select 1 / count(*) as admitted from raised`;

const DIVISION_BY_ZERO = '22012';

/**
 * Sends the day's and the month's upserts at once (no await before them) and settles once both are done;
 * rejects with QUOTA_EXCEEDED when `quota` (> 0) is used up for the month. `quota` 0: unlimited.
 */
export function countUsage(sql: Sql, tenant: Tenant, now: Date, tally: Tally, quota: number): Promise<void> {
  const month = utcMonth(now);
  const day = sql.run(DAY, [tenant.organisationId, tenant.environment, utcDay(now), tally.starts, tally.ends, tally.identified]);
  let raised: Promise<unknown>;
  if (quota <= 0) {
    raised = sql.run(MONTH, [tenant.organisationId, month]);
  } else if (sql.dialect.name === 'postgresql') {
    raised = sql.one(MONTH_UNDER_QUOTA_POSTGRESQL, [tenant.organisationId, month, quota]).catch((error: unknown) => {
      throw (error as { code?: string } | undefined)?.code === DIVISION_BY_ZERO ? quotaExceeded(month, quota) : error;
    });
  } else {
    raised = sql.one(MONTH_UNDER_QUOTA_SQLITE, [tenant.organisationId, month, quota]).then((row) => {
      if (!row) throw quotaExceeded(month, quota);
    });
  }
  return Promise.all([day, raised]).then(() => undefined);
}
