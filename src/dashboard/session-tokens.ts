/**
 * The dashboard's secrets: session tokens (random, stored only as a keyed hash) and CSRF tokens (HMACs the
 * server can recompute, so nothing more is stored). Each purpose has its own key derived from APP_SECRET,
 * so a value made for one purpose is worthless for another and for the API keys' hashes.
 */
import { createHmac, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';

import { derivedKey } from '../shared/derived-key';

/** A token's shape: 32 random bytes, base64url (43 characters). Anything else is refused unread. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

function hmac(key: KeyObject, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}

/** Constant-time comparison of two texts (false for different lengths). */
function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Makes and checks the dashboard's tokens. */
export class SessionTokens {
  private readonly sessionKey: KeyObject;
  private readonly csrfKey: KeyObject;

  constructor(appSecret: string) {
    this.sessionKey = derivedKey(appSecret, 'caller-memory/dashboard-session/v1');
    this.csrfKey = derivedKey(appSecret, 'caller-memory/dashboard-csrf/v1');
  }

  /** A new random token (a session cookie, or the sign-in form's nonce). */
  newToken(): string {
    return randomBytes(32).toString('base64url');
  }

  /** True when the text has the shape of a token we issue. */
  isWellFormed(token: string | undefined): token is string {
    return token !== undefined && TOKEN_SHAPE.test(token);
  }

  /** What the database keeps of a session token: its HMAC, hex (64 characters). */
  hashToken(token: string): string {
    return createHmac('sha256', this.sessionKey).update(token).digest('hex');
  }

  /** The CSRF token of the signed-in forms: an HMAC of the session's id. */
  sessionCsrf(sessionId: string): string {
    return hmac(this.csrfKey, `session:${sessionId}`);
  }

  /** True when `token` is the CSRF token of this session. */
  checkSessionCsrf(sessionId: string, token: string | undefined): boolean {
    return token !== undefined && sameText(token, this.sessionCsrf(sessionId));
  }

  /** The sign-in form's CSRF token: an HMAC of the nonce in its (HttpOnly) cookie, a signed double submit. */
  signInCsrf(nonce: string): string {
    return hmac(this.csrfKey, `sign-in:${nonce}`);
  }

  /** True when the form's token matches the nonce cookie. */
  checkSignInCsrf(nonce: string | undefined, token: string | undefined): boolean {
    return this.isWellFormed(nonce) && token !== undefined && sameText(token, this.signInCsrf(nonce));
  }
}
