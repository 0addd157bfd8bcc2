/**
 * Leases of counts, for organisations far from their limit. Counting each request with its own store
 * round trip (`counters.add(key)`) is exact, but on PostgreSQL a RateLimiterPostgres `consume` costs about
 * 80 µs of CPU on the event loop (measured), some 8% of a request's CPU, and coalescing
 * (limits/coalesced-counters.ts) rarely batches at realistic concurrency. So while an organisation is far
 * from its limit, an instance reserves L counts at once with ONE `counters.add(key, L)`: the store answers
 * the total after adding L, so the lease covers the counts total − L + 1 … total, and the instance hands them
 * to its next L requests, in order, each as its count. One round trip per L requests instead of one each.
 *
 * The lease size is min(MAX_LEASE, ⌊quota / QUOTA_PER_LEASED_COUNT⌋): quotas under 2,000 never lease (L ≤ 1,
 * one add per request as before), and a lease is at most 0.1% of the quota. "Far" means the last rolling
 * count this instance computed for the organisation in this window leaves more than L × LEASE_HEADROOM
 * (room for that many leases) below the quota; nothing known yet for the window is not far, so each
 * instance counts its first request of a window exactly. Near the limit, every request is counted exactly
 * again (one add each, a refusal undone by the limiter). Leased counts an instance holds when it switches
 * to exact counting stay counted in the store: that only makes the limit stricter, by at most 2L − 1 per
 * instance (the rest of a lease and its spare, at most 0.2% of the quota); the instance hands them out
 * again if it gets far again.
 *
 * Once half a lease is handed out, the instance reserves the next one ahead (the spare), so a busy
 * organisation's requests do not stop for a store round trip every L requests (on PostgreSQL under load,
 * milliseconds in which the whole instance's traffic for it waits). Requests that find no count held wait
 * for the reservation out and share it (one reservation per organisation at a time); if they outnumber
 * it, they trigger the next. A failed reservation fails the requests waiting for it, as a failed `add`
 * fails its request (FallbackCounters already answers from memory when the store is down); the next
 * request tries again. Memory is bounded: one entry per organisation, for the current window only (a new
 * window drops the finished ones), and at most MAX_LEASED_ORGANISATIONS entries.
 */
import type { Counted, WindowCounters } from './window-counters';

/** The largest lease: the counts one reservation takes. */
export const MAX_LEASE = 64;

/** One leased count per this much quota: a lease is at most 0.1% of the quota, and quotas under 2,000 never lease. */
export const QUOTA_PER_LEASED_COUNT = 1000;

/** Far from the limit: more than this many instances' leases (L each) left below the quota. */
export const LEASE_HEADROOM = 100;

/** Organisations whose window state is kept; past it, the state is forgotten (first requests count exactly again). */
export const MAX_LEASED_ORGANISATIONS = 10_000;

/** Counts a reservation of a quota's requests takes: below 2 means no leases, each request counted exactly. */
export function leaseSize(quota: number): number {
  return Math.min(MAX_LEASE, Math.floor(quota / QUOTA_PER_LEASED_COUNT));
}

/** Whether a rolling count leaves room below the quota for LEASE_HEADROOM instances' leases of `size`. */
export function farFromLimit(quota: number, rolling: number, size: number): boolean {
  return quota - rolling > size * LEASE_HEADROOM;
}

interface Waiting {
  resolve(counted: Counted): void;
  reject(error: unknown): void;
}

/** Counts reserved in the store: `next` … `last` (next > last: none left), and whether the local limiter gave them. */
interface Lease {
  next: number;
  last: number;
  fallback: boolean;
}

/** An organisation's state in one fixed window. */
interface OrganisationWindow {
  index: number;
  key: string;
  /** The last rolling count computed here for the window; undefined until the window's first exact add answered. */
  rolling?: number;
  /** The lease counts are handed from. */
  lease: Lease;
  /** The lease reserved ahead, begun when `lease` runs out. */
  spare?: Lease;
  /** Whether a reservation is out (one at a time). */
  reserving: boolean;
  /** Requests waiting for the reservation out: they came when no count was held. */
  waiting: Waiting[];
}

export class CounterLeases {
  private readonly windows = new Map<string, OrganisationWindow>();
  /** The newest window seen: entries of older ones are dropped when a newer one begins. */
  private newestIndex = -Infinity;

  constructor(private readonly counters: WindowCounters) {}

  /** Counts one request of the organisation in window `index` (counter `key`): from a lease while far from `quota`, else exactly. */
  add(organisationId: string, index: number, key: string, quota: number): Promise<Counted> {
    if (leaseSize(quota) < 2) return this.counters.add(key);
    const window = this.windowOf(organisationId, index, key);
    const size = this.leasing(window, quota);
    return size === 0 ? this.counters.add(key) : this.take(window, size);
  }

  /**
   * The next leased count at once, when `add` would take it from a lease it holds now (far from `quota`,
   * a count left, no request waiting); undefined otherwise (then call `add`).
   */
  takeNow(organisationId: string, index: number, quota: number): Counted | undefined {
    const window = this.windows.get(organisationId);
    if (window?.index !== index) return undefined;
    const size = this.leasing(window, quota);
    return size > 0 ? this.held(window, size) : undefined;
  }

  /** Records the rolling count a request of the organisation in window `index` was decided on. */
  remember(organisationId: string, index: number, rolling: number): void {
    // The entry `add` made for the window (none for quotas that never lease, nor once a newer window began).
    const window = this.windows.get(organisationId);
    if (window?.index === index) window.rolling = rolling;
  }

  /** Organisations with window state kept (for tests: bounded memory). */
  get size(): number {
    return this.windows.size;
  }

  /** The lease size while the window is far from `quota`; 0 when its requests are counted exactly. */
  private leasing(window: OrganisationWindow, quota: number): number {
    const size = leaseSize(quota);
    return size >= 2 && window.rolling !== undefined && farFromLimit(quota, window.rolling, size) ? size : 0;
  }

  /**
   * The next count held (the spare lease begun when the lease runs out), if one is left and no request
   * waits. Once half a lease is handed out, the next is reserved ahead, so requests seldom wait for it.
   */
  private held(window: OrganisationWindow, size: number): Counted | undefined {
    if (window.waiting.length > 0) return undefined;
    if (left(window.lease) <= 0 && window.spare !== undefined) {
      window.lease = window.spare;
      window.spare = undefined;
    }
    const lease = window.lease;
    if (left(lease) <= 0) return undefined;
    const counted = { count: lease.next++, fallback: lease.fallback };
    if (!window.reserving && window.spare === undefined && left(lease) <= size / 2) this.reserve(window, size);
    return counted;
  }

  /** The next leased count, reserving a lease when none is held; waits for the reservation out, if any. */
  private take(window: OrganisationWindow, size: number): Promise<Counted> {
    const held = this.held(window, size);
    if (held) return Promise.resolve(held);
    return new Promise((resolve, reject) => {
      window.waiting.push({ resolve, reject });
      if (!window.reserving) this.reserve(window, size);
    });
  }

  /**
   * One store call for `size` counts: hands them to the waiting requests in order and reserves again while
   * some still wait; what is left becomes the lease, or the spare while the lease still has counts. A
   * failed reservation fails the requests waiting for it (a reservation ahead has none).
   */
  private reserve(window: OrganisationWindow, size: number): void {
    window.reserving = true;
    this.counters.add(window.key, size).then(
      ({ count, fallback }) => {
        window.reserving = false;
        const lease = { next: count - size + 1, last: count, fallback };
        while (window.waiting.length > 0 && left(lease) > 0) window.waiting.shift()?.resolve({ count: lease.next++, fallback });
        if (window.waiting.length > 0) this.reserve(window, size);
        else if (left(window.lease) <= 0) window.lease = lease;
        else window.spare = lease;
      },
      (error: unknown) => {
        window.reserving = false;
        const waiting = window.waiting;
        window.waiting = [];
        waiting.forEach((request) => request.reject(error));
      },
    );
  }

  /** The organisation's entry for the window, made afresh (dropping a finished window's) when it is for another. */
  private windowOf(organisationId: string, index: number, key: string): OrganisationWindow {
    const known = this.windows.get(organisationId);
    if (known?.index === index) return known;
    // A request of a window already over (it began just before the turn): counted exactly, the newer entry kept.
    if (known !== undefined && known.index > index) return fresh(index, key);
    if (index > this.newestIndex) {
      this.newestIndex = index;
      for (const [id, window] of this.windows) if (window.index < index) this.windows.delete(id);
    }
    if (this.windows.size >= MAX_LEASED_ORGANISATIONS && known === undefined) this.windows.clear();
    // A reservation out for a dropped entry still answers the requests waiting for it: they hold the entry.
    const window = fresh(index, key);
    this.windows.set(organisationId, window);
    return window;
  }
}

/** The counts a lease has left to hand out. */
const left = (lease: Lease): number => lease.last - lease.next + 1;

/** A window's state before its first request: nothing held, nothing reserved. */
const fresh = (index: number, key: string): OrganisationWindow => ({ index, key, lease: { next: 1, last: 0, fallback: false }, reserving: false, waiting: [] });
