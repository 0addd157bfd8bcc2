/**
 * API key format: `sk_<env>_<43 base62 chars><6 base62 chars>`: 32 random bytes (256 bits; ≥ 190 required)
 * and a CRC32 checksum of everything before it. The checksum lets a mistyped, truncated or made-up key be
 * refused without a database lookup (CRC32 catches every single-character typo and every swap of two
 * neighbours). Keys issued before it (`sk_<env>_` + 43 chars, "legacy") keep working: they are looked up.
 * Keys are random, so a fast keyed hash (HMAC-SHA256 under the server secret) is the right storage:
 * a slow password hash would cost more than the call it protects and adds nothing against 256 bits.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

import { Environment } from './environment';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SECRET_LENGTH = 43; // ceil(256 / log2(62))
const CHECKSUM_LENGTH = 6; // ceil(32 / log2(62))
const KEY_PATTERN = /^(sk_(test|prod)_[0-9A-Za-z]{43})([0-9A-Za-z]{6})?$/;

/** What a text is as an API key. */
export type KeyShape =
  /** A key with a checksum that matches. */
  | 'checksummed'
  /** A key from before checksums: 43 characters after the prefix, nothing to check. */
  | 'legacy'
  /** Shaped like a checksummed key, but the checksum does not match: mistyped or made up. */
  | 'bad-checksum'
  /** Not an API key at all. */
  | 'malformed';

/** Encodes a number as a fixed-length base62 string (big-endian), so every key has the same length. */
function toBase62(n: bigint, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out;
}

/** The checksum of a key's prefix and secret. */
function checksumOf(body: string): string {
  return toBase62(BigInt(crc32(body)), CHECKSUM_LENGTH);
}

/** Classifies a text as a checksummed key, a legacy key, a key with a wrong checksum, or none. */
export function apiKeyShape(text: string): KeyShape {
  const match = KEY_PATTERN.exec(text);
  if (!match) return 'malformed';
  if (match[3] === undefined) return 'legacy';
  return checksumOf(match[1]) === match[3] ? 'checksummed' : 'bad-checksum';
}

/** True when the text is a usable API key: legacy, or with a matching checksum (says nothing about whether it exists). */
export function isWellFormedApiKey(text: string): boolean {
  const shape = apiKeyShape(text);
  return shape === 'checksummed' || shape === 'legacy';
}

/** True when the text has an API key's outline (prefix and length), whether or not its checksum matches. */
export function looksLikeApiKey(text: string): boolean {
  return KEY_PATTERN.test(text);
}

/** The environment of a usable key, or undefined for any other text. */
export function environmentOfKey(text: string): Environment | undefined {
  if (!isWellFormedApiKey(text)) return undefined;
  return text.startsWith('sk_prod_') ? Environment.PROD : Environment.TEST;
}

/** A new random key for an environment, with its checksum. */
export function generateApiKey(environment: Environment): string {
  const body = `sk_${environment}_${toBase62(BigInt(`0x${randomBytes(32).toString('hex')}`), SECRET_LENGTH)}`;
  return body + checksumOf(body);
}

/** The stored form of a key: hex HMAC-SHA256 under the server secret. */
export function hashApiKey(key: string, secret: string): string {
  return createHmac('sha256', secret).update(key).digest('hex');
}

/** Constant-time comparison of two hex hashes. */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** What may be shown of a key after creation: its environment prefix and first four secret chars. */
export function displayPrefix(key: string): string {
  return key.slice(0, 'sk_test_'.length + 4);
}
