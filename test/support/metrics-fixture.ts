/** A scratch database with organisations in chosen time zones, rows written by hand, and the metrics over them. */
import { randomBytes } from 'node:crypto';

import type { MikroORM } from '@mikro-orm/core';

import type { MetricsConfig } from '../../src/config';
import { transactionRunner } from '../../src/db/sql';
import { MetricsService, type ReportOptions } from '../../src/metrics/metrics.service';
import type { MetricsReport, Period } from '../../src/metrics/metrics.types';
import { ApiKeyService } from '../../src/tenancy/api-key.service';
import { Environment, type Tenant } from '../../src/tenancy/environment';
import { MetricRows } from './metric-rows';
import type { Engine } from './scratch-database';
import { createTestOrm, testConfig } from './test-app';

/** What a metrics test works with. */
export interface MetricsFixture {
  /** The ORM of the scratch database (to count or order the statements a report sends). */
  orm: MikroORM;
  /** A new organisation in the time zone; its tenant in the environment (test by default). */
  organisation(timeZone?: string, environment?: Environment): Promise<Tenant>;
  /** Writes rows for a tenant in one transaction. */
  seed(tenant: Tenant, build: (rows: MetricRows) => Promise<void>): Promise<void>;
  /** The report, with the default definitions and reading unless told otherwise. */
  report(tenant: Tenant, period: Period, compareTo?: Period | null, config?: Partial<MetricsConfig>, options?: ReportOptions): Promise<MetricsReport>;
  close(): Promise<void>;
}

/** A fixture on a fresh database of the engine. */
export async function createMetricsFixture(engine: Engine): Promise<MetricsFixture> {
  const { orm, close } = await createTestOrm(engine);
  const keys = new ApiKeyService('metrics-fixture-secret');
  const defaults = testConfig().metrics;
  return {
    orm,
    async organisation(timeZone = 'UTC', environment = Environment.TEST) {
      const em = orm.em.fork();
      const slug = `org-${randomBytes(4).toString('hex')}`;
      const organisation = await keys.createOrganisation(em, slug, slug);
      await keys.setTimeZone(em, slug, timeZone);
      return { organisationId: organisation.id, environment };
    },
    async seed(tenant, build) {
      await transactionRunner(orm.em.fork())(async (sql) => {
        const rows = new MetricRows(sql, tenant);
        await build(rows);
        await rows.flush();
      });
    },
    report(tenant, period, compareTo = null, config = {}, options = {}) {
      return new MetricsService({ ...defaults, ...config }, options).report(orm.em.fork(), tenant, { period, compareTo });
    },
    close,
  };
}
