/**
 * Failed authentications per client address, counted in this process's memory (each instance counts its
 * own; a shared limiter comes later). After `maxFailures` failures within the sliding window an address is
 * refused with 429 until its oldest counted failure leaves the window. IPv6 clients are counted by their
 * /64, which one client can hop across at will.
 *
 * Keys that authenticated recently (from anywhere) are exempt: IVR platforms call from shared egress
 * addresses, so one tenant's misconfigured flow must not lock out every other tenant behind the same
 * address. An exempt key is still looked up, so revocation keeps failing at once. Memory is bounded:
 * the least recently seen address or key is forgotten first.
 */
import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

import type { AuthThrottleLimits } from '../config';
import { systemClock, type Clock } from '../shared/clock';

const MAX_ADDRESSES = 10_000;
const MAX_TRUSTED_KEYS = 10_000;

/**
 * The unit an address is counted in: IPv4 as is, IPv6 by its /64 (IPv4-mapped IPv6 as the IPv4), and
 * anything else by a digest. Behind a trusted proxy the address is read from X-Forwarded-For, which a
 * client can fill with any text up to the header limit: kept as is, 10,000 of 12 KB held 120 MB.
 */
export function throttleKeyOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return `not-an-address:${fingerprint(address)}`;
  const [head, tail = ''] = address.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** Moves a map entry to the end (most recently seen) and forgets the oldest entries past `max`. */
function touch<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value as string);
}

/** Counts failed authentications per address and says when an address must wait. */
export class AuthThrottle {
  /** Per address unit, the times (ms) of its latest failures, oldest first, at most `maxFailures`. */
  private readonly failures = new Map<string, number[]>();
  /** Fingerprints of keys that authenticated recently. */
  private readonly trusted = new Map<string, true>();

  constructor(
    private readonly limits: AuthThrottleLimits,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Seconds until the address may try again, or undefined when it may try now. */
  retryAfterSeconds(address: string): number | undefined {
    const { maxFailures, windowMs } = this.limits;
    if (maxFailures === 0 || this.failures.size === 0) return undefined;
    const times = this.failures.get(throttleKeyOf(address));
    if (!times || times.length < maxFailures) return undefined;
    const waitMs = times[0] + windowMs - this.clock.now().getTime();
    return waitMs > 0 ? Math.ceil(waitMs / 1000) : undefined;
  }

  /** Counts a failed authentication from the address. */
  recordFailure(address: string): void {
    if (this.limits.maxFailures === 0) return;
    const unit = throttleKeyOf(address);
    const now = this.clock.now().getTime();
    const times = (this.failures.get(unit) ?? []).filter((t) => t > now - this.limits.windowMs);
    times.push(now);
    if (times.length > this.limits.maxFailures) times.shift();
    touch(this.failures, unit, times, MAX_ADDRESSES);
  }

  /** Remembers a key that authenticated, so it passes even from an address that is being throttled. */
  recordSuccess(key: string): void {
    touch(this.trusted, fingerprint(key), true, MAX_TRUSTED_KEYS);
  }

  /** Forgets a key that failed (revoked since it was trusted). */
  distrust(key: string): void {
    this.trusted.delete(fingerprint(key));
  }

  /** True when the key authenticated recently. */
  isTrusted(key: string): boolean {
    return this.trusted.has(fingerprint(key));
  }
}

function fingerprint(key: string): string {
  return createHash('sha256').update(key).digest('base64');
}
