/**
 * Primary keys: time-ordered UUIDs (version 7, RFC 9562): 48 bits of Unix milliseconds, then random bits.
 * New rows then land at the end of each primary-key index and of the customer_id indexes of a new
 * customer's rows, instead of on a random page each: fewer pages written per commit, and an index that
 * stays in cache as the tables grow. Refs handed to platforms (customer_ref) stay random (version 4).
 */
import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 16 * 256;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

/** A new version-7 UUID, lower case. */
export function newRowId(now = Date.now()): string {
  if (offset === POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + 16);
  offset += 16;
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True for a UUID in its lower-case text form, the form row ids and stored refs take. */
export function isCanonicalUuid(text: string): boolean {
  return CANONICAL_UUID.test(text);
}
