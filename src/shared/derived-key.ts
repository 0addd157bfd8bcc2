/**
 * Keys for one purpose each, derived from the server secret (APP_SECRET): HMAC-SHA256(secret, purpose).
 * A value made under one purpose's key (a screen-pop link, a session hash, a CSRF token) proves nothing
 * under another's, nor against the API keys' hashes, which use the secret itself.
 */
import { createHmac } from 'node:crypto';

/** The key for `purpose` (a fixed text naming the use and its version). */
export function derivedKey(appSecret: string, purpose: string): Buffer {
  return createHmac('sha256', appSecret).update(purpose).digest();
}
