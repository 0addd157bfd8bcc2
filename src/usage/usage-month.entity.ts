import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';

/**
 * Successful starts and ends of one organisation (both environments) in one UTC calendar month: the
 * counter its monthly quota is checked against, raised in the call's own transaction by a conditional
 * upsert, so concurrent requests at the quota's edge admit exactly the remainder.
 */
@Entity({ tableName: 'usage_months' })
export class UsageMonth {
  @PrimaryKey({ type: 'uuid' })
  organisationId!: string;

  /** The UTC month, `YYYY-MM`. */
  @PrimaryKey({ type: 'string', length: 7 })
  month!: string;

  @Property({ type: 'integer', default: 0 })
  used: number & Opt = 0;
}
