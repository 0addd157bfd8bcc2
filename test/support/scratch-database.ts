/**
 * Throwaway databases for tests and scripts: a SQLite file in a fresh temporary folder (a real file, so
 * WAL and the service's pragmas apply as in production), or a fresh PostgreSQL database (its own, so
 * test files run in parallel) on the server named by TEST_DATABASE_URL.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';

import type { DatabaseConfig } from '../../src/config';

/** The engines every database test runs on. */
export const ENGINES = ['sqlite', 'postgresql'] as const;
export type Engine = (typeof ENGINES)[number];

/** The PostgreSQL server tests use (this machine's local server unless TEST_DATABASE_URL says otherwise). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function urlFor(database: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is unreachable at ${TEST_DATABASE_URL} (${(error as Error).message}). ` +
        'Start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set TEST_DATABASE_URL.',
      { cause: error },
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A scratch database and the way to throw it away. */
export interface ScratchDatabase {
  config: DatabaseConfig;
  drop(): Promise<void>;
}

/** Creates an empty database on the engine. */
export async function createScratchDatabase(engine: Engine): Promise<ScratchDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cm-test-'));
    return { config: { engine: 'sqlite', path: join(dir, 'caller-memory.db') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `cm_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`create database "${name}"`));
  return {
    config: { engine: 'postgresql', url: urlFor(name) },
    drop: () => admin((client) => client.query(`drop database if exists "${name}" with (force)`)).then(() => {}),
  };
}

/** Fails loudly, never skips, when PostgreSQL cannot be reached. */
export async function assertPostgresReachable(): Promise<void> {
  await admin((client) => client.query('select 1'));
}
