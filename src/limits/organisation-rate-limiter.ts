/**
 * The per-organisation rate limit (contract §8): requests per rolling window with a 10% grace, counted
 * per organisation (all its keys, both environments) in the counter store. Each request adds one to its
 * fixed window's counter and reads the previous window's (limits/sliding-window.ts); a refused request
 * takes its one back, so refusals never count.
 *
 * A finished window's count no longer changes, so each instance reads it once per organisation and
 * window and keeps it: one store round trip per request (two in parallel on an organisation's first
 * request of a window). Time is the wall clock, not the app's Clock: the stores expire counters by it.
 *
 * An organisation with a large quota (2,000 or more per window) that is far from its limit is counted from
 * leases instead: one store round trip reserves up to 64 counts, handed to this instance's next requests in
 * order (limits/counter-leases.ts explains why and when). Near the limit, each request is counted exactly.
 * A leased request the rolling count refuses has its count taken back like any other. While a lease lasts,
 * `checkNow` decides a request at once, without a promise (most requests of a busy organisation).
 */
import { CounterLeases } from './counter-leases';
import { admittedPerWindow, msUntilAdmitted, positionOf, rollingCount, secondsToWait } from './sliding-window';
import type { CounterStore } from './counter-stores';

/** One request's verdict and what the RateLimit fields say about it. */
export interface RateDecision {
  admitted: boolean;
  /** Requests admitted per window: the limit with its grace. */
  quota: number;
  /** The rolling window, in seconds. */
  windowSeconds: number;
  /** Requests left in the rolling window now. */
  remaining: number;
  /** Seconds until the window turns over (refused: until a request would be admitted). */
  resetSeconds: number;
  /** Refused: whole seconds until a request would be admitted (≥ 1). */
  retryAfterSeconds?: number;
}

const MAX_REMEMBERED = 10_000;

export class OrganisationRateLimiter {
  private readonly finished = new Map<string, { index: number; count: number }>();
  private readonly leases: CounterLeases;

  constructor(
    private readonly store: CounterStore,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.leases = new CounterLeases(store.counters);
  }

  /** Counts a request of the organisation against `limit` (> 0) per window, or refuses it uncounted. */
  async check(organisationId: string, limit: number): Promise<RateDecision> {
    const { index, elapsedMs } = positionOf(this.now(), this.windowMs);
    const key = keyOf(organisationId, this.windowMs, index);
    const quota = admittedPerWindow(limit);
    const [current, previous] = await Promise.all([this.leases.add(organisationId, index, key, quota), this.previousCount(organisationId, index)]);
    const rolling = this.rolling(organisationId, index, previous, current.count, elapsedMs);
    if (rolling <= quota) return this.admitted(quota, rolling, elapsedMs);
    await this.store.counters.undo(key);
    const wait = secondsToWait(msUntilAdmitted(previous, current.count - 1, elapsedMs, this.windowMs, quota));
    return { admitted: false, quota, windowSeconds: this.windowMs / 1000, remaining: 0, resetSeconds: wait, retryAfterSeconds: wait };
  }

  /**
   * The usual case decided at once, without a promise: a request counted from a lease this instance holds,
   * the previous window's count known, and admitted. Undefined otherwise: then `check` decides.
   */
  checkNow(organisationId: string, limit: number): RateDecision | undefined {
    const { index, elapsedMs } = positionOf(this.now(), this.windowMs);
    const previous = this.finished.get(organisationId);
    if (previous?.index !== index - 1) return undefined;
    const quota = admittedPerWindow(limit);
    const current = this.leases.takeNow(organisationId, index, quota);
    if (current === undefined) return undefined;
    // Admitted: a lease is used only while more than 100 × its size is left below the quota
    // (counter-leases.ts), and each request raises the rolling count by one at most.
    return this.admitted(quota, this.rolling(organisationId, index, previous.count, current.count, elapsedMs), elapsedMs);
  }

  /** A request's rolling count from its count and the previous window's, remembered for the leases. */
  private rolling(organisationId: string, index: number, previous: number, count: number, elapsedMs: number): number {
    const rolling = rollingCount(previous, count, elapsedMs, this.windowMs);
    this.leases.remember(organisationId, index, rolling);
    return rolling;
  }

  /** An admitted request's decision at `rolling`. */
  private admitted(quota: number, rolling: number, elapsedMs: number): RateDecision {
    return { admitted: true, quota, windowSeconds: this.windowMs / 1000, remaining: Math.max(0, Math.floor(quota - rolling)), resetSeconds: secondsToWait(this.windowMs - elapsedMs) };
  }

  /** Lets go of the store's connections. */
  close(): Promise<void> {
    return this.store.close();
  }

  private async previousCount(organisationId: string, index: number): Promise<number> {
    const known = this.finished.get(organisationId);
    if (known?.index === index - 1) return known.count;
    const read = await this.store.counters.read(keyOf(organisationId, this.windowMs, index - 1));
    // A count the local limiter gave during an outage is this instance's only: read the store again next time.
    if (!read.fallback) {
      if (this.finished.size >= MAX_REMEMBERED) this.finished.clear();
      this.finished.set(organisationId, { index: index - 1, count: read.count });
    }
    return read.count;
  }
}

/** The counter of one organisation's fixed window (the window's length is part of it: a changed setting starts afresh). */
function keyOf(organisationId: string, windowMs: number, index: number): string {
  return `${organisationId}:${windowMs / 1000}s:${index}`;
}
