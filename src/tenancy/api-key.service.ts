/** Organisations and their API keys: creation (secret shown once), listing, revocation, authentication. */
import type { EntityManager } from '@mikro-orm/core';

import { sqlOf } from '../db/sql';
import { AppError } from '../errors/app-error';
import { systemClock, type Clock } from '../shared/clock';
import { canonicalTimeZone } from '../shared/time-zone';
import { displayPrefix, environmentOfKey, generateApiKey, hashApiKey, hashesEqual } from './api-key-format';
import { ApiKeyRole } from './api-key-role';
import { ApiKey } from './api-key.entity';
import type { Credentials } from './credentials';
import type { Environment, Tenant } from './environment';
import { KeyLastUsed } from './key-last-used';
import { Organisation } from './organisation.entity';

/** The refusal of a request that carries no key at all. */
export const MISSING_API_KEY = 'Missing API key: send Authorization: Bearer <key>';

/** The refusal of an Authorization value that is neither Bearer, Basic nor a bare key: it says what to send. */
export const UNSUPPORTED_SCHEME =
  'Unsupported Authorization header: send Authorization: Bearer <key>, X-Api-Key: <key>, or HTTP Basic with the key as user name';

/** The refusal of a value that is no key at all: it says what a key looks like. */
export const MALFORMED_API_KEY = 'Malformed API key: a key is sk_test_… or sk_prod_… followed by letters and digits, exactly as it was printed';

/** The tenant a request acts for, and the key that proved it. */
export interface Principal extends Tenant {
  keyId: string;
  /** What the key may do beyond calls and caller data. */
  role: ApiKeyRole;
}

/** The columns authentication reads. */
interface AuthRow {
  id: string;
  hash: string;
  environment: Environment;
  organisation_id: string;
  role: ApiKeyRole;
  revoked_at: unknown;
  expires_at: unknown;
}

/** A newly created key: the entity and the only copy of its secret. */
export interface CreatedKey {
  apiKey: ApiKey;
  secret: string;
}

/** Manages organisations and keys; `secret` keys the hash under which keys are stored. */
export class ApiKeyService {
  /** Keys' last uses, written in the background (key-last-used.ts). */
  readonly lastUsed: KeyLastUsed;

  constructor(
    private readonly secret: string,
    private readonly clock: Clock = systemClock,
  ) {
    this.lastUsed = new KeyLastUsed(clock);
  }

  /** Creates an organisation with a unique slug. */
  async createOrganisation(em: EntityManager, slug: string, name: string): Promise<Organisation> {
    if (await em.findOne(Organisation, { slug })) throw AppError.conflict(`Organisation '${slug}' already exists`);
    const organisation = em.create(Organisation, { slug, name });
    await em.flush();
    return organisation;
  }

  /** Finds an organisation by slug or fails with NOT_FOUND. */
  async organisation(em: EntityManager, slug: string): Promise<Organisation> {
    const organisation = await em.findOne(Organisation, { slug });
    if (!organisation) throw AppError.notFound(`No organisation '${slug}'`);
    return organisation;
  }

  /** Sets the IANA time zone that decides an organisation's days (dashboard, metrics); refuses unknown zones. */
  async setTimeZone(em: EntityManager, slug: string, timeZone: string): Promise<Organisation> {
    const canonical = canonicalTimeZone(timeZone);
    if (!canonical) {
      throw AppError.validation([{ path: ['time-zone'], message: `Unknown time zone '${timeZone}' (use an IANA name such as Europe/London)` }]);
    }
    const organisation = await this.organisation(em, slug);
    organisation.timeZone = canonical;
    await em.flush();
    return organisation;
  }

  /** Creates a random key; the returned secret is never stored and cannot be shown again. */
  async createKey(
    em: EntityManager,
    organisation: Organisation,
    environment: Environment,
    name: string,
    role = ApiKeyRole.STANDARD,
  ): Promise<CreatedKey> {
    const secret = generateApiKey(environment);
    return { apiKey: await this.registerKey(em, organisation, secret, name, role), secret };
  }

  /** Stores a key the caller already holds (e.g. BOOTSTRAP_API_KEY); environment comes from its prefix. */
  async registerKey(em: EntityManager, organisation: Organisation, key: string, name: string, role = ApiKeyRole.STANDARD): Promise<ApiKey> {
    const apiKey = this.persistKey(em, organisation, key, name, role);
    await em.flush();
    return apiKey;
  }

  /** A new key's row, persisted with the EntityManager's next flush (so a rotation writes both keys at once). */
  private persistKey(em: EntityManager, organisation: Organisation, key: string, name: string, role: ApiKeyRole): ApiKey {
    const environment = environmentOfKey(key);
    if (!environment) throw AppError.validation([{ path: ['key'], message: 'Not an API key (sk_test_… or sk_prod_…)' }]);
    return em.create(ApiKey, { organisation, environment, role, name, prefix: displayPrefix(key), hash: hashApiKey(key, this.secret), createdAt: this.clock.now() });
  }

  /**
   * Rotates a key: a new key with the same organisation, environment, name and role (its secret shown once),
   * and the old key expiring `overlapMs` from now (or sooner, if it already expired sooner). One flush.
   */
  async rotateKey(em: EntityManager, old: ApiKey, overlapMs: number): Promise<CreatedKey> {
    const secret = generateApiKey(old.environment);
    const apiKey = this.persistKey(em, old.organisation, secret, old.name, old.role);
    const until = new Date(this.clock.now().getTime() + overlapMs);
    if (!old.expiresAt || old.expiresAt > until) old.expiresAt = until;
    await em.flush();
    return { apiKey, secret };
  }

  /** True when this exact key is already registered (revoked or not). */
  async isKnown(em: EntityManager, key: string): Promise<boolean> {
    return (await this.findKey(em, key)) !== null;
  }

  /** The stored row of this exact key (revoked or not), or null. */
  async findKey(em: EntityManager, key: string): Promise<ApiKey | null> {
    return em.findOne(ApiKey, { hash: hashApiKey(key, this.secret) });
  }

  /** Every key of an organisation, oldest first; never the secret. */
  async listKeys(em: EntityManager, organisation: Organisation): Promise<ApiKey[]> {
    return em.find(ApiKey, { organisation }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  /** Revokes a key by id; it fails authentication from the next request on. */
  async revokeKey(em: EntityManager, id: string, now = this.clock.now()): Promise<ApiKey> {
    const apiKey = await em.findOne(ApiKey, { id });
    if (!apiKey) throw AppError.notFound(`No API key with id ${id}`);
    apiKey.revokedAt ??= now;
    await em.flush();
    return apiKey;
  }

  /**
   * The principal behind credentials read from a request (`readCredentials`); UNAUTHENTICATED for missing,
   * malformed, unknown, revoked or expired keys. Only a usable key costs a lookup: missing and malformed keys, and
   * keys whose checksum does not match, are refused without touching the database.
   */
  async authenticateCredentials(em: EntityManager, credentials: Credentials): Promise<Principal> {
    if (credentials.kind === 'missing') throw AppError.unauthenticated(MISSING_API_KEY);
    if (credentials.kind === 'unsupported-scheme') throw AppError.unauthenticated(UNSUPPORTED_SCHEME);
    if (credentials.kind === 'malformed') throw AppError.unauthenticated(MALFORMED_API_KEY);
    if (credentials.kind === 'bad-checksum') {
      throw AppError.unauthenticated('Invalid API key: its checksum does not match (was it copied whole?)');
    }
    return this.authenticate(em, credentials.key);
  }

  /**
   * The principal behind a well-formed key: one unique-index lookup, then a constant-time check. Every
   * request runs it, so it is plain parameterised SQL rather than an ORM query (a tenth of the cost, measured).
   * Nothing about keys is cached: a revoked key fails on the next request, and an expired one (the old key
   * of a rotation) from its expiry on, by this instance's clock, on every instance. The use is noted for
   * `lastUsedAt`, written later in the background (key-last-used.ts).
   */
  async authenticate(em: EntityManager, key: string): Promise<Principal> {
    const hash = hashApiKey(key, this.secret);
    const sql = sqlOf(em);
    const row = await sql.one<AuthRow>('select id, hash, environment, organisation_id, role, revoked_at, expires_at from api_keys where hash = ?', [hash]);
    if (!row || !hashesEqual(row.hash, hash) || row.revoked_at != null || this.expired(sql.dialect.toDate, row.expires_at)) {
      throw AppError.unauthenticated('Invalid or revoked API key');
    }
    this.lastUsed.note(sql, row.id);
    return { keyId: row.id, organisationId: row.organisation_id, environment: row.environment, role: row.role };
  }

  private expired(toDate: (value: unknown) => Date, expiresAt: unknown): boolean {
    return expiresAt != null && toDate(expiresAt).getTime() <= this.clock.now().getTime();
  }
}
