/**
 * `npm run bench`: starts the service in production mode on a fresh SQLite file (and on a fresh PostgreSQL
 * database when DATABASE_URL is set), seeds returning callers, and drives it with autocannon (10
 * connections, BENCH_SECONDS per scenario, default 10). Prints req/s, p50 and p99 per scenario and each
 * as a ratio of a bare JSON route of the same app (GET /healthz), measured just before that scenario in
 * the same run, and the service's CPU time per request (from /proc), which the load generator's share
 * of the machine does not sway. The service runs in its default configuration (request log on, metrics
 * recorded, no tracing) but for the rate limit, set out of reach (see OUT_OF_REACH); what limiting, the
 * request log, metrics and tracing cost is `npm run bench:operations` (bench-operations.ts).
 *
 * For profiling one scenario: BENCH_ONLY=returning|new|end (the baseline still runs) and
 * BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" for the service process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateApiKey } from '../src/tenancy/api-key-format';
import { Environment } from '../src/tenancy/environment';
import { floorLine, postgresFloor, sqliteFloor, type Floor } from './bench-floor';
import { CONNECTIONS, drive, exited, jsonAuth, SECONDS, SEEDED, seededAni, seedReturningCallers, settle, type BenchRequest as Request, type Figures } from './bench-load';
import { benchOperations } from './bench-operations';
import { startBenchService, type BenchService } from './bench-service';
import { withScratchPostgres } from './scratch-postgres';

const ONLY = process.env.BENCH_ONLY;
/** BENCH_ENGINE=sqlite|postgresql: only that engine (default: SQLite, and PostgreSQL when DATABASE_URL is set). */
const ENGINE = process.env.BENCH_ENGINE;
const NODE_ARGS = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
const KEY = generateApiKey(Environment.PROD);

type Service = BenchService;

/**
 * The default configuration, but for the rate limit: one organisation sends ~1,000 requests a second here,
 * far past the default 6,000 a minute, so the limit is set out of reach (the limiter still runs on every
 * request). RATE_LIMIT_PER_MINUTE in the environment overrides it (0: limiter off).
 */
const OUT_OF_REACH = { RATE_LIMIT_PER_MINUTE: process.env.RATE_LIMIT_PER_MINUTE ?? '10000000' };

function startService(env: Record<string, string>): Promise<Service> {
  return startBenchService({ nodeArgs: NODE_ARGS, key: KEY, secret: 'bench-secret-'.padEnd(40, 'x'), env: { ...OUT_OF_REACH, ...env } });
}

const wanted = (scenario: 'returning' | 'new' | 'end') => !ONLY || ONLY === scenario;

const auth = jsonAuth(KEY);

const healthz = (): Request => ({ method: 'GET', path: '/healthz', headers: {} });

/** A scenario and the baseline measured just before it (the machine's speed drifts within a run). */
interface Pair {
  scenario: Figures;
  baseline: Figures;
}

async function benchmark(label: string, env: Record<string, string>, measureFloor: () => Promise<Floor>): Promise<void> {
  const service = await startService(env);
  const pairs: Pair[] = [];
  const measure = async (name: string, request: (n: number) => Request, maxRequests?: number) => {
    const baseline = await drive('baseline GET /healthz', service, healthz);
    pairs.push({ baseline, scenario: await drive(name, service, request, maxRequests) });
  };
  try {
    await seedReturningCallers(service.url, KEY);
    await settle(env);
    if (wanted('returning')) {
      await measure('start, returning caller', (n) => ({
        method: 'POST',
        path: '/v1/calls/start',
        headers: auth,
        body: JSON.stringify({ call_id: `ret-${n}`, identity_hints: { ani: seededAni(n % SEEDED) } }),
      }));
    }
    // The end scenario ends the calls this one started, so it runs for either.
    let started = 0;
    if (wanted('new') || wanted('end')) {
      await measure('start, new caller', (n) => {
        started = Math.max(started, n + 1);
        return {
          method: 'POST',
          path: '/v1/calls/start',
          headers: auth,
          body: JSON.stringify({ call_id: `new-${n}`, identity_hints: { ani: `+1646${String(n).padStart(7, '0')}` } }),
        };
      });
    }
    if (wanted('end')) {
      await measure(
        'end, intent + 2 variables',
        (n) => ({
          method: 'POST',
          path: '/v1/calls/end',
          headers: auth,
          body: JSON.stringify({ call_id: `new-${n}`, customer_ref: '', intent: 'Billing Question', intent_status: 'open', variables: { name: `New ${n}`, last_summary: 'Asked about an invoice' } }),
        }),
        Math.max(started - CONNECTIONS, CONNECTIONS),
      );
    }
  } finally {
    service.child.kill('SIGTERM');
  }
  print(label, pairs);
  // The SQL floor in the same run, after the service has stopped (they would share the CPUs).
  await exited(service);
  const floor = await measureFloor();
  console.log(floorLine(label, floor));
  const byName: Record<string, [number, number]> = {
    'start, returning caller': [floor.returning, floor.rate.returning],
    'start, new caller': [floor.new, floor.rate.new],
    'end, intent + 2 variables': [floor.end, floor.rate.end],
  };
  // The floor's calls/s over the scenario's own baseline: the ceiling of "vs baseline" for any service that sends these statements here.
  for (const { scenario, baseline } of pairs) {
    const [cpu, rate] = byName[scenario.name];
    console.log(`  ${scenario.name}: service ${scenario.cpuUs.toFixed(0)} µs = ${(scenario.cpuUs / cpu).toFixed(2)}× the floor; floor ${rate.toFixed(0)} calls/s = ${((rate / baseline.rps) * 100).toFixed(1)}% of the baseline`);
  }
}

function print(label: string, pairs: Pair[]): void {
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const baselines = pairs.map((p) => p.baseline);
  console.log(`\n${label}: ${CONNECTIONS} connections, ${SECONDS} s per scenario, load generator on the same machine`);
  console.log('Each scenario is compared with a baseline run just before it; "vs baseline" is req/s over that baseline\'s req/s.');
  console.log('| scenario | req/s | p50 ms | p99 ms | baseline req/s | vs baseline | service CPU µs/req | non-2xx |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  const cpu = mean(baselines.map((b) => b.cpuUs));
  console.log(`| baseline GET /healthz (mean of ${baselines.length}) | ${mean(baselines.map((b) => b.rps)).toFixed(0)} | ${Math.max(...baselines.map((b) => b.p50))} | ${Math.max(...baselines.map((b) => b.p99))} | | 100% | ${cpu.toFixed(0)} | ${baselines.reduce((n, b) => n + b.non2xx, 0)} |`);
  for (const { scenario: f, baseline } of pairs) {
    const ratio = ((f.rps / baseline.rps) * 100).toFixed(1);
    console.log(`| ${f.name} | ${f.rps.toFixed(0)} | ${f.p50} | ${f.p99} | ${baseline.rps.toFixed(0)} | ${ratio}% | ${f.cpuUs.toFixed(0)} | ${f.non2xx} |`);
  }
}

async function main(): Promise<void> {
  if (ENGINE !== 'postgresql') {
    const dataDir = mkdtempSync(join(tmpdir(), 'cm-bench-'));
    try {
      await benchmark('SQLite (fresh file, WAL)', { DATA_DIR: dataDir }, sqliteFloor);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const pg = process.env.DATABASE_URL;
  if (pg && ENGINE !== 'sqlite') {
    await withScratchPostgres(pg, 'cm_bench', (url) => benchmark('PostgreSQL (fresh database)', { DATABASE_URL: url }, () => postgresFloor(pg)));
  }
  // What limiting, the request log, metrics and tracing cost: the same load with them off and on (bench-operations.ts).
  if (process.env.BENCH_OPERATIONS !== '0') {
    console.log('\n## Operations off and on (BENCH_OPERATIONS=0 skips this part; alone: npm run bench:operations)');
    await benchOperations();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
