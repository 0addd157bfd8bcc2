import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Opt, Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

import { ApiKey } from '../tenancy/api-key.entity';

/**
 * A dashboard sign-in: the browser holds a random token in an HttpOnly cookie; we keep only its keyed hash.
 * Stored in the database so every instance behind a load balancer knows it, and so sign-out ends it for good.
 * It acts for its API key: revoking the key ends the session at the next request.
 */
@Entity({ tableName: 'dashboard_sessions' })
@Index({ properties: ['expiresAt'] })
export class DashboardSession {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** HMAC-SHA256 of the cookie's token under a key derived from APP_SECRET (hex). */
  @Property({ type: 'string', length: 64, unique: true })
  tokenHash!: string;

  @ManyToOne(() => ApiKey, { deleteRule: 'cascade' })
  apiKey!: Rel<ApiKey>;

  @Property({ type: Date })
  createdAt: Date & Opt = new Date();

  @Property({ type: Date })
  expiresAt!: Date;
}
