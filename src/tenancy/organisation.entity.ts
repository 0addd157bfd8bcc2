import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** A customer of ours: a contact center. Owns API keys and, per environment, all caller data. */
@Entity({ tableName: 'organisations' })
export class Organisation {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Short unique handle used by the command-line tool. */
  @Property({ type: 'string', length: 64, unique: true })
  slug!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  /** IANA time zone that decides what "a day" is on the dashboard and in metrics (default UTC). */
  @Property({ type: 'string', length: 64, default: 'UTC' })
  timeZone: string & Opt = 'UTC';

  @Property({ type: Date })
  createdAt: Date & Opt = new Date();

  /** Requests per minute on /v1 and /graphql; null: RATE_LIMIT_PER_MINUTE; 0: unlimited. Set by admin keys. */
  @Property({ type: 'integer', nullable: true })
  rateLimitPerMinute?: number | null;

  /** Successful starts and ends per UTC month; null: MONTHLY_QUOTA; 0: unlimited. Set by admin keys. */
  @Property({ type: 'integer', nullable: true })
  monthlyQuota?: number | null;

  /** Keep masked request and response bodies in the request log (off by default). */
  @Property({ type: 'boolean', default: false })
  logBodies: boolean & Opt = false;
}
