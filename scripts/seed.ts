/**
 * `npm run seed -- --customers N [--organisation slug] [--environment test|prod] [--key sk_…] [--snapshot-hours H]`:
 * bulk-writes N customers in issue 12's scale shape (scripts/seed/seed-rows.ts) into the configured
 * database (DATABASE_URL, else the SQLite file in DATA_DIR), migrating it first. Prints customers/s.
 * Seed while no service uses the database: on SQLite it writes without a journal and rebuilds indexes.
 */
import { parseArgs } from 'node:util';

import { loadConfig } from '../src/config';
import { Environment } from '../src/tenancy/environment';
import { seed } from './seed/seed';

function progressBar(total: number): (done: number) => void {
  const started = performance.now();
  return (done) => {
    const share = done / total;
    const filled = Math.round(share * 30);
    const rate = Math.round(done / ((performance.now() - started) / 1000));
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${done.toLocaleString('en')}/${total.toLocaleString('en')} customers, ${rate.toLocaleString('en')}/s`);
    if (done === total) process.stderr.write('\n');
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      customers: { type: 'string' },
      organisation: { type: 'string', default: 'default' },
      environment: { type: 'string', default: Environment.PROD },
      key: { type: 'string' },
      'snapshot-hours': { type: 'string' },
    },
  });
  const customers = Number(values.customers);
  if (!Number.isInteger(customers) || customers < 1 || customers > 100_000_000) throw new Error('--customers N (1 to 100,000,000) is required');
  if (values.environment !== Environment.PROD && values.environment !== Environment.TEST) throw new Error('--environment is test or prod');
  const snapshotHours = values['snapshot-hours'] === undefined ? undefined : Number(values['snapshot-hours']);
  const config = loadConfig();
  const result = await seed(config, {
    customers,
    organisation: values.organisation,
    environment: values.environment,
    key: values.key,
    snapshotHours,
    progress: progressBar(customers),
  });
  console.log(
    `seeded ${result.customers.toLocaleString('en')} customers on ${config.database.engine} in ${result.seconds.toFixed(1)} s: ` +
      `${Math.round(result.perSecond).toLocaleString('en')} customers/s, ${Math.round(result.perCpuSecond).toLocaleString('en')} per CPU-second of the seed (organisation ${result.organisationId}, ${result.environment})`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
