/**
 * The parsers of the configuration's structured values (PUBLIC_URL, SCREEN_POP_FRAME_ANCESTORS,
 * IDENTITY_WEIGHTS, TRUST_PROXY, CORS_ORIGINS): text in, a typed value out, each problem pushed onto `problems` so that
 * config.ts reports them all at once. They read no environment themselves.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

import { DEFAULT_IDENTITY_WEIGHTS, type IdentityWeights } from './identity/confidence';

/** Which proxies to believe about the client's address and protocol (Express's `trust proxy` setting). */
export type TrustProxy = boolean | number | string[];

/**
 * PUBLIC_URL as links are built from it: origin (host in lower case, default port dropped) and path as the
 * URL parser writes them (%-encoded), so the links handed out, the pages' asset paths and the cookie path
 * (all made from this) agree; undefined when the text is no URL.
 */
export function publicUrlParts(text: string): { base: string; path: string; userinfo: boolean } | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  return { base: `${url.origin}${url.pathname}`.replace(/\/+$/, ''), path: url.pathname, userinfo: url.username !== '' || url.password !== '' };
}

/** SCREEN_POP_FRAME_ANCESTORS: space- or comma-separated origins allowed to frame the screen pop (agent desktops). */
export function parseFrameAncestors(text: string | undefined, problems: string[]): string[] {
  const entries = (text ?? '').split(/[\s,]+/).filter(Boolean);
  const bad = entries.filter((e) => !/^https:\/\/(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?$/.test(e) && e !== "'self'");
  if (bad.length > 0) {
    problems.push(`SCREEN_POP_FRAME_ANCESTORS: each entry must be an https origin (https://host, https://*.host) or 'self' (not ${bad.join(', ')})`);
    return [];
  }
  return entries;
}

const weightsSchema = z
  .object({
    customerRef: z.number().min(0).max(1),
    externalId: z.number().min(0).max(1),
    ani: z.object({ mobile: z.number(), unknown: z.number(), landline: z.number(), voip: z.number() }).partial(),
    sharedAniFactor: z.number().min(0).max(1),
    recencyBonus: z.number().min(0).max(1),
    recencyWindowDays: z.number().min(0),
  })
  .partial()
  .strict();

/** IDENTITY_WEIGHTS: a JSON object overriding some of the default weights, e.g. {"externalId":0.5}. */
export function parseWeights(text: string | undefined, problems: string[]): IdentityWeights {
  if (!text) return DEFAULT_IDENTITY_WEIGHTS;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    problems.push('IDENTITY_WEIGHTS: must be a JSON object');
    return DEFAULT_IDENTITY_WEIGHTS;
  }
  const parsed = weightsSchema.safeParse(json);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((i) => `IDENTITY_WEIGHTS.${i.path.join('.')}: ${i.message}`));
    return DEFAULT_IDENTITY_WEIGHTS;
  }
  const { ani, ...rest } = parsed.data;
  return { ...DEFAULT_IDENTITY_WEIGHTS, ...rest, ani: { ...DEFAULT_IDENTITY_WEIGHTS.ani, ...ani } };
}

const PROXY_PRESETS = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One TRUST_PROXY list entry: a preset name, an address, or an address/prefix-length subnet. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_PRESETS.has(entry)) return true;
  const [address, bits, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY, Express's `trust proxy`: unset or `false` trusts no proxy (the client is the socket's peer);
 * `true` trusts every hop; a number trusts that many hops; otherwise a comma-separated list of proxy
 * addresses, subnets or the presets loopback, linklocal, uniquelocal.
 */
export function parseTrustProxy(text: string | undefined, problems: string[]): TrustProxy {
  const value = text?.trim() ?? '';
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
  const bad = entries.filter((entry) => !isProxyAddress(entry));
  if (bad.length > 0 || entries.length === 0) {
    problems.push(`TRUST_PROXY: must be true, false, a hop count, or a comma-separated list of addresses, subnets, loopback, linklocal or uniquelocal (not ${bad.join(', ') || 'empty'})`);
    return false;
  }
  return entries;
}

/** The origins whose pages may call /graphql and /v1 from a browser: every origin (`*`), or a list (empty: none). */
export type CorsOrigins = '*' | string[];

/** An origin as browsers send it (lower-case scheme and host, no default port), or undefined when the entry is none. */
function exactOrigin(entry: string): string | undefined {
  // Scheme, host and an optional port, nothing after but one slash: no path, query, user or wildcard.
  if (!/^https?:\/\/[^/?#@*\s]+\/?$/i.test(entry)) return undefined;
  try {
    return new URL(entry).origin;
  } catch {
    return undefined;
  }
}

/**
 * What is wrong with a postgres:// DATABASE_URL before any connection is tried (a URL that does not parse,
 * a user name or password whose percent-encoding is broken, no database name), or undefined when nothing is.
 */
export function postgresUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a valid URL (host and port as host:5432, a password with @ : / # ? % written percent-encoded)';
  }
  try {
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    return 'has a user name or password with a broken %-escape (write % as %25)';
  }
  if (url.pathname.replace(/^\//, '') === '') return 'names no database: add it as the path, postgres://user@host:5432/<database>';
  return undefined;
}

/**
 * CORS_ORIGINS: comma-separated origins (https://app.example.com, http://localhost:5173) whose pages may call
 * the API, or `*` alone for every origin; unset or empty, none may.
 */
export function parseCorsOrigins(text: string | undefined, problems: string[]): CorsOrigins {
  const entries = (text ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  if (entries.includes('*')) {
    if (entries.length === 1) return '*';
    problems.push('CORS_ORIGINS: * allows every origin and must stand alone');
    return [];
  }
  const origins = entries.map(exactOrigin);
  const bad = entries.filter((_entry, i) => origins[i] === undefined);
  if (bad.length > 0) {
    problems.push(`CORS_ORIGINS: each entry must be an origin such as https://app.example.com (scheme, host, optional port; no path or wildcard), or * alone (not ${bad.join(', ')})`);
    return [];
  }
  return [...new Set(origins as string[])];
}
