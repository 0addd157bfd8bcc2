/**
 * CoalescedCounters (limits/coalesced-counters.ts): requests arriving while a key's round trip is out share
 * the next one, and each still gets its own count, in arrival order, as single adds would have given.
 */
import { CoalescedCounters } from '../../src/limits/coalesced-counters';
import type { Counted, WindowCounters } from '../../src/limits/window-counters';

/** A store whose adds wait until released; it records what it was sent. */
class SlowStore implements WindowCounters {
  readonly sent: Array<[string, number]> = [];
  private readonly counts = new Map<string, number>();
  private release: Array<() => void> = [];
  failNext = false;

  add(key: string, by = 1): Promise<Counted> {
    this.sent.push([key, by]);
    return new Promise((resolve, reject) => {
      this.release.push(() => {
        if (this.failNext) {
          this.failNext = false;
          reject(new Error('store down'));
          return;
        }
        const count = (this.counts.get(key) ?? 0) + by;
        this.counts.set(key, count);
        resolve({ count, fallback: false });
      });
    });
  }

  async read(key: string): Promise<Counted> {
    return { count: this.counts.get(key) ?? 0, fallback: false };
  }

  async undo(key: string): Promise<void> {
    this.counts.set(key, (this.counts.get(key) ?? 0) - 1);
  }

  /** Answers every add out now; resolves after their callers have run. */
  async answer(): Promise<void> {
    const now = this.release;
    this.release = [];
    now.forEach((go) => go());
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('CoalescedCounters', () => {
  it('sends the requests that came while a round trip was out as one add, and gives each its own count in arrival order', async () => {
    const store = new SlowStore();
    const counters = new CoalescedCounters(store);
    const first = counters.add('org:60s:1');
    const rest = Array.from({ length: 9 }, () => counters.add('org:60s:1'));
    expect(store.sent).toEqual([['org:60s:1', 1]]);
    await store.answer();
    expect(store.sent).toEqual([
      ['org:60s:1', 1],
      ['org:60s:1', 9],
    ]);
    await store.answer();
    expect(await first).toEqual({ count: 1, fallback: false });
    expect((await Promise.all(rest)).map((c) => c.count)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('keeps keys apart: each key has its own round trip', async () => {
    const store = new SlowStore();
    const counters = new CoalescedCounters(store);
    const a = counters.add('a:60s:1');
    const b = counters.add('b:60s:1');
    expect(store.sent).toEqual([
      ['a:60s:1', 1],
      ['b:60s:1', 1],
    ]);
    await store.answer();
    expect([await a, await b]).toEqual([
      { count: 1, fallback: false },
      { count: 1, fallback: false },
    ]);
  });

  it('fails every request of a failed batch, then carries on with the next', async () => {
    const store = new SlowStore();
    const counters = new CoalescedCounters(store);
    const first = counters.add('k:60s:1');
    const failed = [counters.add('k:60s:1'), counters.add('k:60s:1')];
    await store.answer();
    expect(await first).toEqual({ count: 1, fallback: false });
    store.failNext = true;
    await store.answer();
    await expect(failed[0]).rejects.toThrow('store down');
    await expect(failed[1]).rejects.toThrow('store down');
    const after = counters.add('k:60s:1');
    await store.answer();
    expect(await after).toEqual({ count: 2, fallback: false });
  });

  it('passes reads, undos and adds of more than one through', async () => {
    const store = new SlowStore();
    const counters = new CoalescedCounters(store);
    const many = counters.add('k:60s:1', 5);
    await store.answer();
    expect(await many).toEqual({ count: 5, fallback: false });
    await counters.undo('k:60s:1');
    expect(await counters.read('k:60s:1')).toEqual({ count: 4, fallback: false });
  });
});
