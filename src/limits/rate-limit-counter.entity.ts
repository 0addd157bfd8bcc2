import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * rate-limiter-flexible's counters on PostgreSQL (RateLimiterPostgres, `tableCreated: true`): created by
 * the migrations like every other table, in the shape that library writes. Unused on SQLite.
 */
@Entity({ tableName: 'rate_limit_counters' })
export class RateLimitCounter {
  @PrimaryKey({ type: 'string', length: 255 })
  key!: string;

  @Property({ type: 'integer', default: 0 })
  points!: number;

  @Property({ type: 'bigint', nullable: true })
  expire?: string | null;
}
