/**
 * Local days of an IANA time zone as instants: where each day of a period starts and ends. A day is not
 * always 24 hours (23 or 25 across a daylight-saving change), so every boundary is computed from the
 * zone's own rules (Intl), never by adding 24 h. The database then buckets rows between these instants.
 */
import { AppError } from '../errors/app-error';
import type { Period } from './metrics.types';

/** The longest period a report covers, in days (a leap year). */
export const MAX_PERIOD_DAYS = 366;

const DAY_MS = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A period's local days and the instants between them: `bounds[i]` starts `days[i]`, the last one ends the period. */
export interface LocalDays {
  days: string[];
  /** days.length + 1 instants, increasing. */
  bounds: Date[];
}

/** Midnight UTC of a YYYY-MM-DD date, or null when it is not a calendar date (2026-02-30) or outside years 1000–9998. */
export function utcMidnight(day: string): number | null {
  const match = LOCAL_DATE.exec(day);
  if (!match) return null;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // The day after the last one must still be a four-digit date.
  if (year < 1000 || year > 9998) return null;
  const ms = Date.UTC(year, month - 1, date);
  return new Date(ms).toISOString().startsWith(`${day}T`) ? ms : null;
}

/** The YYYY-MM-DD date of a UTC midnight. */
function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** True when the text is a calendar day written YYYY-MM-DD that a period accepts (2026-02-30 is not). */
export function isDay(text: string): boolean {
  return utcMidnight(text) !== null;
}

/** The calendar day `n` days after `day` (before it when negative). */
export function addDays(day: string, n: number): string {
  return dayOf(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS);
}

/** How many days from `from` to `to`, both included (0 or less when `to` is before `from`). */
export function daysInRange(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's wall-clock reading at an instant, as if that reading were UTC (milliseconds dropped). */
function wallClock(timeZone: string, instant: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

/** The local day (YYYY-MM-DD) of an instant in a time zone. */
export function localDay(instant: Date, timeZone: string): string {
  return dayOf(wallClock(timeZone, instant.getTime() - (((instant.getTime() % 1000) + 1000) % 1000)));
}

/** The zone's offset from UTC at an instant, in milliseconds (wall clock − UTC). */
function offsetAt(timeZone: string, instant: number): number {
  const whole = instant - (((instant % 1000) + 1000) % 1000);
  return wallClock(timeZone, whole) - whole;
}

/**
 * The first instant of a local day: its midnight, or when the zone skips midnight (a daylight-saving
 * change at 00:00), the first instant after the gap. When midnight happens twice (clocks set back to
 * 00:00), the earlier one.
 */
export function startOfLocalDay(timeZone: string, day: string): Date {
  const midnight = utcMidnight(day);
  if (midnight === null) throw new Error(`not a local date: ${day}`);
  // Offsets that may apply at that midnight: the ones in force a day either side and at midnight UTC.
  const offsets = new Set([offsetAt(timeZone, midnight - DAY_MS), offsetAt(timeZone, midnight), offsetAt(timeZone, midnight + DAY_MS)]);
  const starts = [...offsets].map((offset) => midnight - offset).filter((instant) => wallClock(timeZone, instant) === midnight);
  if (starts.length > 0) return new Date(Math.min(...starts));
  // Midnight does not exist: the day starts where the clock jumps past it. Wall time only moves forward
  // across a gap, so search for the first second whose reading is at or after midnight.
  let low = midnight - 2 * DAY_MS;
  let high = midnight + 2 * DAY_MS;
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000;
    if (wallClock(timeZone, middle) >= midnight) high = middle;
    else low = middle;
  }
  return new Date(high);
}

/** Refuses a period that is not two calendar dates, runs backwards, or is longer than MAX_PERIOD_DAYS. */
export function checkPeriod(period: Period, path: (string | number)[]): { from: number; to: number } {
  const from = utcMidnight(period.from);
  const to = utcMidnight(period.to);
  const issues = [];
  if (from === null) issues.push({ path: [...path, 'from'], message: 'from must be a calendar date, YYYY-MM-DD' });
  if (to === null) issues.push({ path: [...path, 'to'], message: 'to must be a calendar date, YYYY-MM-DD' });
  if (from !== null && to !== null) {
    if (from > to) issues.push({ path: [...path, 'from'], message: `from (${period.from}) is after to (${period.to})` });
    else if ((to - from) / DAY_MS + 1 > MAX_PERIOD_DAYS) {
      issues.push({ path: [...path, 'to'], message: `a period covers at most ${MAX_PERIOD_DAYS} days` });
    }
  }
  if (issues.length > 0) throw AppError.validation(issues);
  return { from: from!, to: to! };
}

/** The local days of a period (checked with `checkPeriod`) in the zone, with their boundaries. */
export function localDays(timeZone: string, period: Period, path: (string | number)[] = ['period']): LocalDays {
  const { from, to } = checkPeriod(period, path);
  const days: string[] = [];
  for (let ms = from; ms <= to; ms += DAY_MS) days.push(dayOf(ms));
  const bounds = [...days, dayOf(to + DAY_MS)].map((day) => startOfLocalDay(timeZone, day));
  return { days, bounds };
}
