/**
 * `lastUsedAt` is written off the request path: a use is only noted; the write follows at most once a
 * minute per key (one timer), and a failed write never fails anything and is retried with the next one.
 */
import type { Sql } from '../../src/db/sql';
import { SQLITE } from '../../src/db/sql';
import { ManualClock } from '../../src/shared/clock';
import { KeyLastUsed } from '../../src/tenancy/key-last-used';

/** A stand-in for the database connection that records the writes it is asked for. */
function recordingSql(fail = () => false): Sql & { writes: unknown[][] } {
  const writes: unknown[][] = [];
  return {
    dialect: SQLITE,
    writes,
    all: () => Promise.resolve([]),
    one: () => Promise.resolve(undefined),
    run: (_text: string, params: readonly unknown[] = []) => {
      if (fail()) return Promise.reject(new Error('database away'));
      writes.push([...params]);
      return Promise.resolve(1);
    },
    last: async (writes: Promise<unknown>) => {
      await writes;
    },
  };
}

describe('recording when keys were last used', () => {
  const clock = new ManualClock(new Date('2026-03-02T09:00:00.000Z'));

  it('writes nothing when a use is noted, then one write per key with its latest use', async () => {
    const sql = recordingSql();
    const lastUsed = new KeyLastUsed(clock, 3_600_000);
    lastUsed.note(sql, 'key-a');
    clock.advance(1000);
    lastUsed.note(sql, 'key-a');
    lastUsed.note(sql, 'key-b');
    expect(sql.writes).toEqual([]);
    await lastUsed.flush();
    expect(sql.writes).toEqual([
      [clock.now().getTime(), 'key-a', clock.now().getTime()],
      [clock.now().getTime(), 'key-b', clock.now().getTime()],
    ]);
    await lastUsed.flush();
    expect(sql.writes).toHaveLength(2);
  });

  it('writes by itself once the interval has passed (at most once per interval)', async () => {
    const sql = recordingSql();
    const lastUsed = new KeyLastUsed(clock, 20);
    lastUsed.note(sql, 'key-c');
    lastUsed.note(sql, 'key-c');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sql.writes.map((w) => w[1])).toEqual(['key-c']);
  });

  it('keeps a use whose write failed for the next write, and never rejects', async () => {
    let down = true;
    const sql = recordingSql(() => down);
    const lastUsed = new KeyLastUsed(clock, 3_600_000);
    lastUsed.note(sql, 'key-d');
    await expect(lastUsed.flush()).resolves.toBeUndefined();
    expect(sql.writes).toEqual([]);
    down = false;
    await lastUsed.flush();
    expect(sql.writes.map((w) => w[1])).toEqual(['key-d']);
  });
});
