/**
 * When each key last authenticated (`api_keys.last_used_at`), recorded off the request path: a request only
 * notes the time in memory; one write per key at most once a minute per instance follows, from a timer
 * (never awaited by a request, so it adds no latency and its failure fails no request). A failed write is
 * retried with the next one. Up to a minute of use is not yet written at any moment (written when the app
 * stops, lost if the process dies); `lastUsedAt` is "the last minute it was used in", which is what people
 * read it for.
 */
import type { Sql } from '../db/sql';
import type { Clock } from '../shared/clock';

/** How long uses are gathered before they are written: at most one write per key per this interval. */
export const LAST_USED_INTERVAL_MS = 60_000;
/** Keys noted and not yet written; beyond it, uses are not noted until the next write (memory stays bounded). */
const MAX_PENDING = 10_000;

/** Notes keys' uses and writes them in the background. */
export class KeyLastUsed {
  /** Key id → the latest use noted since the last write. */
  private pending = new Map<string, Date>();
  private timer: NodeJS.Timeout | undefined;
  private sql: Sql | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs = LAST_USED_INTERVAL_MS,
  ) {}

  /** Notes a use of the key now; `sql` is where the write will go (the bare connection, outside any transaction). */
  note(sql: Sql, keyId: string): void {
    this.sql = sql;
    if (this.pending.size >= MAX_PENDING && !this.pending.has(keyId)) return;
    this.pending.set(keyId, this.clock.now());
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.intervalMs);
    // A pending write never keeps a process alive (a use within the last minute may go unrecorded).
    this.timer.unref();
  }

  /** Writes every noted use now (a timer does it by itself; tests and shutdown call it). Never rejects. */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.writePending());
    return this.writing;
  }

  /** Writes what is noted and stops the timer (the app stops: apollo's serverWillStop, before the database closes). */
  close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    return this.flush();
  }

  private async writePending(): Promise<void> {
    const { sql } = this;
    if (!sql || this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    for (const [keyId, at] of batch) {
      try {
        // Never moves backwards (another instance may have written a later use).
        await sql.run('update api_keys set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)', [sql.dialect.date(at), keyId, sql.dialect.date(at)]);
      } catch {
        // The database is away or closed: keep the use for the next write, unless a later one was noted.
        if (!this.pending.has(keyId) && this.pending.size < MAX_PENDING) this.pending.set(keyId, at);
      }
    }
  }
}
