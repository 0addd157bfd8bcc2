/**
 * One store round trip for many requests: while a key's `add` is out to the store (Redis or PostgreSQL),
 * the requests that arrive for that key wait and are sent together, as one `add(key, n)`, when it returns,
 * as a group commit does with transactions. Each request still gets its own count, in arrival order: the
 * n requests of a batch whose add brought the counter to `total` count total − n + 1, …, total, exactly
 * as n single adds would have. So the limit stays exact and shared across instances, and under load an
 * organisation's requests cost one round trip per batch instead of one each.
 *
 * At most one add per key is out at a time; a request waits at most for the one out, then its own.
 */
import type { Counted, WindowCounters } from './window-counters';

interface Waiting {
  resolve(counted: Counted): void;
  reject(error: unknown): void;
}

export class CoalescedCounters implements WindowCounters {
  /** Requests waiting for their key's next round trip. */
  private readonly waiting = new Map<string, Waiting[]>();
  /** Keys with a round trip out. */
  private readonly out = new Set<string>();

  constructor(private readonly store: WindowCounters) {}

  add(key: string, by = 1): Promise<Counted> {
    // A batch counts requests of one each; anything else goes to the store as it is.
    if (by !== 1) return this.store.add(key, by);
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(key);
      if (queue) queue.push({ resolve, reject });
      else this.waiting.set(key, [{ resolve, reject }]);
      if (!this.out.has(key)) this.send(key);
    });
  }

  read(key: string): Promise<Counted> {
    return this.store.read(key);
  }

  undo(key: string): Promise<void> {
    return this.store.undo(key);
  }

  /** Sends the key's waiting requests as one add; when it returns, the next batch, if any came meanwhile. */
  private send(key: string): void {
    const batch = this.waiting.get(key);
    if (!batch) return;
    this.waiting.delete(key);
    this.out.add(key);
    this.store
      .add(key, batch.length)
      .then(
        ({ count, fallback }) => batch.forEach((request, i) => request.resolve({ count: count - batch.length + 1 + i, fallback })),
        (error: unknown) => batch.forEach((request) => request.reject(error)),
      )
      .finally(() => {
        this.out.delete(key);
        this.send(key);
      });
  }
}
