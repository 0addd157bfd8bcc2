/**
 * On SQLite the request log is a file of its own beside the database, written by a worker thread
 * (request-log/request-log-file.ts, sqlite-log-writer.ts); reads, purges and erases see it through the
 * ORM's connection. The other request-log tests run over it; these check where it is and how the worker
 * copes.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';


import type { MikroORM } from '@mikro-orm/core';

import { initOrm } from '../../src/db/orm';
import { requestLogWriterFor } from '../../src/request-log/log-writers';
import { REQUEST_LOG_SCHEMA, requestLogPath } from '../../src/request-log/request-log-file';
import { sqliteLogWriter } from '../../src/request-log/sqlite-log-writer';
import { RequestLogWriteError, WORKER_BATCH, WorkerLogWriter } from '../../src/request-log/worker-log-writer';
import { Environment } from '../../src/tenancy/environment';
import { createTestApp, createTestOrm } from '../support/test-app';
import { entryRow, logClient, storedEntries } from './request-log-fixture';

/** An entry as the writer hands it to a worker: no bodies. */
const entry = (callId: string) => ({ ...entryRow('0199a3b2-7c1d-7e00-8000-0000000000aa', new Date(), callId), requestBody: null, responseBody: null });

const tablesIn = (orm: { em: { getConnection(): { execute(sql: string): Promise<unknown> } } }, schema: string) =>
  orm.em
    .getConnection()
    .execute(`select name from ${schema}.sqlite_master where type = 'table' and name = 'api_requests'`)
    .then((rows) => (rows as { name: string }[]).map((row) => row.name));

describe('the request log’s file on SQLite', () => {
  it('is x.requests.db beside x.db', () => {
    expect(requestLogPath('/data/caller-memory.db')).toBe('/data/caller-memory.requests.db');
    expect(requestLogPath('relative/store')).toBe('relative/store.requests');
  });

  it('holds the entries a request wrote, through a worker, and the main file has no request log', async () => {
    const t = await createTestApp('sqlite');
    try {
      if (t.database.engine !== 'sqlite') throw new Error('SQLite only');
      const client = await logClient(t);
      await client.post('/v1/calls/start', { call_id: 'in-its-file', identity_hints: { ani: '+14155550142' } }).expect(200);
      await t.requestLog.flush();
      expect((await storedEntries(t, client.organisation.id)).map((e) => e.call_id)).toEqual(['in-its-file']);
      expect(await tablesIn(t.orm, 'main')).toEqual([]);
      const file = new DatabaseSync(requestLogPath(t.database.path), { readOnly: true });
      try {
        expect(file.prepare('select call_id from api_requests').all()).toEqual([{ call_id: 'in-its-file' }]);
      } finally {
        file.close();
      }
      expect(await requestLogWriterFor(t.orm)).toBeInstanceOf(WorkerLogWriter);
    } finally {
      await t.close();
    }
  });

  it('moves out of the main file when a database migrated before it is migrated again', async () => {
    const { orm, close } = await createTestOrm('sqlite', { migrate: false });
    try {
      await orm.migrator.up({ to: 'Migration20261130131111_operations' });
      expect(await tablesIn(orm, 'main')).toEqual(['api_requests']);
      await orm.migrator.up();
      expect(await tablesIn(orm, 'main')).toEqual([]);
      expect(await tablesIn(orm, REQUEST_LOG_SCHEMA)).toEqual(['api_requests']);
    } finally {
      await close();
    }
  });

  it('stays in memory, written by the ORM’s connection, for an in-memory database', async () => {
    const orm = await initOrm({ engine: 'sqlite', path: ':memory:' });
    try {
      expect(await tablesIn(orm, 'main')).toEqual(['api_requests']);
      expect(await requestLogWriterFor(orm)).toBeUndefined();
    } finally {
      await orm.close(true);
    }
  });
});

describe('the SQLite worker writer', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'request-log-writer-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Creates the request log's table in the file at `path`, as attaching does. */
  async function createLogFile(path: string): Promise<void> {
    const orm = await initOrm({ engine: 'sqlite', path: join(path, '..', 'main.db') });
    await orm.close(true);
  }

  it('fails a batch it cannot write, then writes the next once it can, many rows per statement and the rest one by one', async () => {
    const path = join(dir, 'main.requests.db');
    // A file without the table: the batch fails, naming SQLite's code only.
    new DatabaseSync(path).close();
    const writer = sqliteLogWriter(path, 1024 * 1024);
    try {
      await expect(writer.insert([entry('no-table')])).rejects.toEqual(expect.objectContaining({ name: 'RequestLogWriteError', code: 'SQLITE_ERROR' }));
      await createLogFile(path);
      await writer.insert(Array.from({ length: 27 }, (_, i) => entry(`e-${String(i).padStart(2, '0')}`)));
    } finally {
      await writer.close();
    }
    const file = new DatabaseSync(path, { readOnly: true });
    expect(file.prepare('select call_id from api_requests order by call_id').all()).toEqual(Array.from({ length: 27 }, (_, i) => ({ call_id: `e-${String(i).padStart(2, '0')}` })));
    file.close();
  });

  it('holds the batches it is handed, and commits them together when told to flush, when the oldest has waited commitMs, or when WORKER_BATCH entries are held', async () => {
    const path = join(dir, 'main.requests.db');
    await createLogFile(path);
    const stored = () => {
      const file = new DatabaseSync(path, { readOnly: true });
      const rows = file.prepare('select call_id from api_requests order by call_id').all().map((row) => row.call_id);
      file.close();
      return rows;
    };
    const holding = sqliteLogWriter(path, 1024 * 1024, 60_000);
    try {
      const settled: string[] = [];
      const first = holding.insert([entry('held-1')]).then(() => settled.push('held-1'));
      const second = holding.insert([entry('held-2'), entry('held-3')]).then(() => settled.push('held-2'));
      await sleep(300);
      expect(settled).toEqual([]);
      expect(stored()).toEqual([]);
      holding.flush();
      await Promise.all([first, second]);
      expect(settled.sort()).toEqual(['held-1', 'held-2']);
      expect(stored()).toEqual(['held-1', 'held-2', 'held-3']);
      // A full batch is committed at once, commitMs or not.
      await holding.insert(Array.from({ length: WORKER_BATCH }, (_, i) => entry(`full-${String(i).padStart(4, '0')}`)));
      expect(stored()).toHaveLength(3 + WORKER_BATCH);
    } finally {
      await holding.close();
    }
    const prompt = sqliteLogWriter(path, 1024 * 1024, 10);
    try {
      // Nobody flushes: the worker commits once the entry has waited its 10 ms.
      await prompt.insert([entry('timed')]);
      expect(stored()).toContain('timed');
    } finally {
      await prompt.close();
    }
  });

  it('fails the batches of a worker that dies, and starts another for the next', async () => {
    const path = join(dir, 'later', 'main.requests.db');
    const writer = sqliteLogWriter(path, 1024 * 1024);
    try {
      // Its directory does not exist yet: the worker cannot open the file and exits.
      const failed = await writer.insert([entry('lost')]).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(RequestLogWriteError);
      expect((failed as RequestLogWriteError).code).toBe('WORKER_EXITED');
      mkdirSync(join(dir, 'later'));
      await createLogFile(path);
      await writer.insert([entry('kept')]);
    } finally {
      await writer.close();
    }
    expect(existsSync(path)).toBe(true);
    const file = new DatabaseSync(path, { readOnly: true });
    expect(file.prepare('select call_id from api_requests').all()).toEqual([{ call_id: 'kept' }]);
    file.close();
  });
});

describe('the PostgreSQL worker writer', () => {
  const terminate = (orm: MikroORM) => orm.em.getConnection().execute(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'caller-memory request log' and datname = current_database()`);
  const stored = async (orm: MikroORM) => ((await orm.em.getConnection().execute('select call_id from api_requests order by call_id')) as { call_id: string }[]).map((row) => row.call_id);

  it('stores values with backslashes, tabs, line breaks and quotes exactly as they came, and nulls as null', async () => {
    const { orm, close } = await createTestOrm('postgresql');
    const writer = await requestLogWriterFor(orm);
    const awkward = 'C:\\path\\N\ttab\nline\r\nend \\. \'quoted\' "double" \\N';
    try {
      const first = { ...entry('pg-awkward'), issues: awkward, requestBody: '{"note":"a\\tb\\nc"}', responseBody: null };
      await writer!.insert([first, { ...entry('pg-plain'), errorCode: null, issues: null }]);
      const rows = (await orm.em.getConnection().execute(`select call_id, issues, request_body, response_body, error_code, at from api_requests order by call_id`)) as Array<Record<string, unknown>>;
      expect(rows.map((row) => row.call_id)).toEqual(['pg-awkward', 'pg-plain']);
      expect(rows[0]).toEqual(expect.objectContaining({ issues: awkward, request_body: '{"note":"a\\tb\\nc"}', response_body: null }));
      expect(rows[1]).toEqual(expect.objectContaining({ issues: null, error_code: null }));
      expect(new Date(rows[0].at as string).getTime()).toBe(first.at.getTime());
    } finally {
      await writer?.close();
      await close();
    }
  });

  it('writes batches on a connection of its own in one COPY, fails one it cannot write, and opens a lost connection again', async () => {
    const { orm, close } = await createTestOrm('postgresql');
    const writer = await requestLogWriterFor(orm);
    try {
      expect(writer).toBeInstanceOf(WorkerLogWriter);
      await writer!.insert(Array.from({ length: 27 }, (_, i) => entry(`pg-${String(i).padStart(2, '0')}`)));
      expect(await stored(orm)).toEqual(Array.from({ length: 27 }, (_, i) => `pg-${String(i).padStart(2, '0')}`));
      // An entry the table refuses (an environment its check does not allow): the whole batch fails, naming the code only.
      const refused = [...['pg-ok', 'pg-ok2', 'pg-ok3', 'pg-ok4'].map(entry), { ...entry('x'), environment: 'neither' as Environment }];
      await expect(writer!.insert(refused)).rejects.toEqual(expect.objectContaining({ name: 'RequestLogWriteError', code: '23514' }));
      expect(await stored(orm)).not.toContain('pg-ok');
      // The connection that failed that COPY writes the next five.
      await writer!.insert(Array.from({ length: 5 }, (_, i) => entry(`pg-five-${i}`)));
      expect((await stored(orm)).filter((id) => id.startsWith('pg-five'))).toHaveLength(5);
      // The connection is killed under it: a batch may fail, and the next one is written.
      await terminate(orm);
      let written = false;
      for (let attempt = 0; attempt < 3 && !written; attempt++) written = await writer!.insert([entry(`pg-again-${attempt}`)]).then(() => true, () => false);
      expect(written).toBe(true);
      expect((await stored(orm)).filter((id) => id.startsWith('pg-again'))).toHaveLength(1);
    } finally {
      await writer?.close();
      await close();
    }
  });
});
