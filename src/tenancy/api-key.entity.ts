import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Opt, Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

import { ApiKeyRole } from './api-key-role';
import { Environment } from './environment';
import { Organisation } from './organisation.entity';

/** An API key: stored only as a keyed hash; the secret itself is shown once, at creation. */
@Entity({ tableName: 'api_keys' })
export class ApiKey {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organisation, { deleteRule: 'cascade' })
  organisation!: Rel<Organisation>;

  @Enum({ items: () => Environment })
  environment!: Environment;

  /** `admin` keys may also sign in to the dashboard and read metrics. */
  @Enum({ items: () => ApiKeyRole, default: ApiKeyRole.STANDARD })
  role: ApiKeyRole & Opt = ApiKeyRole.STANDARD;

  /** A label for people ("Five9 production IVR"). */
  @Property({ type: 'string', length: 200 })
  name!: string;

  /** The first characters of the key, safe to display so people can tell keys apart. */
  @Property({ type: 'string', length: 16 })
  prefix!: string;

  /** HMAC-SHA256 of the whole key under the server secret (hex). Unique, so lookup is one index probe. */
  @Property({ type: 'string', length: 64, unique: true })
  hash!: string;

  @Property({ type: Date })
  createdAt: Date & Opt = new Date();

  @Property({ type: Date, nullable: true })
  revokedAt?: Date | null;

  /** When the key stops working by itself: the old key of a rotation, after its overlap window. */
  @Property({ type: Date, nullable: true })
  expiresAt?: Date | null;

  /** When the key last authenticated a request (written at most once a minute per key and instance). */
  @Property({ type: Date, nullable: true })
  lastUsedAt?: Date | null;
}
