/** The outcome metrics of one organisation and environment (docs/metrics.md), computed in the database. */
import type { EntityManager } from '@mikro-orm/core';

import type { MetricsConfig } from '../config';
import { sqlOf, transactionRunner, type Sql } from '../db/sql';
import { canonicalTimeZone } from '../shared/time-zone';
import type { Tenant } from '../tenancy/environment';
import { checkPeriod, localDays } from './local-days';
import type { MetricsReport, MetricsRequest, Period, PeriodMetrics } from './metrics.types';
import { readPeriodFigures, type Reading } from './period-figures';
import { checkChunkDays, SQLITE_CHUNK_DAYS } from './report-chunks';
import { roiRows } from './roi';
import { topIntents } from './top-intents';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A share, or null when there is nothing to divide by ("not enough data"). */
const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** A turn of the event loop: whatever is waiting (timers, I/O, other requests) runs first. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** PostgreSQL: each statement already waits for the server, and the event loop turns meanwhile. */
const noPause = async () => {};

/** How reports read (tests choose a piece length to compare against the whole period). */
export interface ReportOptions {
  /** Local days one statement reads at most, on both engines; default: SQLITE_CHUNK_DAYS on SQLite, the whole period on PostgreSQL. */
  chunkDays?: number;
}

/** Builds metrics reports. */
export class MetricsService {
  constructor(
    private readonly config: MetricsConfig,
    private readonly options: ReportOptions = {},
  ) {
    if (options.chunkDays !== undefined) checkChunkDays(options.chunkDays);
  }

  /** Every metric of the period, and of the comparison period with the ROI table when one is asked for. */
  async report(em: EntityManager, tenant: Tenant, request: MetricsRequest): Promise<MetricsReport> {
    // Bad periods are refused before any statement runs.
    checkPeriod(request.period, ['period']);
    if (request.compareTo) checkPeriod(request.compareTo, ['compareTo']);
    const bare = sqlOf(em);
    // SQLite runs each statement synchronously on the event loop: statements over a month at most, on the
    // shared connection with a turn of the event loop before each, so other requests (call starts) run
    // between them (a transaction would hold the connection for the whole report).
    if (bare.dialect.name === 'sqlite') return this.build(this.reading(bare, tenant, SQLITE_CHUNK_DAYS, nextTurn), request);
    if (em.getTransactionContext()) return this.build(this.reading(bare, tenant, Number.POSITIVE_INFINITY, noPause), request);
    // PostgreSQL: the driver waits for the server without holding the event loop, so each figure is one
    // statement over the whole period, all in one snapshot. JIT compiling would cost more than these
    // aggregates (~0.2 s a statement, measured), so it is off for this read-only transaction.
    let report: MetricsReport | undefined;
    await transactionRunner(em)(async (sql) => {
      await sql.run('set transaction isolation level repeatable read, read only');
      await sql.run('set local jit = off');
      report = await this.build(this.reading(sql, tenant, Number.POSITIVE_INFINITY, noPause), request);
    });
    return report!;
  }

  private reading(sql: Sql, tenant: Tenant, chunkDays: number, between: () => Promise<void>): Reading {
    const { transferWindowMinutes, repeatWindowDays } = this.config;
    return {
      sql,
      tenant,
      transferMs: transferWindowMinutes * MINUTE_MS,
      repeatMs: repeatWindowDays * DAY_MS,
      chunkDays: this.options.chunkDays ?? chunkDays,
      between,
    };
  }

  private async build(reading: Reading, request: MetricsRequest): Promise<MetricsReport> {
    await reading.between();
    const timeZone = await this.timeZoneOf(reading.sql, reading.tenant);
    const current = await this.period(reading, timeZone, request.period, ['period']);
    const comparison = request.compareTo ? await this.period(reading, timeZone, request.compareTo, ['compareTo']) : null;
    return { environment: reading.tenant.environment, current, comparison, roi: comparison ? roiRows(comparison, current) : [] };
  }

  /** The organisation's time zone; UTC if the stored name is unknown to this runtime. */
  private async timeZoneOf(sql: Sql, tenant: Tenant): Promise<string> {
    const row = await sql.one<{ time_zone: string }>('select time_zone from organisations where id = ?', [tenant.organisationId]);
    return (row && canonicalTimeZone(row.time_zone)) ?? 'UTC';
  }

  private async period(reading: Reading, timeZone: string, period: Period, path: string[]): Promise<PeriodMetrics> {
    const { days, bounds } = localDays(timeZone, period, path);
    const { repeatWindowDays, transferWindowMinutes, csatVariable } = this.config;
    const { perDay, transfers, repeated, intents, callsByName, attemptsByName } = await readPeriodFigures(reading, bounds);
    // Every figure below is made from the period's summed counts, never from a piece's rates or averages.
    const total = (pick: (row: (typeof perDay)[number]) => number) => perDay.reduce((sum, row) => sum + pick(row), 0);
    const calls = total((r) => r.calls);
    const handled = total((r) => r.handled);
    const csatResponses = total((r) => r.csatResponses);
    const contacts = calls - transfers;
    const repeatRate = share(repeated, contacts);
    const firstContactRate = share(intents.resolvedFirstAttempt, intents.resolved);
    return {
      period: { from: period.from, to: period.to },
      timeZone,
      calls,
      callsPerDay: perDay.map((row, i) => ({ day: days[i]!, calls: row.calls, recognised: row.recognised, toConfirm: row.toConfirm, unrecognised: row.unrecognised })),
      recognised: total((r) => r.recognised),
      toConfirm: total((r) => r.toConfirm),
      unrecognised: total((r) => r.unrecognised),
      repeatCalls: { calls, transfers, repeated, contacts, rate: repeatRate, windowDays: repeatWindowDays, transferWindowMinutes },
      firstContactResolution: {
        resolvedIntents: intents.resolved,
        resolvedFirstAttempt: intents.resolvedFirstAttempt,
        rate: firstContactRate,
        proxyRate: repeatRate === null ? null : 1 - repeatRate,
      },
      handleTime: { calls: handled, averageSeconds: handled > 0 ? total((r) => r.handleMs) / handled / 1000 : null },
      csat: { variable: csatVariable, responses: csatResponses, average: csatResponses > 0 ? total((r) => r.csatSum) / csatResponses : null },
      intents: { open: intents.open, abandoned: intents.abandoned, ...topIntents(callsByName, attemptsByName) },
    };
  }
}
