/**
 * `npm run bench:scale`: seeds a fresh database at each size (default 10,000 and 1,000,000 customers in
 * issue 12's shape, scripts/seed/) and measures the returning caller there: start (by ANI, a random
 * seeded customer each time) and the end of those calls (intent + 2 variables), sequentially (one client,
 * so p50/p99 are the service's own latency), with the service's CPU µs per request from /proc; then a
 * 10-connection load of returning starts, after which it reads the service's RSS (current and peak).
 * SQLite always; PostgreSQL too when DATABASE_URL is set (a scratch database per size, dropped after).
 *
 *   SCALE_SIZES=10000,100000   sizes to seed (default 10000,1000000)
 *   SCALE_REQUESTS=2000        sequential requests per scenario (default 2000, after 300 warm-up starts)
 *   SCALE_LOAD_SECONDS=10      length of the 10-connection load (default 10)
 *   SCALE_DIST=1               run the built service (node dist/src/main.js, `npm run build` first) instead of @swc-node/register
 *   SCALE_ENGINES=sqlite       only these engines (default: sqlite, and postgresql when DATABASE_URL is set)
 *   SCALE_NODE_ARGS=…          the service's node flags (default: the production heap flags of the Dockerfile and systemd unit)
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import autocannon from 'autocannon';
import { Client } from 'pg';

import { loadConfig } from '../src/config';
import { generateApiKey } from '../src/tenancy/api-key-format';
import { Environment } from '../src/tenancy/environment';
import { startBenchService, type BenchService } from './bench-service';
import { withScratchPostgres } from './scratch-postgres';
import { seed } from './seed/seed';
import { seededAni } from './seed/seed-rows';

const SIZES = (process.env.SCALE_SIZES ?? '10000,1000000').split(',').map(Number);
const REQUESTS = Number(process.env.SCALE_REQUESTS ?? 2000);
const WARM_UP = 300;
const LOAD_SECONDS = Number(process.env.SCALE_LOAD_SECONDS ?? 10);
const DIST = process.env.SCALE_DIST === '1';
const NODE_ARGS = (process.env.SCALE_NODE_ARGS ?? '--max-semi-space-size=8 --max-old-space-size=192').split(' ').filter(Boolean);
const KEY = generateApiKey(Environment.PROD);
const SECRET = 'bench-secret-'.padEnd(40, 'x');
const TICKS_PER_SECOND = 100;

interface Row {
  engine: string;
  customers: number;
  seedPerSecond: number;
  startP50: number;
  startP99: number;
  startCpuUs: number;
  endP50: number;
  endP99: number;
  endCpuUs: number;
  rssMb: number;
  peakRssMb: number;
  sizeMb: number;
}

function startService(env: Record<string, string>): Promise<BenchService> {
  return startBenchService({ nodeArgs: NODE_ARGS, dist: DIST, key: KEY, secret: SECRET, env: { PURGE_INTERVAL_SECONDS: '0', ...env } });
}

const cpuUs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1e6;
};
const rssMb = (pid: number, field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const headers = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' };

async function post(url: string, path: string, body: object): Promise<void> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
}

/** `count` sequential requests: p50 and p99 in ms, service CPU µs per request. */
async function sequential(service: BenchService, count: number, request: (n: number) => [string, object]) {
  const times: number[] = [];
  const cpuBefore = cpuUs(service.child.pid!);
  for (let n = 0; n < count; n++) {
    const [path, body] = request(n);
    const t = performance.now();
    await post(service.url, path, body);
    times.push(performance.now() - t);
  }
  const cpu = (cpuUs(service.child.pid!) - cpuBefore) / count;
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), cpuUs: cpu };
}

// A fixed pseudo-random sequence of seeded customers, the same at every size's scale.
const pick = (n: number, customers: number) => Math.floor(((n * 2654435761) % 4294967296) / 4294967296 * customers);

async function measure(engine: string, customers: number, seedPerSecond: number, env: Record<string, string>, size: () => Promise<number>): Promise<Row> {
  const service = await startService(env);
  try {
    const start = (prefix: string) => (n: number): [string, object] => [
      '/v1/calls/start',
      { call_id: `${prefix}-${n}`, identity_hints: { ani: seededAni(pick(n, customers)) } },
    ];
    await sequential(service, WARM_UP, start('warm'));
    const s = await sequential(service, REQUESTS, start('ret'));
    const e = await sequential(service, REQUESTS, (n) => [
      '/v1/calls/end',
      { call_id: `ret-${n}`, customer_ref: '', intent: 'billing_question', variables: { name: `Caller ${pick(n, customers)}`, last_summary: 'Asked about an invoice' } },
    ]);
    let n = 0;
    await autocannon({
      url: service.url,
      connections: 10,
      duration: LOAD_SECONDS,
      requests: [{ method: 'POST', path: '/v1/calls/start', headers, setupRequest: (req: object) => ({ ...req, body: JSON.stringify({ call_id: `load-${n}`, identity_hints: { ani: seededAni(pick(n++, customers)) } }) }) }],
    } as autocannon.Options);
    return {
      engine, customers, seedPerSecond,
      startP50: s.p50, startP99: s.p99, startCpuUs: s.cpuUs,
      endP50: e.p50, endP99: e.p99, endCpuUs: e.cpuUs,
      rssMb: rssMb(service.child.pid!, 'VmRSS'), peakRssMb: rssMb(service.child.pid!, 'VmHWM'),
      sizeMb: (await size()) / 1e6,
    };
  } finally {
    service.child.kill('SIGTERM');
    await new Promise((resolve) => service.child.once('exit', resolve));
  }
}

async function seeded(customers: number, env: Record<string, string>) {
  const config = loadConfig({ ...process.env, NODE_ENV: 'production', APP_SECRET: SECRET, DATABASE_URL: '', ...env });
  const result = await seed(config, {
    customers,
    organisation: 'default',
    environment: Environment.PROD,
    key: KEY,
    progress: (done) => process.stderr.write(`\r  seeding ${done.toLocaleString('en')}/${customers.toLocaleString('en')}`),
  });
  process.stderr.write('\n');
  return result.perSecond;
}

async function sqlite(customers: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'cm-scale-'));
  try {
    const perSecond = await seeded(customers, { DATA_DIR: dir });
    const file = join(dir, 'caller-memory.db');
    // The database file; its -wal is bounded apart (SQLITE_WAL_LIMIT_MB) and checkpointed back into it.
    const size = async () => statSync(file).size;
    return await measure('SQLite', customers, perSecond, { DATA_DIR: dir }, size);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgres(base: string, customers: number): Promise<Row> {
  let row: Row | undefined;
  await withScratchPostgres(base, `cm_scale_${customers}`, async (url) => {
    const perSecond = await seeded(customers, { DATABASE_URL: url });
    const size = async () => {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        return Number((await client.query<{ size: string }>('select pg_database_size(current_database()) as size')).rows[0]!.size);
      } finally {
        await client.end();
      }
    };
    row = await measure('PostgreSQL', customers, perSecond, { DATABASE_URL: url }, size);
  });
  return row!;
}

function print(rows: Row[]): void {
  const f = (n: number, d = 2) => n.toFixed(d);
  console.log(`\nbench:scale (${DIST ? 'node dist/' : '@swc-node/register'} ${NODE_ARGS.join(' ')}; ${REQUESTS} sequential requests per scenario; RSS after ${LOAD_SECONDS} s at 10 connections)`);
  console.log('| engine | customers | seed/s | start p50 ms | start p99 ms | start CPU µs | end p50 ms | end p99 ms | end CPU µs | RSS MB (peak) | size MB | start p50 vs smallest |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const base = rows.find((b) => b.engine === r.engine)!;
    console.log(
      `| ${r.engine} | ${r.customers.toLocaleString('en')} | ${Math.round(r.seedPerSecond).toLocaleString('en')} | ${f(r.startP50)} | ${f(r.startP99)} | ${f(r.startCpuUs, 0)} | ${f(r.endP50)} | ${f(r.endP99)} | ${f(r.endCpuUs, 0)} | ${f(r.rssMb, 0)} (${f(r.peakRssMb, 0)}) | ${f(r.sizeMb, 0)} | ×${f(r.startP50 / base.startP50)} |`,
    );
  }
}

async function main(): Promise<void> {
  const pg = process.env.DATABASE_URL;
  const engines = process.env.SCALE_ENGINES?.split(',') ?? (pg ? ['sqlite', 'postgresql'] : ['sqlite']);
  const rows: Row[] = [];
  for (const engine of engines) {
    for (const customers of SIZES) {
      console.error(`${engine}, ${customers.toLocaleString('en')} customers`);
      rows.push(engine === 'sqlite' ? await sqlite(customers) : await postgres(pg!, customers));
      print(rows);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
