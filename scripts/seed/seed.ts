/** Seeding as a function: the tenant, the rows, the rate (for `npm run seed` and the scale benchmark). */
import type { Config } from '../../src/config';
import { initOrm } from '../../src/db/orm';
import type { Environment } from '../../src/tenancy/environment';
import type { SeedPlan } from './seed-rows';
import { prepareSeedTenant } from './seed-tenant';
import { seedPostgres, seedSqlite, type Progress } from './seed-writers';

/** What to seed. */
export interface SeedOptions {
  customers: number;
  organisation: string;
  environment: Environment;
  key?: string;
  /** Start snapshots are kept on calls started within this many hours (default: the replay window). */
  snapshotHours?: number;
  now?: Date;
  progress?: Progress;
}

/** What a seed did. */
export interface SeedResult {
  organisationId: string;
  environment: Environment;
  customers: number;
  seconds: number;
  perSecond: number;
  /** Customers per second of this process's CPU time (steadier than wall time on a shared machine; PostgreSQL's own CPU not included). */
  perCpuSecond: number;
}

/** Migrates the configured database, prepares the tenant and writes `customers` seeded customers into it. */
export async function seed(config: Config, options: SeedOptions): Promise<SeedResult> {
  const orm = await initOrm(config.database);
  try {
    const tenant = await prepareSeedTenant(orm, { ...options, appSecret: config.appSecret });
    const plan: SeedPlan = {
      ...tenant,
      total: options.customers,
      now: options.now ?? new Date(),
      snapshotHours: options.snapshotHours ?? config.memory.replayWindowMs / 3_600_000,
    };
    const progress = options.progress ?? (() => {});
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    if (config.database.engine === 'sqlite') await seedSqlite(orm, plan, 0, options.customers, progress);
    else await seedPostgres(config.database.url, plan, 0, options.customers, progress);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    return { ...tenant, customers: options.customers, seconds, perSecond: options.customers / seconds, perCpuSecond: options.customers / cpuSeconds };
  } finally {
    await orm.close();
  }
}
