/**
 * A PostgreSQL database whose tables hold rows but were never analysed (a pg_restore, a COPY load) gets its
 * statistics when the service starts, so the call path's lookups are planned on the right index from the
 * first call instead of after autovacuum's first visit (db/missing-statistics.ts).
 */
import { randomUUID } from 'node:crypto';

import type { MikroORM } from '@mikro-orm/core';
import { Client } from 'pg';

import { initOrm } from '../../src/db/orm';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database';

interface TableStatistics {
  relname: string;
  analysed: boolean;
}

describe('start-up statistics on postgresql', () => {
  let scratch: ScratchDatabase;
  let client: Client;
  const organisationId = randomUUID();

  const statistics = async (): Promise<Record<string, boolean>> => {
    const { rows } = await client.query<TableStatistics>(
      `select relname, (last_analyze is not null or last_autoanalyze is not null) as analysed
         from pg_stat_user_tables where relname in ('customers', 'calls')`,
    );
    return Object.fromEntries(rows.map((r) => [r.relname, r.analysed]));
  };

  const open = async (): Promise<MikroORM> => initOrm(scratch.config);

  beforeAll(async () => {
    scratch = await createScratchDatabase('postgresql');
    await (await open()).close(true);
    if (scratch.config.engine !== 'postgresql') throw new Error('PostgreSQL only');
    client = new Client({ connectionString: scratch.config.url });
    await client.connect();
    // Autovacuum must not gather them first: the test is about the service doing it.
    await client.query('alter table customers set (autovacuum_enabled = false)');
    await client.query('alter table calls set (autovacuum_enabled = false)');
    await client.query(`insert into organisations (id, slug, name, created_at) values ($1, 'restored', 'Restored', now())`, [organisationId]);
    await client.query(
      `insert into customers (id, organisation_id, environment, ref, created_at, updated_at, last_call_at)
       select gen_random_uuid(), $1, 'prod', gen_random_uuid(), now(), now(), now() - n * interval '1 minute'
         from generate_series(1, 5000) n`,
      [organisationId],
    );
    // The cumulative statistics (n_live_tup) are flushed at the session's next idle moment; force it.
    await client.query('select pg_stat_force_next_flush()');
    await client.query('select 1');
  });

  afterAll(async () => {
    await client?.end();
    await scratch?.drop();
  });

  it('leaves a restored table without statistics until the service starts (control)', async () => {
    expect(await statistics()).toEqual({ customers: false, calls: false });
  });

  it('analyses the tables that hold rows when the service starts, and leaves the empty ones alone', async () => {
    const orm = await open();
    await orm.close(true);
    expect(await statistics()).toEqual({ customers: true, calls: false });
  });

  it('then locks a customer through its primary key, not by scanning the tenant’s customers', async () => {
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `explain select id from customers where organisation_id = $1 and environment = 'prod' and id = $2 for update`,
      [organisationId, randomUUID()],
    );
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toContain('customers_pkey');
  });
});
