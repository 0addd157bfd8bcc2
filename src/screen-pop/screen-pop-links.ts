/**
 * The absolute screen-pop link of a call: `<base>/screen-pop/<token>`. The base is PUBLIC_URL, or until
 * one is set the request's own protocol and host (Express's, so TRUST_PROXY decides whether
 * X-Forwarded-Proto / X-Forwarded-Host count). The expiry counts from the call's start, so a replayed
 * start signs the very same token.
 */
import type { KeyObject } from 'node:crypto';

import type { Clock } from '../shared/clock';
import type { Environment } from '../tenancy/environment';
import { screenPopKey, signToken, verifyToken, type TokenCheck } from './screen-pop-token';

/** What the links need from the configuration. */
export interface ScreenPopLinkSettings {
  appSecret: string;
  /** How long a link stays valid after its call started, in milliseconds. */
  ttlMs: number;
  /** PUBLIC_URL without a trailing slash, if set. */
  publicUrl?: string;
}

/** The parts of a call a link names. */
export interface LinkedCall {
  id: string;
  organisationId: string;
  environment: Environment;
  customer: { id: string };
  startedAt: Date;
}

/** The absolute links of one request (GraphQL context, REST shim). */
export interface RequestLinks {
  /** `https://host` or PUBLIC_URL, no trailing slash. */
  base: string;
  /** The screen-pop link of a call. */
  screenPopUrl(call: LinkedCall): string;
}

/** The parts of a request a base is built from (an Express request has them). */
export interface RequestOrigin {
  protocol: string;
  host?: string | undefined;
}

// A host name, IPv4 or bracketed IPv6 address, and an optional port: nothing that could end the authority.
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** Signs and checks screen-pop links. */
export class ScreenPopLinks {
  private readonly key: KeyObject;

  constructor(
    private readonly settings: ScreenPopLinkSettings,
    private readonly clock: Clock,
  ) {
    this.key = screenPopKey(settings.appSecret);
  }

  /** The base of links handed out in answer to this request. */
  baseFor(req: RequestOrigin): string {
    if (this.settings.publicUrl) return this.settings.publicUrl;
    const protocol = req.protocol === 'https' ? 'https' : 'http';
    // Without a usable Host header there is no right answer; PUBLIC_URL is the fix (see the README).
    const host = req.host && HOST.test(req.host) ? req.host.toLowerCase() : 'localhost';
    return `${protocol}://${host}`;
  }

  /** The links handed out in answer to one request: its base, fixed for the request. */
  forRequest(req: RequestOrigin): RequestLinks {
    const base = this.baseFor(req);
    return { base, screenPopUrl: (call) => this.urlFor(base, call) };
  }

  /** The call's link under `base`; the same call always gets the same link. */
  urlFor(base: string, call: LinkedCall): string {
    const token = signToken(this.key, {
      organisationId: call.organisationId,
      environment: call.environment,
      customerId: call.customer.id,
      callRowId: call.id,
      expiresAt: Math.floor((call.startedAt.getTime() + this.settings.ttlMs) / 1000),
    });
    return `${base}/screen-pop/${token}`;
  }

  /** Checks a token from a link against the key and the clock. */
  check(token: string): TokenCheck {
    return verifyToken(this.key, token, this.clock.now().getTime());
  }
}
