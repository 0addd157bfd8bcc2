/** Every row of every caller-data table: what "the database is unchanged" compares. */
import type { MikroORM } from '@mikro-orm/core';

const TABLES = ['customers', 'calls', 'intents', 'variables', 'phone_identities', 'external_identities'];

/** The rows of the caller-data tables, each table ordered by id. */
export async function databaseState(orm: MikroORM): Promise<Record<string, unknown[]>> {
  const connection = orm.em.getConnection();
  const state: Record<string, unknown[]> = {};
  for (const table of TABLES) state[table] = await connection.execute(`select * from ${table} order by id`);
  return state;
}
