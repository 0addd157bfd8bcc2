/** A throwaway PostgreSQL database for a benchmark: created on the server of `url`, dropped afterwards. */
import { Client } from 'pg';

/** Runs `run` with the URL of a fresh database named `<prefix>_<pid>`, dropped (forcibly) when it ends. */
export async function withScratchPostgres(url: string, prefix: string, run: (scratchUrl: string) => Promise<void>): Promise<void> {
  const name = `${prefix}_${process.pid}`;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  try {
    const scratch = new URL(url);
    scratch.pathname = `/${name}`;
    await run(scratch.toString());
  } finally {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

/**
 * ANALYZE after a benchmark's seeding: the statistics autovacuum gathers within a minute or two of a
 * fresh install. Without them PostgreSQL plans the call path's lookups on a table it believes empty and
 * keeps those plans until the first ANALYZE (e.g. a call found by scanning every call of the tenant
 * through the metrics index), which measures a fresh database's first minute, not the service.
 */
export async function analyzeAfterSeeding(db: { query(text: string): Promise<unknown> }): Promise<void> {
  await db.query('analyze');
}
