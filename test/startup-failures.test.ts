/**
 * A start that cannot go wrong: the real entry point (src/main.ts) as a child process meeting a taken port,
 * an unreachable or refusing PostgreSQL, a broken database. Each says what to fix in one line, without a
 * stack trace or a secret, and a first start that fails never loses the key it would have printed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

import { Client } from 'pg';

import { createScratchDatabase, TEST_DATABASE_URL } from './support/scratch-database';
import { failedStart, FROM_SOURCE, killServices, startService } from './support/service-process';

const KEY = /sk_test_[0-9A-Za-z]{49}\b/;
/** A line of a stack trace. */
const STACK = /^\s+at /m;

/** A server holding a port of 127.0.0.1. */
async function holdPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

/** A port of 127.0.0.1 that nothing listens on (held a moment, then freed). */
async function closedPort(): Promise<number> {
  const { port, server } = await holdPort();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function viewerStatus(port: number, key: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: '{ viewer { environment } }' }),
  });
  return res.status;
}

/** The DATA_DIR of the running test, fresh for each test of a block that calls useFreshDataDir. */
let dataDir: string;

/** Gives each test of the block a fresh, empty `dataDir`; after the test, stops the services it started and removes the directory. */
function useFreshDataDir(): void {
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cm-start-'));
  });
  afterEach(() => {
    killServices();
    rmSync(dataDir, { recursive: true, force: true });
  });
}

describe('a start that fails', () => {
  useFreshDataDir();

  it('on a taken port says so in one line naming PORT (exit 75: the port may be freed), makes no key, and the next start prints a working key', async () => {
    const holder = await holdPort();
    let failed;
    try {
      failed = await failedStart({ DATA_DIR: dataDir, PORT: String(holder.port) });
    } finally {
      await new Promise((resolve) => holder.server.close(resolve));
    }
    expect(failed.code).toBe(75);
    expect(failed.stderr.trim()).toBe(
      `caller-memory cannot start: PORT: ${holder.port} is already in use on 127.0.0.1 (EADDRINUSE); stop what holds it or set PORT to a free port`,
    );
    expect(failed.stdout).not.toMatch(KEY);

    const next = await startService({ DATA_DIR: dataDir });
    try {
      const key = KEY.exec(next.output())?.[0] ?? 'no key printed';
      expect(await viewerStatus(next.port, key)).toBe(200);
    } finally {
      next.child.kill('SIGTERM');
      await next.exited;
    }
  }, 60_000);

  it('on an unreachable PostgreSQL names DATABASE_URL, host and port, never the password, and exits 75 so a supervisor retries', async () => {
    const port = await closedPort();
    const failed = await failedStart({ DATABASE_URL: `postgres://caller:Secret%40Pw9@127.0.0.1:${port}/memory` });
    expect(failed.code).toBe(75);
    expect(failed.stderr.trim()).toBe(
      `caller-memory cannot start: DATABASE_URL: cannot connect to PostgreSQL at 127.0.0.1:${port}/memory as caller (ECONNREFUSED): ` +
        'nothing accepts connections there; is PostgreSQL running, on that host and port?',
    );
    expect(failed.stdout + failed.stderr).not.toMatch(/Secret|Pw9/);
  }, 60_000);

  it('on a PostgreSQL host that accepts and never answers fails after DATABASE_CONNECT_TIMEOUT_MS naming DATABASE_URL, instead of hanging', async () => {
    // Like a firewall that drops packets: the connection is taken, and nothing ever comes back.
    const silent = createServer((socket) => socket.on('error', () => undefined));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    let failed;
    try {
      failed = await failedStart({ DATABASE_URL: `postgres://caller:Secret%40Pw9@127.0.0.1:${port}/memory`, DATABASE_CONNECT_TIMEOUT_MS: '500' });
    } finally {
      silent.close();
    }
    expect(failed.code).toBe(75);
    expect(failed.stderr.trim()).toBe(
      `caller-memory cannot start: DATABASE_URL: cannot connect to PostgreSQL at 127.0.0.1:${port}/memory as caller (timeout): no answer in 500 ms; ` +
        'is the host and port right, and is a firewall dropping packets? (DATABASE_CONNECT_TIMEOUT_MS sets the wait)',
    );
    expect(failed.stdout + failed.stderr).not.toMatch(/Secret|Pw9/);
  }, 60_000);

  it('on a PostgreSQL without the database names DATABASE_URL and the server’s reason', async () => {
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = '/no_such_database_for_caller_memory';
    const failed = await failedStart({ DATABASE_URL: url.toString() });
    expect(failed.code).toBe(78);
    expect(failed.stderr.trim()).toMatch(
      /^caller-memory cannot start: DATABASE_URL: PostgreSQL at .+\/no_such_database_for_caller_memory as \S+ refused the connection: database "no_such_database_for_caller_memory" does not exist \(3D000\)$/,
    );
  }, 60_000);

  it('when DATABASE_STATEMENT_TIMEOUT_MS cancels a statement of the start names it in one line and exits 75', async () => {
    const scratch = await createScratchDatabase('postgresql');
    if (scratch.config.engine !== 'postgresql') throw new Error('unreachable');
    // Another instance migrating holds the start-up lock (src/db/startup-lock.ts) longer than the limit.
    const other = new Client({ connectionString: scratch.config.url });
    await other.connect();
    try {
      await other.query('select pg_advisory_lock(7310312110481408009)');
      const failed = await failedStart({ DATABASE_URL: scratch.config.url, DATABASE_STATEMENT_TIMEOUT_MS: '300', DATA_DIR: dataDir });
      expect(failed.code).toBe(75);
      expect(failed.stderr.trim().split('\n')).toEqual([
        "caller-memory cannot start: DATABASE_STATEMENT_TIMEOUT_MS: a statement of the start (the migrations, or the wait for another instance's) ran past the limit of 300 ms and was cancelled (57014); raise it for this start, or set 0 for none",
      ]);
    } finally {
      await other.end();
      await scratch.drop();
    }
  }, 60_000);

  it('on a DATA_DIR holding something that is not a SQLite database names DATA_DIR and the file', async () => {
    writeFileSync(join(dataDir, 'caller-memory.db'), 'not a database, '.repeat(64));
    const failed = await failedStart({ DATA_DIR: dataDir });
    expect(failed.code).toBe(78);
    expect(failed.stderr.trim()).toBe(
      `caller-memory cannot start: DATA_DIR: cannot open the SQLite database ${join(dataDir, 'caller-memory.db')} (SQLITE_NOTADB: file is not a database)`,
    );
  }, 60_000);

  it('for any other reason is one line naming the error, without a stack trace (exit 1)', async () => {
    // A table of the first migration already there, without the migrations' own bookkeeping.
    const db = new DatabaseSync(join(dataDir, 'caller-memory.db'));
    db.exec('create table organisations (id integer)');
    db.close();
    // As `npm start` runs it, from the TypeScript source: the loader's source maps must not bring a stack back.
    const failed = await failedStart({ DATA_DIR: dataDir }, FROM_SOURCE);
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^caller-memory failed to start: \w+: .*organisations.* already exists/)]);
    expect(failed.stderr).not.toMatch(STACK);
  }, 60_000);
});

describe('the production first start', () => {
  useFreshDataDir();

  it('prints its key without advertising Sandbox or the explorer, which production turns off', async () => {
    const service = await startService({ NODE_ENV: 'production', APP_SECRET: 'p'.repeat(20) + 'roduction-secret-42', DATA_DIR: dataDir });
    try {
      const banner = service.output();
      expect(banner).toMatch(KEY);
      expect(banner).not.toMatch(/sandbox|explorer/i);
      expect((await fetch(`http://127.0.0.1:${service.port}/explorer`)).status).toBe(404);
      const landing = await fetch(`http://127.0.0.1:${service.port}/graphql`, { headers: { Accept: 'text/html' } });
      expect(await landing.text()).not.toMatch(/sandbox/i);
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  }, 60_000);
});
