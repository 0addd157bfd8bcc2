/**
 * Finds the API key in a request's headers, in the ways clients send it (contract §1):
 * `Authorization: Bearer <key>`, `X-Api-Key: <key>`, HTTP Basic with the key as user name or password, or
 * (lenient, like the rest of the wire format) the bare key as the whole `Authorization` value.
 */
import { apiKeyShape, looksLikeApiKey } from './api-key-format';

/**
 * What the headers hold: nothing, an Authorization scheme we do not take, something that is no key, a key
 * whose checksum does not match (all refused without a lookup), or a usable key (to look up).
 */
export type Credentials =
  | { kind: 'missing' }
  | { kind: 'unsupported-scheme' }
  | { kind: 'malformed' }
  | { kind: 'bad-checksum' }
  | { kind: 'key'; key: string };

/** The realm of every challenge: one protection space for the REST shim and GraphQL. */
const REALM = 'caller-memory';

/** The documented way (RFC 6750). */
export const BEARER_CHALLENGE = `Bearer realm="${REALM}"`;

/** For clients that send credentials only once challenged for Basic (curl --anyauth, some IVR HTTP modules); RFC 7617. */
export const BASIC_CHALLENGE = `Basic realm="${REALM}", charset="UTF-8"`;

/** A 401's WWW-Authenticate: both challenges in one field, comma-separated (RFC 9110 §11.6.1). */
export const API_CHALLENGES = `${BEARER_CHALLENGE}, ${BASIC_CHALLENGE}`;

/** Reads one request header by name (Express's `req.get`). */
export type HeaderReader = (name: string) => string | undefined;

/**
 * True when a browser sent the request: every current browser sends fetch metadata (`Sec-Fetch-*`) with
 * every request; IVR platforms, curl and server-side HTTP clients send none. (`Accept: text/html` is no
 * sign of a browser: Java's HttpURLConnection sends it by default.)
 */
export function fromBrowser(header: HeaderReader): boolean {
  return ['sec-fetch-mode', 'sec-fetch-site', 'sec-fetch-dest'].some((name) => header(name) !== undefined);
}

/**
 * The challenges for a request: Bearer alone to a browser (a page's script or a navigation). A Basic
 * challenge would make the browser ask for a user name and password, and the browser then re-sends what
 * was typed with later requests to this host, other sites' forms included (http/authenticate.ts refuses
 * Basic credentials on those).
 */
export function challengesFor(header: HeaderReader): string {
  return fromBrowser(header) ? BEARER_CHALLENGE : API_CHALLENGES;
}

/** True when the Authorization value uses the Basic scheme (whatever it holds). */
export function sentAsBasic(authorization: string | undefined): boolean {
  return /^\s*basic(\s|$)/i.test(authorization ?? '');
}

function fromBasic(encoded: string): string | undefined {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const parts = colon === -1 ? [decoded] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
  return parts.map((p) => p.trim()).find(looksLikeApiKey);
}

/** The key candidate in an Authorization value, or undefined for a scheme we do not take. */
function fromAuthorization(value: string): string | undefined {
  const [scheme, ...rest] = value.split(/\s+/);
  if (/^bearer$/i.test(scheme)) return rest.join(' ');
  if (/^basic$/i.test(scheme)) return fromBasic(rest.join(' ')) ?? '';
  // A bare key (`Authorization: sk_test_…`): some platforms have a field for "the Authorization header".
  if (rest.length === 0 && looksLikeApiKey(scheme)) return scheme;
  return undefined;
}

/** Reads the credentials from the Authorization and X-Api-Key header values. */
export function readCredentials(authorization?: string, xApiKey?: string): Credentials {
  let candidate: string | undefined;
  if (authorization?.trim()) {
    candidate = fromAuthorization(authorization.trim());
    if (candidate === undefined) return { kind: 'unsupported-scheme' };
  } else if (xApiKey?.trim()) {
    candidate = xApiKey.trim();
  }
  if (candidate === undefined) return { kind: 'missing' };
  const shape = apiKeyShape(candidate);
  if (shape === 'malformed') return { kind: 'malformed' };
  if (shape === 'bad-checksum') return { kind: 'bad-checksum' };
  return { kind: 'key', key: candidate };
}
