import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Opt } from '@mikro-orm/core';

import { Environment } from '../tenancy/environment';

/**
 * What one organisation's environment used on one UTC day: the calls it started and ended (successful,
 * first-time requests; replays and refusals count nothing) and how many starts recognised the caller.
 * Written in the call's own transaction, so a request that fails counts nothing; kept when calls are purged.
 */
@Entity({ tableName: 'usage_days' })
export class UsageDay {
  @PrimaryKey({ type: 'uuid' })
  organisationId!: string;

  @Enum({ items: () => Environment, primary: true })
  environment!: Environment;

  /** The UTC day, `YYYY-MM-DD`. */
  @PrimaryKey({ type: 'string', length: 10 })
  day!: string;

  @Property({ type: 'integer', default: 0 })
  starts: number & Opt = 0;

  @Property({ type: 'integer', default: 0 })
  ends: number & Opt = 0;

  /** Starts that recognised a known caller. */
  @Property({ type: 'integer', default: 0 })
  identified: number & Opt = 0;
}
