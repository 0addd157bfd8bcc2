/**
 * `npm run bench:operations` (also the last part of `npm run bench`): what running it like a service costs
 * (issue 13). Starts the service in production mode with the operations OFF (RATE_LIMIT_PER_MINUTE=0,
 * REQUEST_LOG=false, no OTLP endpoint, nobody scraping /metrics), ON (a rate limit never reached:
 * 10,000,000 a minute; the request log on; /metrics scraped every second with METRICS_TOKEN; traces
 * exported to an OTLP/HTTP sink in this process that answers 200, sampled as shipped) and ON traced (the
 * same with TRACE_SAMPLE_RATIO=1: every request traced), in turn (OFF, ON, ON traced, OFF, …:
 * BENCH_OPERATIONS_ROUNDS rounds, default 2) on one SQLite file, then on one PostgreSQL database when
 * DATABASE_URL is set, so that drift within the run falls on all. Each run drives returning-caller starts,
 * then the ends of those calls, with autocannon (10 connections, BENCH_SECONDS each, default 10), and
 * prints req/s, p50/p99 and the service's CPU µs per request; then the means of each mode and ON over OFF
 * (the target: ON costs under 10% of throughput). The Prometheus series are recorded in every mode (they
 * cannot be switched off); ON adds the scrapes. BENCH_ENGINE=sqlite|postgresql runs one engine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateApiKey } from '../src/tenancy/api-key-format';
import { Environment } from '../src/tenancy/environment';
import { CONNECTIONS, drive, exited, jsonAuth, SECONDS, SEEDED, seededAni, seedReturningCallers, settle, type Figures } from './bench-load';
import { startBenchService, type BenchService } from './bench-service';
import { withScratchPostgres } from './scratch-postgres';

const ROUNDS = Number(process.env.BENCH_OPERATIONS_ROUNDS ?? 2);
const ENGINE = process.env.BENCH_ENGINE;
/** For profiling: BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" for the service processes. */
const NODE_ARGS = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
/** For weighing one operation: BENCH_OPERATIONS_ON=limit,log,metrics,traces (default all) says which ON turns on. */
const ON = new Set((process.env.BENCH_OPERATIONS_ON ?? 'limit,log,metrics,traces').split(','));
const KEY = generateApiKey(Environment.PROD);
const METRICS_TOKEN = 'bench-metrics-token-'.padEnd(40, 'x');
const WARM_UP_REQUESTS = 2000;
const SCENARIOS = ['start, returning caller', 'end, intent + variable'] as const;

/** OFF; ON as shipped (traces sampled at TRACE_SAMPLE_RATIO's default); ON with every request traced. */
type Mode = 'OFF' | 'ON' | 'ON traced';
const MODES: readonly Mode[] = ['OFF', 'ON', 'ON traced'];

/** An OTLP/HTTP sink: takes every export, answers 200, counts what came. */
interface Sink {
  endpoint: string;
  exports: number;
  bytes: number;
  close(): Promise<void>;
}

async function startSink(): Promise<Sink> {
  const sink = { endpoint: '', exports: 0, bytes: 0, close: () => Promise.resolve() };
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (sink.bytes += chunk.length));
    req.on('end', () => {
      sink.exports++;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  sink.close = () => new Promise((resolve) => server.close(() => resolve()));
  return sink;
}

/** Scrapes /metrics every second, as Prometheus would; `stop()` says how many scrapes answered 200. */
function scrapeEverySecond(url: string): { stop(): { ok: number; failed: number; lastText: string } } {
  const tally = { ok: 0, failed: 0, lastText: '' };
  const timer = setInterval(() => {
    fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })
      .then(async (res) => {
        const text = await res.text();
        if (res.ok) {
          tally.ok++;
          tally.lastText = text;
        } else tally.failed++;
      })
      .catch(() => tally.failed++);
  }, 1000);
  return {
    stop: () => {
      clearInterval(timer);
      return tally;
    },
  };
}

/** The operations' settings of each mode. */
function settingsOf(mode: Mode, sink: Sink): Record<string, string> {
  if (mode === 'OFF') return { RATE_LIMIT_PER_MINUTE: '0', REQUEST_LOG: 'false' };
  return {
    ...(mode === 'ON traced' && { TRACE_SAMPLE_RATIO: '1' }),
    RATE_LIMIT_PER_MINUTE: ON.has('limit') ? '10000000' : '0',
    REQUEST_LOG: String(ON.has('log')),
    ...(ON.has('metrics') && { METRICS_TOKEN }),
    ...(ON.has('traces') && { OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint }),
  };
}

interface Run {
  mode: Mode;
  figures: Figures[];
  /** What ON showed was really on. */
  note?: string;
}

/** One service start in `mode` on the database of `env`: returning-caller starts, then their ends. */
async function run(mode: Mode, round: number, env: Record<string, string>, sink: Sink, seed: boolean): Promise<Run> {
  const service: BenchService = await startBenchService({ nodeArgs: NODE_ARGS, key: KEY, secret: 'bench-secret-'.padEnd(40, 'x'), env: { ...env, ...settingsOf(mode, sink) } });
  const auth = jsonAuth(KEY);
  const callId = (n: number) => `ops-${round}-${mode}-${n}`;
  try {
    if (seed) {
      await seedReturningCallers(service.url, KEY);
      await settle(env);
    }
    const limited = (await fetch(`${service.url}/v1/calls/start`, { method: 'POST', headers: auth, body: JSON.stringify({ call_id: callId(-1), identity_hints: { ani: seededAni(0) } }) })).headers.has('ratelimit-policy');
    // Warm-up, not measured: the first seconds of a process compile its code paths (and ON's instrumentations).
    await drive('warm-up', service, (n) => ({ method: 'POST', path: '/v1/calls/start', headers: auth, body: JSON.stringify({ call_id: `warm-${round}-${mode}-${n}`, identity_hints: { ani: seededAni(n % SEEDED) } }) }), WARM_UP_REQUESTS);
    const exportsBefore = sink.exports;
    const scraping = mode !== 'OFF' && ON.has('metrics') ? scrapeEverySecond(service.url) : undefined;
    let started = 0;
    const starts = await drive(SCENARIOS[0], service, (n) => {
      started = Math.max(started, n + 1);
      return { method: 'POST', path: '/v1/calls/start', headers: auth, body: JSON.stringify({ call_id: callId(n), identity_hints: { ani: seededAni(n % SEEDED) } }) };
    });
    const ends = await drive(
      SCENARIOS[1],
      service,
      (n) => ({ method: 'POST', path: '/v1/calls/end', headers: auth, body: JSON.stringify({ call_id: callId(n), intent: 'Billing Question', intent_status: 'open', variables: { last_summary: 'Asked about an invoice' } }) }),
      Math.max(started - CONNECTIONS, CONNECTIONS),
    );
    const scrapes = scraping?.stop();
    const logged = /request_log_entries_total\{outcome="(\w+)"\} (\d+)/g;
    const entries = scrapes ? [...scrapes.lastText.matchAll(logged)].map((m) => `${m[1]} ${m[2]}`).join(', ') || 'none' : '';
    const note = scrapes && `RateLimit headers: ${limited ? 'yes' : 'NO'}; request-log entries at the last scrape: ${entries}; scrapes ${scrapes.ok} ok, ${scrapes.failed} failed; OTLP exports ${sink.exports - exportsBefore}`;
    return { mode, figures: [starts, ends], note };
  } finally {
    service.child.kill('SIGTERM');
    await exited(service);
  }
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const pct = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

function print(label: string, runs: Run[]): void {
  console.log(`\n${label}: ${CONNECTIONS} connections, ${SECONDS} s per scenario, runs ${runs.map((r) => r.mode).join(', ')}; load generator on the same machine`);
  console.log('| run | scenario | req/s | p50 ms | p99 ms | service CPU µs/req | of it, event loop | non-2xx |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  runs.forEach((r, i) => r.figures.forEach((f) => console.log(`| ${i + 1} ${r.mode} | ${f.name} | ${f.rps.toFixed(0)} | ${f.p50} | ${f.p99} | ${f.cpuUs.toFixed(0)} | ${f.mainThreadUs.toFixed(0)} | ${f.non2xx} |`)));
  runs.forEach((r, i) => r.note && console.log(`  run ${i + 1} ${r.mode}: ${r.note}`));
  console.log(`\nMeans of ${ROUNDS} runs each; "ON/OFF" is ON's req/s over OFF's (100% = free; the aim: over 90%), "CPU ON/OFF" the service's CPU per request.`);
  console.log('ON is the operations as shipped (traces: the first request of each second, then 5%); "ON traced" traces every request (TRACE_SAMPLE_RATIO=1).');
  console.log('| scenario | OFF req/s | ON req/s | ON/OFF | ON traced req/s | ON traced/OFF | OFF p50/p99 ms | ON p50/p99 ms | OFF CPU µs | ON CPU µs | CPU ON/OFF |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [i, name] of SCENARIOS.entries()) {
    const of = (mode: Mode) => runs.filter((r) => r.mode === mode).map((r) => r.figures[i]);
    const [off, on, traced] = [of('OFF'), of('ON'), of('ON traced')];
    const rps = (fs: Figures[]) => mean(fs.map((f) => f.rps));
    const cpu = (fs: Figures[]) => mean(fs.map((f) => f.cpuUs));
    const lat = (fs: Figures[]) => `${mean(fs.map((f) => f.p50)).toFixed(1)} / ${mean(fs.map((f) => f.p99)).toFixed(1)}`;
    console.log(
      `| ${name} | ${rps(off).toFixed(0)} | ${rps(on).toFixed(0)} | ${pct(rps(on) / rps(off))} | ${rps(traced).toFixed(0)} | ${pct(rps(traced) / rps(off))} | ${lat(off)} | ${lat(on)} | ${cpu(off).toFixed(0)} | ${cpu(on).toFixed(0)} | ${pct(cpu(on) / cpu(off))} |`,
    );
  }
}

async function benchmark(label: string, env: Record<string, string>, sink: Sink): Promise<void> {
  const runs: Run[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of MODES) runs.push(await run(mode, round, env, sink, runs.length === 0));
  }
  print(label, runs);
}

/** The whole comparison, on SQLite and (DATABASE_URL) PostgreSQL; `npm run bench` runs it after its own scenarios. */
export async function benchOperations(): Promise<void> {
  // OFF means off: an endpoint in this shell's environment would reach the OFF runs (bench-service.ts passes it on).
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const sink = await startSink();
  try {
    if (ENGINE !== 'postgresql') {
      const dataDir = mkdtempSync(join(tmpdir(), 'cm-bench-ops-'));
      try {
        await benchmark('SQLite (fresh file, WAL)', { DATA_DIR: dataDir }, sink);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
    const pg = process.env.DATABASE_URL;
    if (pg && ENGINE !== 'sqlite') {
      await withScratchPostgres(pg, 'cm_bench_ops', (url) => benchmark('PostgreSQL (fresh database)', { DATABASE_URL: url }, sink));
    }
  } finally {
    await sink.close();
  }
}

if (require.main === module) {
  benchOperations().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
