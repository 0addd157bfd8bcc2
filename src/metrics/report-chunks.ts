/**
 * How a report's ranges are cut into pieces. SQLite's driver runs a statement synchronously on the event
 * loop, so one statement over a year would hold every other request (IVR call starts included) until it
 * ends; cut into pieces of at most a month, each read by its own statements with a turn of the event
 * loop between them, a year's report holds the loop no longer at a stretch than the dashboard's default
 * 28-day view. Every figure is a count or sum over the rows of its range (or one row per day), so the
 * pieces, which split the range with no gap and no overlap, add up to the whole exactly.
 */

/** The most local days one statement reads on SQLite: a month, about the dashboard's default 28 days. */
export const SQLITE_CHUNK_DAYS = 31;

const DAY_MS = 86_400_000;

/** [start, end) of one piece. */
export type Range = readonly [Date, Date];

/** Refuses a chunk length that is not a whole number of days (Infinity: the whole period at once). */
export function checkChunkDays(days: number): number {
  if (days !== Number.POSITIVE_INFINITY && !(Number.isInteger(days) && days >= 1)) {
    throw new Error(`chunk length must be a positive whole number of days or Infinity, not ${days}`);
  }
  return days;
}

/** A period's day bounds (local-days.ts) as chunks of at most `days` days: each chunk's own bounds, its days + 1 instants. */
export function dayChunks(bounds: readonly Date[], days: number): Date[][] {
  const last = bounds.length - 1;
  const chunks: Date[][] = [];
  for (let first = 0; first < last; first += days) chunks.push(bounds.slice(first, Math.min(first + days, last) + 1));
  return chunks;
}

/**
 * The range of call starts the repeat counts read, [period start, period end + repeat window), cut at
 * the period's chunk boundaries and, after the period, every `days` × 24 hours: the calls that followed
 * the period's calls, a piece at a time.
 */
export function followUpRanges(bounds: readonly Date[], repeatMs: number, days: number): Range[] {
  const end = bounds.at(-1)!.getTime();
  const instants = [...bounds];
  for (let at = end + DAY_MS; at < end + repeatMs; at += DAY_MS) instants.push(new Date(at));
  if (repeatMs > 0) instants.push(new Date(end + repeatMs));
  const ranges: Range[] = [];
  const last = instants.length - 1;
  for (let first = 0; first < last; first += days) ranges.push([instants[first]!, instants[Math.min(first + days, last)]!]);
  return ranges;
}
