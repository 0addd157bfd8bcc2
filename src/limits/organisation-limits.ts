/**
 * Each organisation's limits and request-log choice, as the rate limiter, the quota and the request log
 * read them on every request: the organisation's own values (set by admin keys) over the configured
 * defaults, cached per organisation for a few seconds. `forget` drops one organisation's entry at once
 * (this instance, after setLimits); other instances see a change within CACHE_MS.
 */
import type { EntityManager } from '@mikro-orm/core';

import type { LimitsConfig } from '../config-operations';
import type { Clock } from '../shared/clock';

/** How long an organisation's limits are reused before they are read again. */
export const LIMITS_CACHE_MS = 5_000;
const MAX_CACHED = 10_000;

/** The limits in force for one organisation (0: unlimited). */
export interface EffectiveLimits {
  /** Requests per rolling window on /v1 and /graphql; 0: unlimited. */
  requestsPerMinute: number;
  /** Successful starts and ends per UTC month; 0: unlimited. */
  monthlyQuota: number;
  /** Keep masked bodies in the request log. */
  logBodies: boolean;
}

interface LimitsRow {
  rate_limit_per_minute: number | null;
  monthly_quota: number | null;
  log_bodies: boolean | number;
}

export class OrganisationLimits {
  private readonly cache = new Map<string, { limits: EffectiveLimits; until: number }>();

  constructor(
    readonly defaults: LimitsConfig,
    private readonly clock: Clock,
  ) {}

  /** The organisation's limits if they are cached and fresh; undefined when they must be read (`of`). */
  cached(organisationId: string): EffectiveLimits | undefined {
    const cached = this.cache.get(organisationId);
    return cached && cached.until > this.clock.now().getTime() ? cached.limits : undefined;
  }

  /** The organisation's limits, from the cache or the database. */
  async of(em: EntityManager, organisationId: string): Promise<EffectiveLimits> {
    const known = this.cached(organisationId);
    if (known) return known;
    const now = this.clock.now().getTime();
    const [row] = await em
      .getConnection()
      .execute<LimitsRow[]>('select rate_limit_per_minute, monthly_quota, log_bodies from organisations where id = ?', [organisationId]);
    const limits: EffectiveLimits = {
      requestsPerMinute: row?.rate_limit_per_minute ?? this.defaults.requestsPerMinute,
      monthlyQuota: row?.monthly_quota ?? this.defaults.monthlyQuota,
      logBodies: Boolean(row?.log_bodies),
    };
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(organisationId, { limits, until: now + LIMITS_CACHE_MS });
    return limits;
  }

  /** Drops the organisation's cached limits (after they were changed here). */
  forget(organisationId: string): void {
    this.cache.delete(organisationId);
  }
}
