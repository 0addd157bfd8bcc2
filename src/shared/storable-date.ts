/**
 * The instants both databases store and compare: years 1 to 9999. JavaScript dates reach ±275,760 years
 * and a GraphQL DateTimeISO accepts year 0, which PostgreSQL refuses ("date/time field value out of
 * range"); a client-sent instant outside this range is bad input, not a database error.
 */

/** 0001-01-01T00:00:00.000Z in milliseconds since the epoch. */
export const MIN_STORABLE_MS = -62_135_596_800_000;

/** 9999-12-31T23:59:59.999Z in milliseconds since the epoch. */
export const MAX_STORABLE_MS = 253_402_300_799_999;

/** What is wrong with an instant outside the range; the path names the field. */
export const UNSTORABLE_DATE = 'must be between 0001-01-01 and 9999-12-31';

/** True for whole milliseconds within the storable range. */
export function isStorableMs(ms: number): boolean {
  return Number.isSafeInteger(ms) && ms >= MIN_STORABLE_MS && ms <= MAX_STORABLE_MS;
}

/** True for a valid date within the storable range. */
export function isStorableDate(date: Date): boolean {
  return isStorableMs(date.getTime());
}
