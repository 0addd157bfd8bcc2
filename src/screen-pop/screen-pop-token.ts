/**
 * Screen-pop link tokens. A token is 90 bytes in base64url (120 characters, no padding): a 58-byte payload
 * (version, environment, organisation id, customer id, call row id, expiry in epoch seconds) and its
 * HMAC-SHA256. The MAC key is derived from APP_SECRET for this purpose alone, so it never equals the key
 * that hashes API keys, and a token proves nothing anywhere else.
 */
import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';

import { derivedKey } from '../shared/derived-key';
import { isCanonicalUuid } from '../shared/row-id';
import { Environment } from '../tenancy/environment';

/** The format this code writes and accepts. */
export const TOKEN_VERSION = 1;

const PURPOSE = 'caller-memory screen-pop v1';
const UUID_BYTES = 16;
const PAYLOAD_BYTES = 1 + 1 + 3 * UUID_BYTES + 8;
const MAC_BYTES = 32;
const TOKEN_BYTES = PAYLOAD_BYTES + MAC_BYTES;
// 90 bytes is a multiple of 3: every character carries payload bits, none is padding that could vary.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{120}$/;

const ENVIRONMENT_CODES: Record<Environment, number> = { [Environment.TEST]: 1, [Environment.PROD]: 2 };

/** What a token grants: one call of one customer in one organisation and environment, until `expiresAt`. */
export interface ScreenPopClaims {
  organisationId: string;
  environment: Environment;
  customerId: string;
  /** The call's row id (not the platform's call_id). */
  callRowId: string;
  /** Epoch seconds; the token is refused from this second on. */
  expiresAt: number;
}

/** Why a token was refused, or what it grants. */
export type TokenCheck =
  | { ok: true; claims: ScreenPopClaims }
  | { ok: false; reason: 'malformed' | 'version' | 'signature' }
  | { ok: false; reason: 'expired'; claims: ScreenPopClaims };

/** The MAC key for screen-pop links: HMAC-SHA256(APP_SECRET, purpose). */
export function screenPopKey(appSecret: string): KeyObject {
  return derivedKey(appSecret, PURPOSE);
}

function uuidBytes(id: string): Buffer {
  // Row ids and organisation ids are UUIDs in lower-case text form; anything else is a bug of ours.
  if (!isCanonicalUuid(id)) throw new Error('screen-pop tokens carry canonical UUIDs only');
  return Buffer.from(id.replaceAll('-', ''), 'hex');
}

function uuidText(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function mac(key: KeyObject | Buffer, payload: Buffer): Buffer {
  return createHmac('sha256', key).update(payload).digest();
}

/** Signs claims into a token; `version` is for tests of the version check only. */
export function signToken(key: KeyObject | Buffer, claims: ScreenPopClaims, version = TOKEN_VERSION): string {
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload[0] = version;
  payload[1] = ENVIRONMENT_CODES[claims.environment];
  uuidBytes(claims.organisationId).copy(payload, 2);
  uuidBytes(claims.customerId).copy(payload, 2 + UUID_BYTES);
  uuidBytes(claims.callRowId).copy(payload, 2 + 2 * UUID_BYTES);
  payload.writeBigUInt64BE(BigInt(claims.expiresAt), 2 + 3 * UUID_BYTES);
  return Buffer.concat([payload, mac(key, payload)]).toString('base64url');
}

function environmentOf(code: number): Environment | undefined {
  return (Object.keys(ENVIRONMENT_CODES) as Environment[]).find((env) => ENVIRONMENT_CODES[env] === code);
}

/** Checks a token's shape, version and MAC (in constant time), then its expiry against `nowMs`. */
export function verifyToken(key: KeyObject | Buffer, token: string, nowMs: number): TokenCheck {
  if (!TOKEN_SHAPE.test(token)) return { ok: false, reason: 'malformed' };
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== TOKEN_BYTES) return { ok: false, reason: 'malformed' };
  if (bytes[0] !== TOKEN_VERSION) return { ok: false, reason: 'version' };
  const payload = bytes.subarray(0, PAYLOAD_BYTES);
  if (!timingSafeEqual(mac(key, payload), bytes.subarray(PAYLOAD_BYTES))) return { ok: false, reason: 'signature' };
  const environment = environmentOf(payload[1]);
  if (!environment) return { ok: false, reason: 'malformed' };
  const expiry = payload.readBigUInt64BE(2 + 3 * UUID_BYTES);
  const claims: ScreenPopClaims = {
    organisationId: uuidText(payload.subarray(2, 2 + UUID_BYTES)),
    environment,
    customerId: uuidText(payload.subarray(2 + UUID_BYTES, 2 + 2 * UUID_BYTES)),
    callRowId: uuidText(payload.subarray(2 + 2 * UUID_BYTES, 2 + 3 * UUID_BYTES)),
    // Clamped: a signed expiry past what a Date can hold simply never comes.
    expiresAt: expiry > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(expiry),
  };
  if (nowMs >= claims.expiresAt * 1000) return { ok: false, reason: 'expired', claims };
  return { ok: true, claims };
}
