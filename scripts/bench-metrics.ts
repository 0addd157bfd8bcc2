/**
 * `npm run bench:metrics`: seeds 1,000,000 calls (BENCH_METRICS_CALLS) of ~300,000 customers over 180 days
 * in two environments of one organisation (America/New_York) into a fresh SQLite file, and into a fresh
 * PostgreSQL database when DATABASE_URL is set; then times MetricsService.report(), as GraphQL `metrics`
 * and the dashboard call it, for the last 14 days against the 14 before, the last 28 days, the last 90 days,
 * the last 366 days, and 366 days against another 366 (both holding every seeded day).
 * Prints the seeding rate, p50/p95 per scenario, the longest event-loop stall during a report (how late a
 * 1 ms interval timer ran: what every other request, an IVR call start included, waited at worst), the
 * time of each statement of one report, and with BENCH_METRICS_PLANS=1 the query plan of each statement.
 * BENCH_METRICS_SQLITE=0 skips SQLite.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { MikroORM } from '@mikro-orm/core';

import type { DatabaseConfig } from '../src/config';
import { initOrm } from '../src/db/orm';
import { sqlOf, transactionRunner, type Sql } from '../src/db/sql';
import { MetricsService } from '../src/metrics/metrics.service';
import type { MetricsRequest } from '../src/metrics/metrics.types';
import { ApiKeyService } from '../src/tenancy/api-key.service';
import { Environment, type Tenant } from '../src/tenancy/environment';
import { seedMetrics } from '../test/support/metrics-seed';
import { withScratchPostgres } from './scratch-postgres';

const CALLS = Number(process.env.BENCH_METRICS_CALLS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_METRICS_RUNS ?? 15);
const PLANS = process.env.BENCH_METRICS_PLANS === '1';
const END = new Date('2026-06-30T04:00:00.000Z'); // midnight in New York: 30 June is the last whole day
const DAY_MS = 86_400_000;

const day = (offset: number) => new Date(END.getTime() - 4 * 3_600_000 + offset * DAY_MS).toISOString().slice(0, 10);
const SCENARIOS: { name: string; request: MetricsRequest }[] = [
  { name: '14 days + 14-day comparison', request: { period: { from: day(-14), to: day(-1) }, compareTo: { from: day(-28), to: day(-15) } } },
  { name: '28 days (the dashboard’s default)', request: { period: { from: day(-28), to: day(-1) } } },
  { name: '90 days', request: { period: { from: day(-90), to: day(-1) } } },
  { name: '366 days (the longest period)', request: { period: { from: day(-366), to: day(-1) } } },
  // The comparison is shifted by a day so that both periods hold all 180 seeded days: the worst case.
  { name: '366 days + 366-day comparison', request: { period: { from: day(-366), to: day(-1) }, compareTo: { from: day(-367), to: day(-2) } } },
];

interface Statement {
  sql: string;
  params: readonly unknown[];
  took: number;
}

/** Records the statements the plain-SQL layer reports (db/sql.ts logs each one with its time). */
function recordStatements(orm: MikroORM): Statement[] {
  const seen: Statement[] = [];
  const connection = orm.em.getConnection() as unknown as { logQuery(sql: string, context?: { params?: readonly unknown[]; took?: number }): void };
  const log = connection.logQuery.bind(connection);
  connection.logQuery = (sql, context) => {
    // The ORM logs its own BEGIN and COMMIT with no context.
    if (context?.params) seen.push({ sql, params: context.params, took: context.took ?? 0 });
    log(sql, context);
  };
  return seen;
}

/**
 * Measures how long the event loop was held at a stretch while `work` ran: a 1 ms interval timer notes
 * how late each of its turns came (the gap since the previous turn, less the 1 ms it asked for).
 */
async function withStallMeter<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  let last = performance.now();
  let worst = 0;
  const note = () => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 1);
    last = now;
  };
  const timer = setInterval(note, 1);
  try {
    const result = await work();
    note(); // the stretch from the last turn to the end of the work
    return { result, stallMs: worst };
  } finally {
    clearInterval(timer);
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function bench(label: string, database: DatabaseConfig): Promise<void> {
  const orm = await initOrm(database);
  try {
    const em = orm.em.fork();
    const keys = new ApiKeyService('bench-metrics-secret');
    const organisation = await keys.createOrganisation(em, 'bench', 'Bench contact center');
    await keys.setTimeZone(em, 'bench', 'America/New_York');
    const prod: Tenant = { organisationId: organisation.id, environment: Environment.PROD };
    const test: Tenant = { organisationId: organisation.id, environment: Environment.TEST };
    const seeded = await seedMetrics(orm.em.fork(), {
      tenants: [{ tenant: prod, share: 0.7 }, { tenant: test, share: 0.3 }],
      calls: CALLS,
      customers: Math.round(CALLS * 0.3),
      days: 180,
      end: END,
    });
    console.log(`\n## ${label}`);
    console.log(
      `seeded ${seeded.calls} calls, ${seeded.customers} customers, ${seeded.intents} intents (${seeded.rows} rows) in ` +
        `${seeded.seconds.toFixed(1)} s: ${Math.round(seeded.rows / seeded.seconds)} rows/s`,
    );
    if (database.engine === 'postgresql') await orm.em.getConnection().execute('vacuum analyze');

    const service = new MetricsService({ csatVariable: 'csat', repeatWindowDays: 7, transferWindowMinutes: 15 });
    const statements = recordStatements(orm);
    console.log('\n| scenario (prod: 70% of the calls) | calls counted | p50 ms | p95 ms | longest stall p50 / max ms | runs |');
    console.log('|---|---|---|---|---|---|');
    for (const { name, request } of SCENARIOS) {
      const report = await service.report(orm.em.fork(), prod, request); // warm-up
      const times: number[] = [];
      const stalls: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        const { stallMs } = await withStallMeter(() => service.report(orm.em.fork(), prod, request));
        times.push(performance.now() - started);
        stalls.push(stallMs);
      }
      times.sort((a, b) => a - b);
      stalls.sort((a, b) => a - b);
      const counted = report.current.calls + (report.comparison?.calls ?? 0);
      const stall = `${percentile(stalls, 50).toFixed(0)} / ${stalls.at(-1)!.toFixed(0)}`;
      console.log(`| ${name} | ${counted} | ${percentile(times, 50).toFixed(0)} | ${percentile(times, 95).toFixed(0)} | ${stall} | ${RUNS} |`);
    }
    // One more report of the shortest and of the longest scenario, statement by statement (the longest
    // statements only when there are many: SQLite reads a long period a month at a time).
    const shown = (s: Statement) => `${s.took} ${s.sql.replace(/\s+/g, ' ').slice(0, 48)}…`;
    for (const { name, request } of [SCENARIOS[0]!, SCENARIOS.at(-1)!]) {
      statements.length = 0;
      await service.report(orm.em.fork(), prod, request);
      const slowest = [...statements].sort((a, b) => b.took - a.took).slice(0, 5);
      const list = statements.length <= 15 ? statements.map(shown).join(' | ') : `the 5 longest: ${slowest.map(shown).join(' | ')}`;
      console.log(`\n${statements.length} statements of one report, ${name} (ms): ${list}`);
      if (PLANS) await printPlans(orm, [...statements]);
    }
  } finally {
    await orm.close(true);
  }
}

async function printPlans(orm: MikroORM, statements: Statement[]): Promise<void> {
  // The EXPLAINs are recorded too: walk a copy. On PostgreSQL, as the report runs them: JIT off.
  const queries = statements.filter((s) => /^\s*(select|with)/i.test(s.sql));
  const explainAll = async (sql: Sql) => {
    if (sql.dialect.name === 'postgresql') await sql.run('set local jit = off');
    for (const s of queries) {
      const explain = sql.dialect.name === 'postgresql' ? `explain (analyze, buffers) ${s.sql.replace(/\$\d+/g, '?')}` : `explain query plan ${s.sql}`;
      const rows = await sql.all<Record<string, unknown>>(explain, s.params);
      console.log(`\n${s.sql.replace(/\s+/g, ' ').slice(0, 120)}\n${rows.map((r) => `  ${r['QUERY PLAN'] ?? r.detail}`).join('\n')}`);
    }
  };
  const em = orm.em.fork();
  if (sqlOf(em).dialect.name === 'postgresql') await transactionRunner(em)(explainAll);
  else await explainAll(sqlOf(em));
}

async function main(): Promise<void> {
  if (process.env.BENCH_METRICS_SQLITE !== '0') {
    const dir = mkdtempSync(join(tmpdir(), 'cm-bench-metrics-'));
    try {
      await bench('SQLite (fresh file, WAL)', { engine: 'sqlite', path: join(dir, 'caller-memory.db') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const pg = process.env.DATABASE_URL;
  if (pg) await withScratchPostgres(pg, 'cm_bench_metrics', (url) => bench('PostgreSQL (fresh database)', { engine: 'postgresql', url }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
