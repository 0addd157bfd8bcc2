/**
 * A period's raw figures, read a piece at a time (report-chunks.ts) and added up: calls per day (the
 * pieces' days in order), repeat and intent counts (sums), and every intent name's calls and attempts
 * (sums by name). Averages and rates are made from these sums later, never from a piece's own.
 */
import type { Sql } from '../db/sql';
import type { Tenant } from '../tenancy/environment';
import { callsPerDay, intentCounts, intentTotals, repeatCounts, type DayRow } from './metrics.sql';
import { dayChunks, followUpRanges } from './report-chunks';

/** How a report reads: its statements, its tenant, the windows, the piece length and what runs between statements. */
export interface Reading {
  sql: Sql;
  tenant: Tenant;
  transferMs: number;
  repeatMs: number;
  /** Local days per piece at most; Infinity reads the whole period at once. */
  chunkDays: number;
  /** Awaited before each statement: on SQLite a turn of the event loop, so other requests run in between. */
  between(): Promise<void>;
}

/** One period's figures, summed over its pieces. */
export interface PeriodFigures {
  perDay: DayRow[];
  transfers: number;
  repeated: number;
  intents: { resolved: number; resolvedFirstAttempt: number; open: number; abandoned: number };
  /** Every intent name reported by the period's calls, with its calls. */
  callsByName: Map<string, number>;
  /** Every intent name of the intents last changed in the period, with its attempts. */
  attemptsByName: Map<string, number>;
}

/** Adds each figure of `part` into `sum`. */
function addInto<T extends Record<string, number>>(sum: T, part: T): void {
  for (const key of Object.keys(part) as (keyof T)[]) sum[key] = (sum[key] + part[key]) as T[keyof T];
}

/** Adds each name's total of `part` into `sum`. */
function addByName(sum: Map<string, number>, part: Map<string, number>): void {
  for (const [name, total] of part) sum.set(name, (sum.get(name) ?? 0) + total);
}

/** Reads the figures of the period whose day bounds are `bounds` (local-days.ts). */
export async function readPeriodFigures(reading: Reading, bounds: Date[]): Promise<PeriodFigures> {
  const { sql, tenant, transferMs, repeatMs, chunkDays } = reading;
  const step = async <T>(statement: () => Promise<T>): Promise<T> => {
    await reading.between();
    return statement();
  };
  const figures: PeriodFigures = {
    perDay: [],
    transfers: 0,
    repeated: 0,
    intents: { resolved: 0, resolvedFirstAttempt: 0, open: 0, abandoned: 0 },
    callsByName: new Map(),
    attemptsByName: new Map(),
  };
  for (const days of dayChunks(bounds, chunkDays)) {
    const [from, to] = [days[0]!, days.at(-1)!];
    figures.perDay.push(...(await step(() => callsPerDay(sql, tenant, days))));
    addInto(figures.intents, await step(() => intentCounts(sql, tenant, from, to, transferMs)));
    addByName(figures.callsByName, await step(() => intentTotals(sql, tenant, 'calls', from, to)));
    addByName(figures.attemptsByName, await step(() => intentTotals(sql, tenant, 'attempts', from, to)));
  }
  const period = [bounds[0]!, bounds.at(-1)!] as const;
  for (const started of followUpRanges(bounds, repeatMs, chunkDays)) {
    const counts = await step(() => repeatCounts(sql, tenant, started, period, transferMs, repeatMs));
    figures.transfers += counts.transfers;
    figures.repeated += counts.repeated;
  }
  return figures;
}
