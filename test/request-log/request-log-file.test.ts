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


import { initOrm } from '../../src/db/orm';
import { REQUEST_LOG_SCHEMA, requestLogPath, requestLogWriterFor } from '../../src/request-log/request-log-file';
import { RequestLogWriteError, SqliteLogWriter } from '../../src/request-log/sqlite-log-writer';
import { Environment } from '../../src/tenancy/environment';
import { createTestApp, createTestOrm } from '../support/test-app';
import { logClient, storedEntries } from './request-log-fixture';

const entry = (callId: string) => ({
  organisationId: '0199a3b2-7c1d-7e00-8000-0000000000aa',
  environment: Environment.TEST,
  at: new Date(),
  keyId: '0199a3b2-7c1d-7e00-8000-000000000001',
  method: 'POST',
  route: '/v1/calls/start',
  status: 200,
  latencyMs: 1.5,
  callId,
  requestId: `req-${callId}`,
  errorCode: null,
  issues: null,
  requestBody: null,
  responseBody: null,
});

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
      expect(await requestLogWriterFor(t.orm)).toBeInstanceOf(SqliteLogWriter);
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

  it('stays in memory, written by the ORM’s connection, for an in-memory database; PostgreSQL has no worker', async () => {
    const orm = await initOrm({ engine: 'sqlite', path: ':memory:' });
    try {
      expect(await tablesIn(orm, 'main')).toEqual(['api_requests']);
      expect(await requestLogWriterFor(orm)).toBeUndefined();
    } finally {
      await orm.close(true);
    }
    const pg = await createTestOrm('postgresql');
    try {
      expect(await requestLogWriterFor(pg.orm)).toBeUndefined();
    } finally {
      await pg.close();
    }
  });
});

describe('SqliteLogWriter', () => {
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
    const writer = new SqliteLogWriter(path, 1024 * 1024);
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

  it('fails the batches of a worker that dies, and starts another for the next', async () => {
    const path = join(dir, 'later', 'main.requests.db');
    const writer = new SqliteLogWriter(path, 1024 * 1024);
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
