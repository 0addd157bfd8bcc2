/**
 * API key format: `sk_<env>_<43 base62 chars>`, i.e. 32 random bytes (256 bits; ≥ 190 required).
 * Keys are random, so a fast keyed hash (HMAC-SHA256 under the server secret) is the right storage:
 * a slow password hash would cost more than the call it protects and adds nothing against 256 bits.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

import { Environment } from './environment';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SECRET_LENGTH = 43; // ceil(256 / log2(62))
const KEY_PATTERN = /^sk_(test|prod)_([0-9A-Za-z]{43})$/;

/** Encodes bytes as a fixed-length base62 string (big-endian), so every key has the same length. */
function toBase62(bytes: Buffer, length: number): string {
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out;
}

/** True when the text has the shape of an API key (says nothing about whether it exists). */
export function isWellFormedApiKey(text: string): boolean {
  return KEY_PATTERN.test(text);
}

/** The environment a well-formed key belongs to, or undefined for a malformed one. */
export function environmentOfKey(text: string): Environment | undefined {
  const match = KEY_PATTERN.exec(text);
  if (!match) return undefined;
  return match[1] === 'prod' ? Environment.PROD : Environment.TEST;
}

/** A new random key for an environment. */
export function generateApiKey(environment: Environment): string {
  return `sk_${environment}_${toBase62(randomBytes(32), SECRET_LENGTH)}`;
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
