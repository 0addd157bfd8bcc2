/**
 * Counts committed writes to caller data: row-level triggers on every table a request can write bump one
 * counter, inside the writing transaction, so a write that was rolled back is not counted and an update
 * that changes no count (a variable overwritten, a call ended) is. Reading it costs one tiny query, which
 * is what lets a property test check "a refused request wrote nothing" tens of thousands of times.
 */
import type { MikroORM } from '@mikro-orm/core';

import type { Engine } from './scratch-database';

/** Caller data, and the usage counters a request raises only when it succeeds (issue 13). */
const TABLES = ['calls', 'customers', 'intents', 'variables', 'phone_identities', 'external_identities', 'usage_days', 'usage_months'];
const EVENTS = ['insert', 'update', 'delete'];

function sqliteTriggers(): string[] {
  return TABLES.flatMap((table) =>
    EVENTS.map((event) => `create trigger test_writes_${table}_${event} after ${event} on ${table} begin update test_writes set n = n + 1; end`),
  );
}

function postgresTriggers(): string[] {
  return [
    'create function test_count_write() returns trigger language plpgsql as $$ begin update test_writes set n = n + 1; return null; end $$',
    ...TABLES.map((table) => `create trigger test_writes_${table} after insert or update or delete on ${table} for each row execute function test_count_write()`),
  ];
}

/** Installs the counter in the (scratch) database; returns a function reading how many rows were written so far. */
export async function writeCounter(orm: MikroORM, engine: Engine): Promise<() => Promise<number>> {
  const connection = orm.em.getConnection();
  const statements = ['create table test_writes (n bigint not null)', 'insert into test_writes (n) values (0)', ...(engine === 'sqlite' ? sqliteTriggers() : postgresTriggers())];
  for (const statement of statements) await connection.execute(statement);
  return async () => {
    const [row] = await connection.execute<{ n: number | string }[]>('select n from test_writes');
    return Number(row.n);
  };
}
