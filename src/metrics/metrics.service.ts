/** The outcome metrics of one organisation and environment (docs/metrics.md), computed in the database. */
import type { EntityManager } from '@mikro-orm/core';

import type { MetricsConfig } from '../config';
import { sqlOf, transactionRunner, type Sql } from '../db/sql';
import { canonicalTimeZone } from '../shared/time-zone';
import type { Tenant } from '../tenancy/environment';
import { checkPeriod, localDays } from './local-days';
import { callsPerDay, intentCounts, intentTotals, repeatCounts } from './metrics.sql';
import type { IntentVolume, MetricsReport, MetricsRequest, Period, PeriodMetrics } from './metrics.types';
import { roiRows } from './roi';

/** How many intents each top list names. */
export const TOP_INTENTS = 10;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A share, or null when there is nothing to divide by ("not enough data"). */
const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** Builds metrics reports. */
export class MetricsService {
  constructor(private readonly config: MetricsConfig) {}

  /** Every metric of the period, and of the comparison period with the ROI table when one is asked for. */
  async report(em: EntityManager, tenant: Tenant, request: MetricsRequest): Promise<MetricsReport> {
    // Bad periods are refused before any statement runs.
    checkPeriod(request.period, ['period']);
    if (request.compareTo) checkPeriod(request.compareTo, ['compareTo']);
    const bare = sqlOf(em);
    // SQLite: statements on the shared connection one at a time, so other requests run between them
    // (a transaction would hold the connection for the whole report).
    if (bare.dialect.name === 'sqlite' || em.getTransactionContext()) return this.build(bare, tenant, request);
    // PostgreSQL: one snapshot for every figure. JIT compiling would cost more than these aggregates
    // (~0.2 s a statement, measured), so it is off for this read-only transaction.
    let report: MetricsReport | undefined;
    await transactionRunner(em)(async (sql) => {
      await sql.run('set transaction isolation level repeatable read, read only');
      await sql.run('set local jit = off');
      report = await this.build(sql, tenant, request);
    });
    return report!;
  }

  private async build(sql: Sql, tenant: Tenant, request: MetricsRequest): Promise<MetricsReport> {
    const timeZone = await this.timeZoneOf(sql, tenant);
    const days = localDays(timeZone, request.period, ['period']);
    const compareDays = request.compareTo ? localDays(timeZone, request.compareTo, ['compareTo']) : null;
    const current = await this.period(sql, tenant, timeZone, request.period, days);
    const comparison = compareDays && request.compareTo ? await this.period(sql, tenant, timeZone, request.compareTo, compareDays) : null;
    return { environment: tenant.environment, current, comparison, roi: comparison ? roiRows(comparison, current) : [] };
  }

  /** The organisation's time zone; UTC if the stored name is unknown to this runtime. */
  private async timeZoneOf(sql: Sql, tenant: Tenant): Promise<string> {
    const row = await sql.one<{ time_zone: string }>('select time_zone from organisations where id = ?', [tenant.organisationId]);
    return (row && canonicalTimeZone(row.time_zone)) ?? 'UTC';
  }

  private async period(sql: Sql, tenant: Tenant, timeZone: string, period: Period, { days, bounds }: ReturnType<typeof localDays>): Promise<PeriodMetrics> {
    const [from, to] = [bounds[0]!, bounds.at(-1)!];
    const { repeatWindowDays, transferWindowMinutes, csatVariable } = this.config;
    const perDay = await callsPerDay(sql, tenant, bounds);
    const calls = perDay.reduce((sum, row) => sum + row.calls, 0);
    const repeats = { calls, ...(await repeatCounts(sql, tenant, from, to, transferWindowMinutes * MINUTE_MS, repeatWindowDays * DAY_MS)) };
    const intents = await intentCounts(sql, tenant, from, to, transferWindowMinutes * MINUTE_MS);
    const total = (pick: (row: (typeof perDay)[number]) => number) => perDay.reduce((sum, row) => sum + pick(row), 0);
    const handled = total((r) => r.handled);
    const csatResponses = total((r) => r.csatResponses);
    const contacts = repeats.calls - repeats.transfers;
    const repeatRate = share(repeats.repeated, contacts);
    const firstContactRate = share(intents.resolvedFirstAttempt, intents.resolved);
    return {
      period: { from: period.from, to: period.to },
      timeZone,
      calls,
      callsPerDay: perDay.map((row, i) => ({ day: days[i]!, calls: row.calls, recognised: row.recognised, toConfirm: row.toConfirm, unrecognised: row.unrecognised })),
      recognised: total((r) => r.recognised),
      toConfirm: total((r) => r.toConfirm),
      unrecognised: total((r) => r.unrecognised),
      repeatCalls: { ...repeats, contacts, rate: repeatRate, windowDays: repeatWindowDays, transferWindowMinutes },
      firstContactResolution: {
        resolvedIntents: intents.resolved,
        resolvedFirstAttempt: intents.resolvedFirstAttempt,
        rate: firstContactRate,
        proxyRate: repeatRate === null ? null : 1 - repeatRate,
      },
      handleTime: { calls: handled, averageSeconds: handled > 0 ? total((r) => r.handleMs) / handled / 1000 : null },
      csat: { variable: csatVariable, responses: csatResponses, average: csatResponses > 0 ? total((r) => r.csatSum) / csatResponses : null },
      intents: { open: intents.open, abandoned: intents.abandoned, ...(await this.topIntents(sql, tenant, from, to)) },
    };
  }

  /** The busiest intent names by calls and by attempts, each with both figures. */
  private async topIntents(sql: Sql, tenant: Tenant, from: Date, to: Date): Promise<{ topByVolume: IntentVolume[]; topByAttempts: IntentVolume[] }> {
    const byCalls = await intentTotals(sql, tenant, 'calls', from, to, { limit: TOP_INTENTS });
    const byAttempts = await intentTotals(sql, tenant, 'attempts', from, to, { limit: TOP_INTENTS });
    // Each list's names may be missing from the other ranking: fetch their other figure by name.
    const moreAttempts = await intentTotals(sql, tenant, 'attempts', from, to, { names: [...byCalls.keys()].filter((n) => !byAttempts.has(n)) });
    const moreCalls = await intentTotals(sql, tenant, 'calls', from, to, { names: [...byAttempts.keys()].filter((n) => !byCalls.has(n)) });
    const volume = (name: string): IntentVolume => ({
      name,
      calls: byCalls.get(name) ?? moreCalls.get(name) ?? 0,
      attempts: byAttempts.get(name) ?? moreAttempts.get(name) ?? 0,
    });
    const ranked = (totals: Map<string, number>) =>
      [...totals].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)).map(([name]) => volume(name));
    return { topByVolume: ranked(byCalls), topByAttempts: ranked(byAttempts) };
  }
}
