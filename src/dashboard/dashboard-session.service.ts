/**
 * Dashboard sign-ins, kept in the database (every instance knows them; sign-out ends one for good). A
 * session acts for its admin key: it ends when it expires, when it is signed out, and at the next request
 * after its key is revoked. Expired rows are deleted when presented and swept at every sign-in.
 */
import type { EntityManager } from '@mikro-orm/core';

import type { Clock } from '../shared/clock';
import { canonicalTimeZone } from '../shared/time-zone';
import { ApiKeyRole } from '../tenancy/api-key-role';
import { ApiKey } from '../tenancy/api-key.entity';
import type { Principal } from '../tenancy/api-key.service';
import type { Environment, Tenant } from '../tenancy/environment';
import { DashboardSession } from './dashboard-session.entity';
import type { SessionTokens } from './session-tokens';

/** A live session and what the dashboard shows about whom it acts for. */
export interface ActiveSession {
  id: string;
  keyId: string;
  tenant: Tenant;
  environment: Environment;
  organisationName: string;
  /** The organisation's IANA time zone: what "a day" is. */
  timeZone: string;
  expiresAt: Date;
}

/** What a session cookie turned out to be. */
export type SessionLookup =
  | { state: 'active'; session: ActiveSession }
  /** No cookie, a cookie we never issued, or a session already signed out. */
  | { state: 'none' }
  | { state: 'expired' }
  /** Its key was revoked (or is no longer admin). */
  | { state: 'revoked' };

/** A new sign-in: the cookie's token (never stored) and when it ends. */
export interface NewSession {
  token: string;
  expiresAt: Date;
}

/** Signs in, looks up and signs out dashboard sessions. */
export class DashboardSessionService {
  constructor(
    private readonly tokens: SessionTokens,
    private readonly ttlMs: number,
    private readonly clock: Clock,
  ) {}

  /**
   * A new session for an admin principal, under a fresh token: a token held before sign-in is never
   * reused, and the session it named (if any) ends here.
   */
  async signIn(em: EntityManager, principal: Principal, previousToken: string | undefined): Promise<NewSession> {
    const now = this.clock.now();
    await em.nativeDelete(DashboardSession, { expiresAt: { $lte: now } });
    if (this.tokens.isWellFormed(previousToken)) await this.signOut(em, previousToken);
    const token = this.tokens.newToken();
    const expiresAt = new Date(now.getTime() + this.ttlMs);
    em.create(DashboardSession, {
      tokenHash: this.tokens.hashToken(token),
      apiKey: em.getReference(ApiKey, principal.keyId),
      createdAt: now,
      expiresAt,
    });
    await em.flush();
    return { token, expiresAt };
  }

  /** The session a cookie names; an expired one is deleted, and a revoked key's sessions all end. */
  async lookup(em: EntityManager, token: string | undefined): Promise<SessionLookup> {
    if (!this.tokens.isWellFormed(token)) return { state: 'none' };
    const session = await em.findOne(DashboardSession, { tokenHash: this.tokens.hashToken(token) }, { populate: ['apiKey.organisation'] });
    if (!session) return { state: 'none' };
    if (session.expiresAt.getTime() <= this.clock.now().getTime()) {
      await em.nativeDelete(DashboardSession, { id: session.id });
      return { state: 'expired' };
    }
    const key = session.apiKey;
    if (key.revokedAt != null || key.role !== ApiKeyRole.ADMIN) {
      await em.nativeDelete(DashboardSession, { apiKey: key.id });
      return { state: 'revoked' };
    }
    const organisation = key.organisation;
    return {
      state: 'active',
      session: {
        id: session.id,
        keyId: key.id,
        tenant: { organisationId: organisation.id, environment: key.environment },
        environment: key.environment,
        organisationName: organisation.name,
        // As the metrics count days: a stored name this runtime does not know means UTC (never a 500).
        timeZone: canonicalTimeZone(organisation.timeZone) ?? 'UTC',
        expiresAt: session.expiresAt,
      },
    };
  }

  /** Ends the session a token names, if any. */
  async signOut(em: EntityManager, token: string | undefined): Promise<void> {
    if (!this.tokens.isWellFormed(token)) return;
    await em.nativeDelete(DashboardSession, { tokenHash: this.tokens.hashToken(token) });
  }
}
