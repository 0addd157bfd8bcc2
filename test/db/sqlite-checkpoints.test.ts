/** WAL checkpoints on a worker thread (src/db/sqlite-checkpoints.ts): the database file catches up, the -wal file stays bounded. */
import { statSync } from 'node:fs';

import { initOrm } from '../../src/db/orm';
import { sqlOf } from '../../src/db/sql';
import { startCheckpointer } from '../../src/db/sqlite-checkpoints';
import { createScratchDatabase } from '../support/scratch-database';

/** The little of better-sqlite3 (which ships no types) that the reader below uses. */
interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): { get(): unknown };
  close(): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- an import of an untyped package fails the type-check; the interface above types it
const Database = require('better-sqlite3') as new (path: string) => SqliteDatabase;

async function eventually(condition: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

describe('WAL checkpoints on sqlite', () => {
  it('copies committed pages into the database file from the worker, not from the writer', async () => {
    const scratch = await createScratchDatabase('sqlite');
    const path = (scratch.config as { path: string }).path;
    const orm = await initOrm(scratch.config);
    const errors: string[] = [];
    try {
      const sql = sqlOf(orm.em.fork());
      // Only the worker may checkpoint, so a bigger database file can only be its doing.
      await sql.run('pragma wal_autocheckpoint = 0');
      await sql.run('create table filler (body text)');
      const before = statSync(path).size;
      for (let i = 0; i < 200; i++) await sql.run('insert into filler (body) values (?)', ['x'.repeat(8000)]);
      expect(statSync(path).size).toBe(before);

      const checkpointer = startCheckpointer(path, (message) => errors.push(message), { intervalMs: 20 });
      const grew = await eventually(() => statSync(path).size > before + 200 * 8000);
      await checkpointer.stop();
      expect(grew).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await orm.close(true);
      await scratch.drop();
    }
  });

  it('warns while a long reader holds the WAL back, and shrinks it below the limit once the reader lets go', async () => {
    const scratch = await createScratchDatabase('sqlite');
    const path = (scratch.config as { path: string }).path;
    const limit = 256 * 1024;
    const warnings: string[] = [];
    const orm = await initOrm({ engine: 'sqlite', path, walLimitBytes: limit }, {
      onCheckpointWarning: (message) => warnings.push(message),
    });
    const reader = new Database(path);
    try {
      const sql = sqlOf(orm.em.fork());
      await sql.run('create table filler (body text)');
      await sql.run('insert into filler (body) values (?)', ['first']);
      // A read transaction keeps its snapshot (and so every WAL frame after it) until it ends.
      reader.exec('begin');
      expect(reader.prepare('select count(*) as n from filler').get()).toEqual({ n: 1 });

      for (let i = 0; i < 300; i++) await sql.run('insert into filler (body) values (?)', ['x'.repeat(8000)]);
      expect(await eventually(() => warnings.some((w) => w.includes('held back by a read transaction')))).toBe(true);
      expect(sizeOf(`${path}-wal`)).toBeGreaterThan(limit);

      reader.exec('commit');
      expect(await eventually(() => sizeOf(`${path}-wal`) < limit)).toBe(true);
      expect(await eventually(() => warnings.some((w) => w.includes('caught up')))).toBe(true);
      expect(warnings.filter((w) => w.includes('failed'))).toEqual([]);
    } finally {
      reader.close();
      await orm.close(true);
      await scratch.drop();
    }
  });
});
