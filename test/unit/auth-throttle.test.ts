/** The failed-authentication throttle on its own: sliding window, Retry-After, address units, trusted keys. */
import { AuthThrottle, throttleKeyOf } from '../../src/http/auth-throttle';
import { ManualClock } from '../../src/shared/clock';

describe('AuthThrottle', () => {
  const limits = { maxFailures: 3, windowMs: 60_000 };

  it('lets an address fail up to the limit, then asks it to wait until its oldest failure leaves the window', () => {
    const clock = new ManualClock();
    const throttle = new AuthThrottle(limits, clock);
    throttle.recordFailure('203.0.113.7');
    clock.advance(10_000);
    throttle.recordFailure('203.0.113.7');
    expect(throttle.retryAfterSeconds('203.0.113.7')).toBeUndefined();
    throttle.recordFailure('203.0.113.7');
    expect(throttle.retryAfterSeconds('203.0.113.7')).toBe(50);
    expect(throttle.retryAfterSeconds('203.0.113.8')).toBeUndefined();

    clock.advance(49_500);
    expect(throttle.retryAfterSeconds('203.0.113.7')).toBe(1);
    clock.advance(500);
    // The first failure left the window: two remain, under the limit.
    expect(throttle.retryAfterSeconds('203.0.113.7')).toBeUndefined();
  });

  it('counts IPv6 clients by their /64 and IPv4-mapped addresses as IPv4', () => {
    expect(throttleKeyOf('2001:db8:1:2::a')).toBe('2001:db8:1:2::/64');
    expect(throttleKeyOf('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(throttleKeyOf('::1')).toBe('0:0:0:0::/64');
    expect(throttleKeyOf('::ffff:198.51.100.4')).toBe('198.51.100.4');
    expect(throttleKeyOf('198.51.100.4')).toBe('198.51.100.4');

    const throttle = new AuthThrottle(limits, new ManualClock());
    for (const host of ['a', 'b', 'c']) throttle.recordFailure(`2001:db8:1:2::${host}`);
    expect(throttle.retryAfterSeconds('2001:db8:1:2::ffff')).toBe(60);
    expect(throttle.retryAfterSeconds('2001:db8:1:3::a')).toBeUndefined();
  });

  it('counts a forwarded "address" that is no address by a digest of bounded size, each text on its own', () => {
    const long = 'x'.repeat(12_000);
    expect(throttleKeyOf(`${long}1`).length).toBeLessThanOrEqual(64);
    expect(throttleKeyOf(`${long}1`)).not.toBe(throttleKeyOf(`${long}2`));
    expect(throttleKeyOf('unknown')).toBe(throttleKeyOf('unknown'));
    expect(throttleKeyOf('unknown')).not.toBe('unknown');

    const throttle = new AuthThrottle(limits, new ManualClock());
    for (let i = 0; i < 3; i++) throttle.recordFailure(`${long}1`);
    expect(throttle.retryAfterSeconds(`${long}1`)).toBe(60);
    expect(throttle.retryAfterSeconds(`${long}2`)).toBeUndefined();
  });

  it('remembers keys that authenticated, and forgets one that failed', () => {
    const throttle = new AuthThrottle(limits, new ManualClock());
    throttle.recordSuccess('sk_test_good');
    expect(throttle.isTrusted('sk_test_good')).toBe(true);
    expect(throttle.isTrusted('sk_test_other')).toBe(false);
    throttle.distrust('sk_test_good');
    expect(throttle.isTrusted('sk_test_good')).toBe(false);
  });

  it('never throttles with a limit of 0', () => {
    const throttle = new AuthThrottle({ maxFailures: 0, windowMs: 60_000 }, new ManualClock());
    for (let i = 0; i < 100; i++) throttle.recordFailure('203.0.113.7');
    expect(throttle.retryAfterSeconds('203.0.113.7')).toBeUndefined();
  });

  it('keeps memory bounded: the least recently seen address is forgotten first', () => {
    const throttle = new AuthThrottle({ maxFailures: 1, windowMs: 60_000 }, new ManualClock());
    throttle.recordFailure('10.0.0.1');
    for (let i = 0; i < 10_000; i++) throttle.recordFailure(`10.1.${i >> 8}.${i & 255}`);
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBeUndefined();
    expect(throttle.retryAfterSeconds('10.1.39.15')).toBe(60);
  });
});
