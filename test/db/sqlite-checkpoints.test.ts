/** WAL checkpoints on a worker thread (src/db/sqlite-checkpoints.ts): the database file catches up with the WAL. */
import { statSync } from 'node:fs';

import { initOrm } from '../../src/db/orm';
import { sqlOf } from '../../src/db/sql';
import { startCheckpointer } from '../../src/db/sqlite-checkpoints';
import { createScratchDatabase } from '../support/scratch-database';

async function eventually(condition: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
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

      const checkpointer = startCheckpointer(path, (message) => errors.push(message), 20);
      const grew = await eventually(() => statSync(path).size > before + 200 * 8000);
      await checkpointer.stop();
      expect(grew).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await orm.close(true);
      await scratch.drop();
    }
  });
});
