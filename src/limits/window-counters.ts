/**
 * The per-window counters behind the rate limit, kept by rate-limiter-flexible (Redis, PostgreSQL or
 * process memory). The library's own refusal is not used (its `points` is set out of reach): each
 * counter just counts, and limits/organisation-rate-limiter.ts decides from two windows' counts.
 *
 * `FallbackCounters` keeps calls up when the shared store fails: a failed or slow store call (bounded by
 * STORE_TIMEOUT_MS) is answered by an in-process limiter instead, the outage is logged once (warn) and its
 * end once (info), and for RETRY_STORE_AFTER_MS after a failure the store is not tried at all, so a hung
 * store costs one timeout a second rather than one per request.
 */
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

import type { Logger } from '../logging/logger';

/** Out of reach of any count: the library never refuses by itself. */
const NEVER_REFUSE = 2_000_000_000;

/** Longest a store call may take before the local limiter answers instead. */
export const STORE_TIMEOUT_MS = 500;

/** How long after a store failure the store is left alone. */
export const RETRY_STORE_AFTER_MS = 1000;

/** A counter's answer, and whether the local limiter gave it because the store failed. */
export interface Counted {
  count: number;
  fallback: boolean;
}

/** Counters keyed by string that expire on their own. */
export interface WindowCounters {
  /** Adds `by` (default one) to the key's counter (a new counter lives the limiter's `duration`); the new count. */
  add(key: string, by?: number): Promise<Counted>;
  /** The key's count (0 when absent or expired). */
  read(key: string): Promise<Counted>;
  /** Takes back one `add` (a refused request does not count). */
  undo(key: string): Promise<void>;
}

/** The options every counter limiter is built with: counters live `ttlSeconds`. */
export function counterOptions(ttlSeconds: number, keyPrefix: string): { points: number; duration: number; keyPrefix: string } {
  return { points: NEVER_REFUSE, duration: ttlSeconds, keyPrefix };
}

/**
 * A RateLimiterRes rejection (never expected here) still carries the count; anything else is the store
 * failing. (Not `instanceof Error`: errors from a socket may come from another realm, e.g. under Jest.)
 */
function countOfRejection(rejection: unknown): number {
  if (rejection instanceof RateLimiterRes) return rejection.consumedPoints;
  throw rejection;
}

/** The count, checked: a store answering something else than a number has failed. */
function checked(count: unknown): number {
  if (typeof count !== 'number' || !Number.isFinite(count)) throw new Error('the store answered no count');
  return count;
}

/** Counters over one rate-limiter-flexible limiter; store errors reach the caller. */
export class LimiterCounters implements WindowCounters {
  constructor(private readonly limiter: RateLimiterAbstract) {}

  async add(key: string, by = 1): Promise<Counted> {
    const count = await this.limiter.consume(key, by).then((res) => res.consumedPoints, countOfRejection);
    return { count: checked(count), fallback: false };
  }

  async read(key: string): Promise<Counted> {
    const res = await this.limiter.get(key);
    return { count: checked(res?.consumedPoints ?? 0), fallback: false };
  }

  async undo(key: string): Promise<void> {
    await this.limiter.reward(key, 1);
  }
}

/** What FallbackCounters reports to. */
export interface FallbackReporting {
  logger: Logger;
  /** Which store (for the log line; never its address or credentials). */
  store: string;
  /** Called for each `add` answered by the local limiter, with the requests it counted. */
  onFallback(requests: number): void;
}

/** Rejects when `work` takes longer than `ms`. */
function withinTime<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The store's counters, with the process's own taking over while the store fails. */
export class FallbackCounters implements WindowCounters {
  private readonly local: LimiterCounters;
  private outage = false;
  private retryStoreAt = 0;

  constructor(
    private readonly store: WindowCounters,
    ttlSeconds: number,
    private readonly reporting: FallbackReporting,
    private readonly now: () => number = Date.now,
  ) {
    this.local = new LimiterCounters(new RateLimiterMemory(counterOptions(ttlSeconds, 'local')));
  }

  async add(key: string, by = 1): Promise<Counted> {
    const counted = await this.either((counters) => counters.add(key, by));
    if (counted.fallback) this.reporting.onFallback(by);
    return counted;
  }

  read(key: string): Promise<Counted> {
    return this.either((counters) => counters.read(key));
  }

  async undo(key: string): Promise<void> {
    await this.either(async (counters) => {
      await counters.undo(key);
      return { count: 0, fallback: false };
    });
  }

  private async either(work: (counters: WindowCounters) => Promise<Counted>): Promise<Counted> {
    if (this.now() >= this.retryStoreAt) {
      try {
        const counted = await withinTime(work(this.store), STORE_TIMEOUT_MS);
        this.recovered();
        return counted;
      } catch (error) {
        this.failed(error);
      }
    }
    const counted = await work(this.local);
    return { count: counted.count, fallback: true };
  }

  private failed(error: unknown): void {
    this.retryStoreAt = this.now() + RETRY_STORE_AFTER_MS;
    if (this.outage) return;
    this.outage = true;
    // The error's message only (e.g. "connect ECONNREFUSED 127.0.0.1:6379"): never the URL or its password.
    const reason = String((error as { message?: unknown } | null)?.message ?? error);
    this.reporting.logger.warn({ store: this.reporting.store, reason }, 'rate-limit store unavailable; limiting in process until it answers again');
  }

  private recovered(): void {
    if (!this.outage) return;
    this.outage = false;
    this.reporting.logger.info({ store: this.reporting.store }, 'rate-limit store answers again; shared limiting resumed');
  }
}
