/**
 * Leases of counts (limits/counter-leases.ts) through OrganisationRateLimiter, over a fake store that records
 * every call: far from its limit, an organisation with a large quota costs one store add of L counts per L
 * requests (after each window's first, exact, add); near the limit, one add per request again, refusing
 * exactly at the quota. With no earlier window, a request's rolling count is its count, so the RateLimit
 * `remaining` (quota − count) shows the count each request was given.
 */
import { CounterLeases, leaseSize, MAX_LEASED_ORGANISATIONS } from '../../src/limits/counter-leases';
import { OrganisationRateLimiter, type RateDecision } from '../../src/limits/organisation-rate-limiter';
import { admittedPerWindow } from '../../src/limits/sliding-window';
import type { Counted, WindowCounters } from '../../src/limits/window-counters';

const MINUTE = 60_000;
const ORG = 'org-1';
const KEY = `${ORG}:60s:10`;

/** A store recording its calls; with `hold`, adds wait until `answer()`. */
class RecordingStore implements WindowCounters {
  readonly calls: Array<[string, string, number?]> = [];
  readonly counts = new Map<string, number>();
  hold = false;
  failNext = false;
  private release: Array<() => void> = [];

  add(key: string, by = 1): Promise<Counted> {
    this.calls.push(['add', key, by]);
    const settle = (resolve: (counted: Counted) => void, reject: (error: unknown) => void) => {
      if (this.failNext) {
        this.failNext = false;
        reject(new Error('store down'));
        return;
      }
      resolve({ count: this.bump(key, by), fallback: false });
    };
    return new Promise((resolve, reject) => {
      if (this.hold) this.release.push(() => settle(resolve, reject));
      else settle(resolve, reject);
    });
  }

  async read(key: string): Promise<Counted> {
    return { count: this.counts.get(key) ?? 0, fallback: false };
  }

  async undo(key: string): Promise<void> {
    this.calls.push(['undo', key]);
    this.bump(key, -1);
  }

  bump(key: string, by: number): number {
    const count = (this.counts.get(key) ?? 0) + by;
    this.counts.set(key, count);
    return count;
  }

  /** The sizes of the adds of `key`, in order. */
  adds(key = KEY): number[] {
    return this.calls.filter(([call, k]) => call === 'add' && k === key).map(([, , by]) => by ?? 1);
  }

  /** Answers every add out now; resolves once their callers have run. */
  async answer(): Promise<void> {
    const now = this.release;
    this.release = [];
    now.forEach((go) => go());
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A limiter over the store with a one-minute window, 1 s into window 10 (unless `clock` moves it). */
function limiterOn(store: RecordingStore, clock = { now: 10 * MINUTE + 1000 }): OrganisationRateLimiter {
  return new OrganisationRateLimiter({ counters: store, kind: 'memory', close: async () => undefined }, MINUTE, () => clock.now);
}

/** A limiter that counted the window's first request exactly and holds the lease 2…65; the store then holds its adds. */
async function holdingTheFirstLease(store: RecordingStore): Promise<OrganisationRateLimiter> {
  const limiter = limiterOn(store);
  await limiter.check(ORG, 60_000);
  await limiter.check(ORG, 60_000);
  store.hold = true;
  return limiter;
}

/** The count a decision was made on (no earlier window: the rolling count is the count). */
const countOf = (decision: RateDecision): number => decision.quota - decision.remaining;

async function sequential(limiter: OrganisationRateLimiter, limit: number, n: number): Promise<RateDecision[]> {
  const decisions: RateDecision[] = [];
  for (let i = 0; i < n; i++) decisions.push(await limiter.check(ORG, limit));
  return decisions;
}

describe('leases of counts for organisations far from their limit', () => {
  it.each([
    [1999, 1],
    [2000, 2],
    [2200, 2],
    [64_000, 64],
    [66_000, 64],
    [10_000_000, 64],
  ])('sizes the lease of a quota of %i as %i (one count per 1,000 of quota, at most 64)', (quota, size) => {
    expect(leaseSize(quota)).toBe(size);
  });

  it('counts the window’s first request exactly, then makes ceil(N/L) adds of L for N requests, with consecutive counts', async () => {
    const store = new RecordingStore();
    const decisions = await sequential(limiterOn(store), 60_000, 201);
    expect(admittedPerWindow(60_000)).toBe(66_000);
    expect(store.adds()).toEqual([1, 64, 64, 64, 64]);
    expect(decisions.map(countOf)).toEqual(Array.from({ length: 201 }, (_, i) => i + 1));
    expect(decisions.every((d) => d.admitted)).toBe(true);
  });

  it('gives a leased request its place in the lease, whatever other instances counted meanwhile', async () => {
    const store = new RecordingStore();
    const [a, b] = [limiterOn(store), limiterOn(store)];
    const counts: Record<string, number[]> = { a: [], b: [] };
    for (let i = 0; i < 3; i++) {
      counts.a.push(countOf(await a.check(ORG, 60_000)));
      counts.b.push(countOf(await b.check(ORG, 60_000)));
    }
    // A: exact 1, then the lease 3…66; B: exact 2, then the lease 67…130.
    expect(counts).toEqual({ a: [1, 3, 4], b: [2, 67, 68] });
    expect(store.adds()).toEqual([1, 1, 64, 64]);
  });

  it('decides at once (checkNow) while a lease has counts left and the previous window is known, in order with check, and leaves the rest to check', async () => {
    const store = new RecordingStore();
    const limiter = limiterOn(store);
    // Nothing known yet: the window's first request goes through check.
    expect(limiter.checkNow(ORG, 60_000)).toBeUndefined();
    await limiter.check(ORG, 60_000);
    // No lease held yet: check reserves one.
    expect(limiter.checkNow(ORG, 60_000)).toBeUndefined();
    await limiter.check(ORG, 60_000);
    const now = Array.from({ length: 63 }, () => limiter.checkNow(ORG, 60_000));
    expect(now.map((decision) => decision && countOf(decision))).toEqual(Array.from({ length: 63 }, (_, i) => i + 3));
    expect(now.every((decision) => decision?.admitted)).toBe(true);
    // The lease is used up: the next takes a new one through check, with the next count.
    expect(limiter.checkNow(ORG, 60_000)).toBeUndefined();
    expect(countOf(await limiter.check(ORG, 60_000))).toBe(66);
    expect(store.adds()).toEqual([1, 64, 64]);
    // Quotas that never lease are always left to check.
    await limiter.check('org-small', 100);
    await limiter.check('org-small', 100);
    expect(limiter.checkNow('org-small', 100)).toBeUndefined();
  });

  it('reserves the next lease once half the lease is handed out, so requests are still decided at once while it is out', async () => {
    const store = new RecordingStore();
    const limiter = await holdingTheFirstLease(store);
    const firstHalf = Array.from({ length: 30 }, () => limiter.checkNow(ORG, 60_000));
    expect(store.adds()).toEqual([1, 64]);
    const secondHalf = Array.from({ length: 33 }, () => limiter.checkNow(ORG, 60_000));
    // The reservation ahead went out when 32 counts were left, and is still out.
    expect(store.adds()).toEqual([1, 64, 64]);
    expect([...firstHalf, ...secondHalf].map((decision) => decision && countOf(decision))).toEqual(Array.from({ length: 63 }, (_, i) => i + 3));
    // The lease is used up and the spare not yet in: the next request waits for it, and gets its first count.
    expect(limiter.checkNow(ORG, 60_000)).toBeUndefined();
    const waiting = limiter.check(ORG, 60_000);
    await store.answer();
    expect(countOf(await waiting)).toBe(66);
    expect(limiter.checkNow(ORG, 60_000)).toMatchObject({ admitted: true, remaining: admittedPerWindow(60_000) - 67 });
  });

  it('hands out the lease before the spare that answered early, and fails no request when a reservation ahead fails', async () => {
    const store = new RecordingStore();
    const limiter = await holdingTheFirstLease(store);
    store.failNext = true;
    for (let i = 0; i < 32; i++) limiter.checkNow(ORG, 60_000); // counts 3…34; the reservation ahead goes out
    await store.answer(); // and fails
    // The next count handed out reserves again; that one answers (66…129) while the lease still has counts.
    expect(countOf(limiter.checkNow(ORG, 60_000)!)).toBe(35);
    await store.answer();
    expect(store.adds()).toEqual([1, 64, 64, 64]);
    const counts = Array.from({ length: 40 }, () => countOf(limiter.checkNow(ORG, 60_000)!));
    expect(counts).toEqual(Array.from({ length: 40 }, (_, i) => i + 36));
  });

  it('leaves a request near the limit to check, which counts it exactly', async () => {
    const store = new RecordingStore();
    const limiter = limiterOn(store);
    const limit = 2000;
    const quota = admittedPerWindow(limit);
    store.counts.set(KEY, quota - 150);
    await limiter.check(ORG, limit);
    expect(limiter.checkNow(ORG, limit)).toBeUndefined();
    await limiter.check(ORG, limit);
    expect(store.adds()).toEqual([1, 1]);
  });

  it('makes the requests that arrive while a reservation is out share it, and those left over trigger the next', async () => {
    const store = new RecordingStore();
    const limiter = limiterOn(store);
    await limiter.check(ORG, 60_000);
    store.hold = true;
    const burst = Array.from({ length: 100 }, () => limiter.check(ORG, 60_000));
    expect(store.adds()).toEqual([1, 64]);
    await store.answer();
    expect(store.adds()).toEqual([1, 64, 64]);
    await store.answer();
    expect((await Promise.all(burst)).map(countOf)).toEqual(Array.from({ length: 100 }, (_, i) => i + 2));
    expect(store.adds()).toEqual([1, 64, 64]);
  });

  it('goes back to one add per request near the limit and refuses at the quota, less the spare lease still counted', async () => {
    const store = new RecordingStore();
    const limit = 2001; // quota 2201, leases of 2, far while more than 200 are left
    const decisions = await sequential(limiterOn(store), limit, 2200);
    // 1 exact, 1000 leases handed out (counts 2…2001) and the spare reserved ahead (2002…2003), which stays
    // counted; then exact adds from 2004: the 198th (count 2201) is the last admitted, the 199th refused.
    expect(decisions.filter((d) => d.admitted)).toHaveLength(2199);
    expect(decisions[2198]).toMatchObject({ admitted: true, remaining: 0 });
    expect(decisions[2199]).toMatchObject({ admitted: false, remaining: 0 });
    expect(decisions[2199].retryAfterSeconds).toBeGreaterThan(0);
    expect(store.adds()).toEqual([1, ...Array(1001).fill(2), ...Array(199).fill(1)]);
    expect(store.calls.filter(([call]) => call === 'undo')).toEqual([['undo', KEY]]);
    expect(store.counts.get(KEY)).toBe(2201);
  });

  it('keeps the leased counts it still holds counted when it switches to exact counting: the limit is stricter by less than two leases', async () => {
    const store = new RecordingStore();
    const decisions = await sequential(limiterOn(store), 2000, 2201); // quota 2200; the lease 1998…1999 and the spare 2000…2001 switch
    expect(decisions.filter((d) => d.admitted)).toHaveLength(2197);
    expect(decisions[2197].admitted).toBe(false);
    expect(store.counts.get(KEY)).toBe(2200);
  });

  it('never leases for quotas under 2,000', async () => {
    const store = new RecordingStore();
    const decisions = await sequential(limiterOn(store), 1818, 300); // quota 1999
    expect(decisions[0].quota).toBe(1999);
    expect(store.adds()).toEqual(Array(300).fill(1));
  });

  it('starts each new window with an exact add again', async () => {
    const store = new RecordingStore();
    const clock = { now: 10 * MINUTE + 1000 };
    const limiter = limiterOn(store, clock);
    await sequential(limiter, 60_000, 3);
    clock.now += MINUTE;
    await sequential(limiter, 60_000, 3);
    expect(store.adds()).toEqual([1, 64]);
    expect(store.adds(`${ORG}:60s:11`)).toEqual([1, 64]);
  });

  it('fails the requests that waited for a failed reservation, and tries again on the next request', async () => {
    const store = new RecordingStore();
    const limiter = limiterOn(store);
    await limiter.check(ORG, 60_000);
    store.hold = true;
    store.failNext = true;
    const waiting = Array.from({ length: 3 }, () => limiter.check(ORG, 60_000));
    await store.answer();
    for (const request of waiting) await expect(request).rejects.toThrow('store down');
    expect(store.adds()).toEqual([1, 64]);
    const next = limiter.check(ORG, 60_000);
    expect(store.adds()).toEqual([1, 64, 64]);
    await store.answer();
    expect(countOf(await next)).toBe(2);
  });

  it('refuses a leased request whose count is past the quota, takes its count back and counts exactly from then on', async () => {
    const store = new RecordingStore();
    const limiter = limiterOn(store);
    await limiter.check(ORG, 60_000);
    store.bump(KEY, 66_000); // other instances filled the window meanwhile
    const refused = await limiter.check(ORG, 60_000);
    expect(refused).toMatchObject({ admitted: false, remaining: 0 });
    await limiter.check(ORG, 60_000);
    expect(store.calls.slice(1)).toEqual([
      ['add', KEY, 64],
      ['undo', KEY],
      ['add', KEY, 1],
      ['undo', KEY],
    ]);
  });

  it('keeps state for the current window only, and for a bounded number of organisations', async () => {
    const store = new RecordingStore();
    const leases = new CounterLeases(store);
    for (let i = 0; i < 50; i++) await leases.add(`org-${i}`, 10, `org-${i}:60s:10`, 66_000);
    await leases.add('small', 10, 'small:60s:10', 1999);
    expect(leases.size).toBe(50);
    await leases.add('org-0', 11, 'org-0:60s:11', 66_000);
    expect(leases.size).toBe(1);
    for (let i = 0; i < MAX_LEASED_ORGANISATIONS + 10; i++) await leases.add(`org-${i}`, 11, `org-${i}:60s:11`, 66_000);
    expect(leases.size).toBeLessThanOrEqual(MAX_LEASED_ORGANISATIONS);
  });
});
