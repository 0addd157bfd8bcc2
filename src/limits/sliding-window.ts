/**
 * The rolling window's arithmetic, as a sliding-window counter: counts are kept per fixed window (aligned
 * to the epoch), and the rolling count at a moment is the current window's count plus the previous
 * window's, weighted by the part of the previous window still inside the rolling window. Pure functions;
 * limits/organisation-rate-limiter.ts feeds them the counters.
 */

/** The tolerance above an organisation's limit before requests are refused (contract §8: 10% grace). */
export const GRACE = 0.1;

/** Requests per rolling window admitted for a limit: the limit with its grace, e.g. 6000 → 6600. */
export function admittedPerWindow(limit: number): number {
  return Math.floor(limit * (1 + GRACE) + 1e-9);
}

/** Where a moment falls among the fixed windows. */
export interface WindowPosition {
  /** The fixed window's number since the epoch. */
  index: number;
  /** Milliseconds since that window began. */
  elapsedMs: number;
}

/** The fixed window holding `nowMs`. */
export function positionOf(nowMs: number, windowMs: number): WindowPosition {
  const index = Math.floor(nowMs / windowMs);
  return { index, elapsedMs: nowMs - index * windowMs };
}

/** The rolling count: the current window's count plus the previous window's share still inside the rolling window. */
export function rollingCount(previous: number, current: number, elapsedMs: number, windowMs: number): number {
  return previous * (1 - elapsedMs / windowMs) + current;
}

/**
 * Milliseconds until one more request would be admitted, if no other came: while the current window
 * alone leaves room, once enough of the previous window has slid out; otherwise in the next window, once
 * enough of this one has. `current` does not include the refused request.
 */
export function msUntilAdmitted(previous: number, current: number, elapsedMs: number, windowMs: number, admitted: number): number {
  if (current + 1 <= admitted) {
    if (previous <= 0) return 0;
    const slidOut = 1 - (admitted - current - 1) / previous;
    return Math.max(0, slidOut * windowMs - elapsedMs);
  }
  const slidOut = current > 0 ? Math.max(0, 1 - (admitted - 1) / current) : 0;
  return windowMs - elapsedMs + slidOut * windowMs;
}

/** Whole seconds to wait (Retry-After): rounded up, at least 1. */
export function secondsToWait(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000 - 1e-9));
}
