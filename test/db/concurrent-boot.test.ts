/**
 * Instances started together on one empty PostgreSQL database (a deploy, a scale-out): migrations and the
 * first-start bootstrap are serialised, so every instance comes up and the database is set up once.
 */
import { Client } from 'pg';

import { postgresqlMigrations } from '../../src/db/migrations/postgresql';
import { createScratchDatabase } from '../support/scratch-database';
import { killServices, startService, type ServiceProcess } from '../support/service-process';

const INSTANCES = 3;
const ROUNDS = 5;
const KEY = /sk_test_[0-9A-Za-z]+/g;

async function readyStatus(service: ServiceProcess): Promise<number> {
  return (await fetch(`http://127.0.0.1:${service.port}/readyz`)).status;
}

describe('instances booting together on an empty postgresql database', () => {
  afterEach(() => killServices());

  it('all become ready, with one default organisation, one printed key and each migration applied once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const scratch = await createScratchDatabase('postgresql');
      const url = (scratch.config as { url: string }).url;
      try {
        const started = await Promise.allSettled(
          Array.from({ length: INSTANCES }, () => startService({ DATABASE_URL: url })),
        );
        const services = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
        const failures = started.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
        expect(failures).toEqual([]);
        expect(await Promise.all(services.map(readyStatus))).toEqual(Array(INSTANCES).fill(200));
        const printed = services.flatMap((s) => s.output().match(KEY) ?? []);
        // The banner names the key twice (the key itself and the curl example).
        expect(new Set(printed).size).toBe(1);
        // Set-up is over; how they stop is another test's business.
        killServices();
        await Promise.all(services.map((s) => s.exited));

        const client = new Client({ connectionString: url });
        await client.connect();
        try {
          const organisations = await client.query<{ slug: string }>('select slug from organisations');
          expect(organisations.rows).toEqual([{ slug: 'default' }]);
          const keys = await client.query('select id from api_keys');
          expect(keys.rowCount).toBe(1);
          const migrations = await client.query<{ name: string }>('select name from mikro_orm_migrations order by id');
          expect(migrations.rows.map((row) => row.name)).toEqual(postgresqlMigrations.map((m) => m.name));
        } finally {
          await client.end();
        }
      } finally {
        killServices();
        await scratch.drop();
      }
    }
  }, 240_000);
});
