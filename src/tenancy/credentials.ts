/**
 * Finds the API key in a request's headers, in the three ways clients send it (contract §1):
 * `Authorization: Bearer <key>`, `X-Api-Key: <key>`, or HTTP Basic with the key as user name or password.
 */
import { apiKeyShape, looksLikeApiKey } from './api-key-format';

/**
 * What the headers hold: nothing, something that is no key, a key whose checksum does not match (both
 * refused without a lookup), or a usable key (to look up).
 */
export type Credentials = { kind: 'missing' } | { kind: 'malformed' } | { kind: 'bad-checksum' } | { kind: 'key'; key: string };

function fromBasic(encoded: string): string | undefined {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const parts = colon === -1 ? [decoded] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
  return parts.map((p) => p.trim()).find(looksLikeApiKey);
}

/** Reads the credentials from the Authorization and X-Api-Key header values. */
export function readCredentials(authorization?: string, xApiKey?: string): Credentials {
  let candidate: string | undefined;
  if (authorization?.trim()) {
    const [scheme, ...rest] = authorization.trim().split(/\s+/);
    const value = rest.join(' ');
    if (/^bearer$/i.test(scheme)) candidate = value;
    else if (/^basic$/i.test(scheme)) candidate = fromBasic(value) ?? '';
    else candidate = '';
  } else if (xApiKey?.trim()) {
    candidate = xApiKey.trim();
  }
  if (candidate === undefined) return { kind: 'missing' };
  const shape = apiKeyShape(candidate);
  if (shape === 'malformed') return { kind: 'malformed' };
  if (shape === 'bad-checksum') return { kind: 'bad-checksum' };
  return { kind: 'key', key: candidate };
}
