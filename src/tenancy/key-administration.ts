/**
 * Key administration by admin keys (GraphQL `createApiKey`, `apiKeys`, `revokeApiKey`, `rotateApiKey`),
 * within the calling key's organisation, on top of ApiKeyService (which the `keys` CLI uses too).
 *
 * Environments: a prod admin key manages the keys of both environments of its organisation; a test admin key
 * only test keys. Test keys are handed to developers and test systems; one of them must never mint, revoke or
 * rotate production credentials. A key the caller may not manage is answered as unknown (NOT_FOUND), as are
 * other organisations' keys, so ids never tell whether they exist elsewhere.
 */
import type { EntityManager, FilterQuery } from '@mikro-orm/core';

import { AppError } from '../errors/app-error';
import type { Clock } from '../shared/clock';
import { ApiKeyRole } from './api-key-role';
import { ApiKey } from './api-key.entity';
import type { ApiKeyService, CreatedKey, Principal } from './api-key.service';
import { Environment } from './environment';
import { Organisation } from './organisation.entity';

/** Most keys an organisation may have working at once (neither revoked nor expired); creating more is refused. */
export const MAX_LIVE_KEYS = 100;
/** Most revoked or expired keys `apiKeys` lists (newest first) besides the working ones. */
export const MAX_LISTED_ENDED = 100;
/** Longest overlap of a rotation: the old key works at most this long after it. */
export const MAX_OVERLAP_SECONDS = 7 * 24 * 60 * 60;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a new key is to be. */
export interface NewKey {
  name: string;
  /** The caller's environment when absent. */
  environment?: Environment | null;
  role?: ApiKeyRole | null;
}

/** Refuses keys that are not admin keys (FORBIDDEN), before anything is read or written. */
export function requireAdmin(principal: Principal, operation: string): void {
  if (principal.role !== ApiKeyRole.ADMIN) throw AppError.forbidden(`${operation} needs an admin API key`);
}

/** Refuses test admin keys for what changes the whole organisation, production included. */
export function requireProductionAdmin(principal: Principal, operation: string): void {
  requireAdmin(principal, operation);
  if (principal.environment !== Environment.PROD) {
    throw AppError.forbidden(`${operation} changes the whole organisation, production included: it needs a prod admin API key (sk_prod_…)`);
  }
}

/** The environments whose keys the principal manages. */
export function manageableEnvironments(principal: Principal): Environment[] {
  return principal.environment === Environment.PROD ? [Environment.TEST, Environment.PROD] : [Environment.TEST];
}

/** Key administration for one admin principal. */
export class KeyAdministration {
  constructor(
    private readonly keys: ApiKeyService,
    private readonly clock: Clock,
    private readonly em: EntityManager,
    private readonly principal: Principal,
  ) {}

  /** The organisation's keys the caller manages: every working one, then the newest ended ones. */
  async list(): Promise<ApiKey[]> {
    const now = this.clock.now();
    const scope = this.scope();
    const live = await this.em.find(ApiKey, { $and: [scope, liveAt(now)] }, { orderBy: { createdAt: 'desc', id: 'desc' } });
    const ended = await this.em.find(
      ApiKey,
      { $and: [scope, { $or: [{ revokedAt: { $ne: null } }, { expiresAt: { $lte: now } }] }] },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: MAX_LISTED_ENDED },
    );
    return [...live, ...ended];
  }

  /** Creates a key; its secret is in the answer only. */
  async create(input: NewKey): Promise<CreatedKey> {
    const environment = input.environment ?? this.principal.environment;
    if (!manageableEnvironments(this.principal).includes(environment)) {
      throw AppError.forbidden('A test admin key creates test keys only; create prod keys with a prod admin key (sk_prod_…)');
    }
    await this.refuseOverLiveLimit();
    const organisation = this.em.getReference(Organisation, this.principal.organisationId);
    return this.keys.createKey(this.em, organisation, environment, input.name, input.role ?? ApiKeyRole.STANDARD);
  }

  /**
   * Revokes a key: it fails from the next request on, on every instance. Revoking the key making the
   * request is refused (a key that locks itself out, possibly the organisation's last admin key, is never
   * what was meant): revoke it with another admin key, or rotate it with an overlap of 0.
   */
  async revoke(id: string): Promise<ApiKey> {
    const apiKey = await this.managedKey(id);
    if (apiKey.id === this.principal.keyId) {
      throw AppError.validation([{ path: ['id'], message: 'This is the key making the request: revoke it with another admin key, or rotate it (rotateApiKey) to replace it' }]);
    }
    apiKey.revokedAt ??= this.clock.now();
    await this.em.flush();
    return apiKey;
  }

  /** Rotates a working key: a new one like it, and the old one expiring after the overlap. */
  async rotate(id: string, overlapSeconds: number): Promise<{ created: CreatedKey; previous: ApiKey }> {
    const previous = await this.managedKey(id);
    const now = this.clock.now();
    if (previous.revokedAt || (previous.expiresAt && previous.expiresAt <= now)) {
      throw AppError.conflict('This key is revoked or expired: create a new key instead (createApiKey)');
    }
    await this.refuseOverLiveLimit();
    const created = await this.keys.rotateKey(this.em, previous, overlapSeconds * 1000);
    return { created, previous };
  }

  /** A key of the organisation that the caller manages, or NOT_FOUND (malformed ids included). */
  private async managedKey(id: string): Promise<ApiKey> {
    const apiKey = UUID.test(id) ? await this.em.findOne(ApiKey, { $and: [{ id }, this.scope()] }) : null;
    if (!apiKey) throw AppError.notFound(`No API key with id ${JSON.stringify(id.slice(0, 64))} in this organisation`);
    return apiKey;
  }

  private scope(): FilterQuery<ApiKey> {
    return { organisation: this.principal.organisationId, environment: { $in: manageableEnvironments(this.principal) } };
  }

  private async refuseOverLiveLimit(): Promise<void> {
    const live = await this.em.count(ApiKey, { $and: [{ organisation: this.principal.organisationId }, liveAt(this.clock.now())] });
    if (live >= MAX_LIVE_KEYS) {
      throw AppError.conflict(`The organisation already has ${MAX_LIVE_KEYS} working keys: revoke unused ones first (revokeApiKey)`);
    }
  }
}

/** Keys that work at `now`: not revoked, not expired. */
function liveAt(now: Date): FilterQuery<ApiKey> {
  return { revokedAt: null, $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] };
}
