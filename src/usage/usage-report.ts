/**
 * What an organisation used in one UTC month (issue 13): starts, ends and identified starts per environment
 * and per day (from `usage_days`), and the quota's counter (`usage_months`). Read by GraphQL `usage` and the
 * dashboard's usage panel. Counts only: no caller data, so any key of the organisation may read them.
 */
import type { EntityManager } from '@mikro-orm/core';

import { AppError } from '../errors/app-error';
import { Environment } from '../tenancy/environment';
import { utcDay, utcMonth } from './usage.sql';

/** Counts over some span. */
export interface UsageCounts {
  callsStarted: number;
  callsEnded: number;
  /** Starts that recognised a known caller (recommendation `reuse`). */
  identified: number;
  /** identified / callsStarted, 0–1 to four decimals; null without starts. */
  identifiedShare: number | null;
}

export interface UsageDayCounts extends UsageCounts {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
}

export interface UsageEnvironment extends UsageCounts {
  environment: Environment;
  /** Every day of the month up to today (UTC), days without traffic included. */
  days: UsageDayCounts[];
}

export interface UsageReport extends UsageCounts {
  /** `YYYY-MM` (UTC). */
  month: string;
  /** Successful starts and ends allowed in the month; null: unlimited. */
  quota: number | null;
  /** Starts and ends counted against the quota (both environments). */
  used: number;
  /** quota − used, never below 0; null: unlimited. */
  left: number | null;
  environments: UsageEnvironment[];
}

const MONTH_FORMAT = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The month asked for, or this UTC month when none; anything but `YYYY-MM` is a 400 on `path`. */
export function monthOrFail(month: string | null | undefined, now: Date, path: (string | number)[] = ['month']): string {
  if (month === null || month === undefined) return utcMonth(now);
  if (!MONTH_FORMAT.test(month)) throw AppError.validation([{ path, message: 'month must be a calendar month as YYYY-MM, e.g. 2026-02' }]);
  return month;
}

/** The days of `month` up to `today` (all of a past month, none of a future one). */
export function daysOf(month: string, today: string): string[] {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const length = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  const days = Array.from({ length }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
  return days.filter((day) => day <= today);
}

function counts(callsStarted: number, callsEnded: number, identified: number): UsageCounts {
  const identifiedShare = callsStarted === 0 ? null : Math.round((identified / callsStarted) * 10_000) / 10_000;
  return { callsStarted, callsEnded, identified, identifiedShare };
}

function sum(rows: UsageCounts[]): UsageCounts {
  const total = (pick: (r: UsageCounts) => number) => rows.reduce((n, r) => n + pick(r), 0);
  return counts(total((r) => r.callsStarted), total((r) => r.callsEnded), total((r) => r.identified));
}

interface DayRow {
  environment: Environment;
  day: string;
  starts: number | string;
  ends: number | string;
  identified: number | string;
}

/** The organisation's usage in `month`, with `quota` (0: unlimited) as in force now. */
export async function usageReport(em: EntityManager, organisationId: string, month: string, quota: number, now: Date): Promise<UsageReport> {
  const connection = em.getConnection();
  const [rows, monthRows] = (await Promise.all([
    connection.execute('select environment, day, starts, ends, identified from usage_days where organisation_id = ? and day like ?', [organisationId, `${month}-%`]),
    connection.execute('select used from usage_months where organisation_id = ? and month = ?', [organisationId, month]),
  ])) as [DayRow[], { used: number | string }[]];
  const byKey = new Map(rows.map((r) => [`${r.environment} ${r.day}`, counts(Number(r.starts), Number(r.ends), Number(r.identified))]));
  const days = daysOf(month, utcDay(now));
  const environments = [Environment.TEST, Environment.PROD].map((environment): UsageEnvironment => {
    const perDay = days.map((day) => ({ day, ...(byKey.get(`${environment} ${day}`) ?? counts(0, 0, 0)) }));
    return { environment, ...sum(perDay), days: perDay };
  });
  const used = Number(monthRows[0]?.used ?? 0);
  return {
    month,
    ...sum(environments),
    quota: quota > 0 ? quota : null,
    used,
    left: quota > 0 ? Math.max(0, quota - used) : null,
    environments,
  };
}
