/**
 * Bulk writers of seeded rows: prepared statements in large transactions on SQLite (better-sqlite3, the
 * ORM's own connection), COPY on PostgreSQL (pg-copy-streams). Both write the tables the migrations made.
 */
import type { SqliteConnection } from '@mikro-orm/sqlite';
import type { MikroORM } from '@mikro-orm/core';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

import { copyText } from '../../src/db/copy-text';
import { SEED_COLUMNS, seedCustomer, type Row, type SeedEncoding, type SeedPlan, type SeedTable } from './seed-rows';

const TABLES = Object.keys(SEED_COLUMNS) as SeedTable[];
const ROWS_PER_INSERT = 64;

/** Called after each batch with the number of customers written so far. */
export type Progress = (done: number) => void;

const SQLITE_ENCODING: SeedEncoding = {
  date: (ms) => ms,
  bool: (b) => (b ? 1 : 0),
  json: (v) => JSON.stringify(v),
};

/** Writes customers `from` ≤ i < `to` of the plan into a SQLite database through the ORM's connection. */
export async function seedSqlite(orm: MikroORM, plan: SeedPlan, from: number, to: number, progress: Progress, batch = 20_000): Promise<void> {
  const db = await (orm.em.getConnection() as SqliteConnection).getNativeClient();
  // A seed is rebuilt from scratch when it fails, so it need not survive a crash half-way: no journal, no fsync.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  // The rows are made consistent (every child names a customer written before it): no per-row parent lookup.
  db.pragma('foreign_keys = OFF');
  // Secondary indexes are dropped and built again at the end: one sort each, instead of a random insert per row.
  const indexes = db
    .prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${TABLES.map(() => '?').join(', ')})`)
    .all(...TABLES) as { name: string; sql: string }[];
  for (const index of indexes) db.exec(`drop index "${index.name}"`);
  // Multi-row statements: one call into SQLite per ROWS_PER_INSERT rows instead of one per row.
  const insert = (t: SeedTable, rows: number) =>
    db.prepare(`insert into ${t} (${SEED_COLUMNS[t].join(', ')}) values ${Array(rows).fill(`(${SEED_COLUMNS[t].map(() => '?').join(', ')})`).join(', ')}`);
  const many = Object.fromEntries(TABLES.map((t) => [t, insert(t, ROWS_PER_INSERT)])) as Record<SeedTable, { run(...params: unknown[]): unknown }>;
  const one = Object.fromEntries(TABLES.map((t) => [t, insert(t, 1)])) as Record<SeedTable, { run(...params: unknown[]): unknown }>;
  // One parameter array per table, filled in place and bound whole (no spread, no splice per statement).
  const pending = Object.fromEntries(TABLES.map((t) => [t, { params: new Array<unknown>(ROWS_PER_INSERT * SEED_COLUMNS[t].length), at: 0 }])) as Record<
    SeedTable,
    { params: unknown[]; at: number }
  >;
  const write = db.transaction((start: number, end: number) => {
    for (let i = start; i < end; i++) {
      const rows = seedCustomer(i, plan, SQLITE_ENCODING);
      for (const table of TABLES) {
        const buffer = pending[table];
        for (const row of rows[table]) {
          for (let c = 0; c < row.length; c++) buffer.params[buffer.at++] = row[c];
          if (buffer.at === buffer.params.length) {
            many[table].run(buffer.params);
            buffer.at = 0;
          }
        }
      }
    }
    for (const table of TABLES) {
      const buffer = pending[table];
      const perRow = SEED_COLUMNS[table].length;
      for (let at = 0; at < buffer.at; at += perRow) one[table].run(buffer.params.slice(at, at + perRow));
      buffer.at = 0;
    }
  });
  try {
    for (let start = from; start < to; start += batch) {
      const end = Math.min(to, start + batch);
      write(start, end);
      progress(end - from);
    }
  } finally {
    for (const index of indexes) db.exec(index.sql);
    db.pragma('foreign_keys = ON');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
}

const PG_ENCODING: SeedEncoding = {
  date: (ms) => new Date(ms).toISOString(),
  bool: (b) => b,
  json: (v) => JSON.stringify(v),
};

async function copyRows(client: Client, table: SeedTable, rows: Row[]): Promise<void> {
  const stream = client.query(copyFrom(`copy ${table} (${SEED_COLUMNS[table].join(', ')}) from stdin`));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  stream.end(rows.map((r) => r.map(copyText).join('\t')).join('\n') + '\n');
  await done;
}

/** Writes customers `from` ≤ i < `to` of the plan into a PostgreSQL database with COPY, one transaction per batch. */
export async function seedPostgres(url: string, plan: SeedPlan, from: number, to: number, progress: Progress, batch = 20_000): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    // As on SQLite: a failed seed is redone, so its commits need not wait for the disk.
    await client.query('set synchronous_commit = off');
    for (let start = from; start < to; start += batch) {
      const end = Math.min(to, start + batch);
      const byTable = Object.fromEntries(TABLES.map((t) => [t, [] as Row[]])) as Record<SeedTable, Row[]>;
      for (let i = start; i < end; i++) {
        const rows = seedCustomer(i, plan, PG_ENCODING);
        for (const table of TABLES) byTable[table].push(...rows[table]);
      }
      await client.query('begin');
      // Parents first: the foreign keys are checked row by row.
      for (const table of TABLES) await copyRows(client, table, byTable[table]);
      await client.query('commit');
      progress(end - from);
    }
    await client.query('analyze');
  } finally {
    await client.end();
  }
}
