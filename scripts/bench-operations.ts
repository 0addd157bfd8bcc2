/**
 * `npm run bench:operations` (also the last part of `npm run bench`): what running it like a service costs
 * (issue 13). Three services run at once in production mode, each on a SQLite file of its own, or on
 * PostgreSQL all on one database, as the instances of one deployment are (BENCH_OPERATIONS_DATABASES=own
 * gives each a database of its own: identical services then differed by up to 13%, the databases' backends
 * by 10% in CPU per request, as their tables and plans drifted apart; sharing one, by 3% at most):
 *   OFF        RATE_LIMIT_PER_MINUTE=0, REQUEST_LOG=false, no OTLP endpoint, nobody scraping /metrics;
 *   ON         as shipped with everything on: a rate limit never reached (10,000,000 a minute), the request
 *              log, /metrics scraped every second with METRICS_TOKEN, traces exported to an OTLP/HTTP sink in
 *              this process (which answers 200), sampled as shipped (TRACE_SAMPLE_RATIO's and
 *              TRACE_MAX_PER_SECOND's defaults);
 *   ON traced  ON with every request traced (TRACE_SAMPLE_RATIO=1, TRACE_MAX_PER_SECOND=0).
 * The load goes to one service at a time in short slices, in turn (OFF, ON, ON traced, then the next slice
 * in a rotated order), so that whatever else the machine does during the run falls on all three alike:
 * returning-caller starts, then the ends of those calls, with autocannon (10 connections). Each mode gets
 * BENCH_OPERATIONS_SLICES slices (default 8) of BENCH_SLICE_SECONDS (default 2) per scenario. Prints, per
 * mode and scenario, req/s over all its slices, the mean of the slices' p50/p99, and the service's CPU µs
 * per request (all threads, and the event loop's share); then ON over OFF (the aim: over 90%), over all
 * slices and, as the median and range of each round's ratio, slice by slice.
 * The Prometheus series are recorded in every mode (they cannot be switched off); ON adds the scrapes.
 * BENCH_ENGINE=sqlite|postgresql runs one engine; BENCH_OPERATIONS_ON=limit,log,metrics,traces says what
 * ON turns on (default all), to weigh one at a time; BENCH_NODE_ARGS passes node flags (e.g. --cpu-prof).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateApiKey } from '../src/tenancy/api-key-format';
import { Environment } from '../src/tenancy/environment';
import { CONNECTIONS, drive, exited, fetchRetryingOnce, jsonAuth, SEEDED, seededAni, seedReturningCallers, settle, upkeep, type BenchRequest, type Figures } from './bench-load';
import { startBenchService, type BenchService } from './bench-service';
import { withScratchPostgres } from './scratch-postgres';

const SLICES = Number(process.env.BENCH_OPERATIONS_SLICES ?? 8);
const SLICE_SECONDS = Number(process.env.BENCH_SLICE_SECONDS ?? 2);
const ENGINE = process.env.BENCH_ENGINE;
const NODE_ARGS = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
const ON = new Set((process.env.BENCH_OPERATIONS_ON ?? 'limit,log,metrics,traces').split(','));
const KEY = generateApiKey(Environment.PROD);
const METRICS_TOKEN = 'bench-metrics-token-'.padEnd(40, 'x');
const WARM_UP_REQUESTS = 2000;
const SCENARIOS = ['start, returning caller', 'end, intent + variable'] as const;

type Mode = 'OFF' | 'ON' | 'ON traced';
const MODES: readonly Mode[] = ['OFF', 'ON', 'ON traced'];
/** Each mode's prefix for the call ids it makes: on PostgreSQL the three services share one database. */
const CALL_PREFIX: Record<Mode, string> = { OFF: 'off', ON: 'on', 'ON traced': 'traced' };

/** An OTLP/HTTP sink: takes every export, answers 200, counts what came. */
interface Sink {
  endpoint: string;
  exports: number;
  close(): Promise<void>;
}

async function startSink(): Promise<Sink> {
  const sink = { endpoint: '', exports: 0, close: () => Promise.resolve() };
  const server = createServer((req, res) => {
    req.resume();
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

/** What scraping /metrics every second saw. */
interface Scrapes {
  ok: number;
  failed: number;
  lastText: string;
}

/** Scrapes /metrics every second while `during` runs, as Prometheus would. */
async function scrapingEverySecond<T>(url: string, tally: Scrapes, during: () => Promise<T>): Promise<T> {
  const scrape = () =>
    fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })
      .then(async (res) => {
        const text = await res.text();
        if (res.ok) {
          tally.ok++;
          tally.lastText = text;
        } else tally.failed++;
      })
      .catch(() => tally.failed++);
  const timer = setInterval(() => void scrape(), 1000);
  try {
    return await during();
  } finally {
    clearInterval(timer);
  }
}

/** The operations' settings of each mode. */
function settingsOf(mode: Mode, sink: Sink): Record<string, string> {
  if (mode === 'OFF') return { RATE_LIMIT_PER_MINUTE: '0', REQUEST_LOG: 'false' };
  return {
    ...(mode === 'ON traced' && { TRACE_SAMPLE_RATIO: '1', TRACE_MAX_PER_SECOND: '0' }),
    RATE_LIMIT_PER_MINUTE: ON.has('limit') ? '10000000' : '0',
    REQUEST_LOG: String(ON.has('log')),
    ...(ON.has('metrics') && { METRICS_TOKEN }),
    ...(ON.has('traces') && { OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint }),
  };
}

/** One mode's service and what its slices measured. */
interface Contender {
  mode: Mode;
  service: BenchService;
  /** Calls started (by the start scenario) and ended so far. */
  started: number;
  ended: number;
  /** Each scenario's slices, each with the round it ran in. */
  slices: Array<Array<Figures & { round: number }>>;
  scrapes: Scrapes;
  limited: boolean;
}

const auth = jsonAuth(KEY);
const startRequest = (callId: string, n: number): BenchRequest => ({ method: 'POST', path: '/v1/calls/start', headers: auth, body: JSON.stringify({ call_id: callId, identity_hints: { ani: seededAni(n % SEEDED) } }) });
const endRequest = (callId: string): BenchRequest => ({
  method: 'POST',
  path: '/v1/calls/end',
  headers: auth,
  body: JSON.stringify({ call_id: callId, intent: 'Billing Question', intent_status: 'open', variables: { last_summary: 'Asked about an invoice' } }),
});

/** Starts `mode`'s service on its database (in `started` at once, so a failure below still stops it), seeds it and warms it up (not measured). */
async function contender(mode: Mode, env: Record<string, string>, sink: Sink, started: Contender[]): Promise<void> {
  const service = await startBenchService({ nodeArgs: NODE_ARGS, key: KEY, secret: 'bench-secret-'.padEnd(40, 'x'), env: { ...env, ...settingsOf(mode, sink) } });
  const c: Contender = { mode, service, started: 0, ended: 0, slices: SCENARIOS.map(() => []), scrapes: { ok: 0, failed: 0, lastText: '' }, limited: false };
  started.push(c);
  const prefix = CALL_PREFIX[mode];
  // On a shared database the services started after the first find its callers there: their seeding replays.
  await seedReturningCallers(service.url, KEY);
  await settle(env);
  // Headers of its own: autocannon writes a content-length into the headers object of the requests it sent.
  c.limited = (await fetchRetryingOnce(`${service.url}/v1/calls/start`, { method: 'POST', headers: jsonAuth(KEY), body: startRequest(`${prefix}-probe`, 0).body })).headers.has('ratelimit-policy');
  // The first seconds of a process compile its code paths (and ON's instrumentations).
  await drive('warm-up', service, (n) => startRequest(`${prefix}-warm-${n}`, n), WARM_UP_REQUESTS);
}

/** One slice of `scenario` on `c` in round `round`: starts for SLICE_SECONDS, or ends of calls it started, as many as are left. */
async function slice(c: Contender, scenario: number, round: number): Promise<void> {
  const measure = async () => {
    if (scenario === 0) {
      const from = c.started;
      const figures = await drive(SCENARIOS[0], c.service, (n) => startRequest(`${CALL_PREFIX[c.mode]}-ops-${from + n}`, from + n), undefined, SLICE_SECONDS);
      c.started += figures.requests;
      return figures;
    }
    // Ends of started calls only (autocannon may have sent a few more starts than it counted answers for).
    const left = c.started - c.ended - CONNECTIONS;
    if (left < CONNECTIONS) return undefined;
    const from = c.ended;
    const figures = await drive(SCENARIOS[1], c.service, (n) => endRequest(`${CALL_PREFIX[c.mode]}-ops-${from + n}`), left, SLICE_SECONDS);
    c.ended += figures.requests;
    return figures;
  };
  const figures = c.mode !== 'OFF' && ON.has('metrics') ? await scrapingEverySecond(c.service.url, c.scrapes, measure) : await measure();
  if (figures) c.slices[scenario].push({ ...figures, round });
}

/** Each mode's figures over its slices: req/s over all of them, CPU per request over all, mean p50/p99. */
function total(slices: Figures[]): { rps: number; cpuUs: number; mainThreadUs: number; databaseUs: number; p50: number; p99: number; non2xx: number; requests: number } {
  const requests = slices.reduce((n, f) => n + f.requests, 0);
  const weighted = (field: 'cpuUs' | 'mainThreadUs' | 'databaseUs') => slices.reduce((n, f) => n + f[field] * f.requests, 0) / requests;
  const mean = (field: 'p50' | 'p99') => slices.reduce((n, f) => n + f[field], 0) / slices.length;
  return {
    requests,
    rps: requests / slices.reduce((n, f) => n + f.seconds, 0),
    cpuUs: weighted('cpuUs'),
    mainThreadUs: weighted('mainThreadUs'),
    databaseUs: weighted('databaseUs'),
    p50: mean('p50'),
    p99: mean('p99'),
    non2xx: slices.reduce((n, f) => n + f.non2xx, 0),
  };
}

const pct = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

/**
 * Each round's ratio of `mode`'s req/s to OFF's (the two slices ran one after the other), sorted: the
 * machine's speed drifts within a run, and a ratio of neighbouring slices cancels most of the drift.
 */
function roundRatios(mode: Array<Figures & { round: number }>, off: Array<Figures & { round: number }>): number[] {
  const offByRound = new Map(off.map((f) => [f.round, f]));
  return mode.flatMap((f) => (offByRound.has(f.round) ? [f.rps / offByRound.get(f.round)!.rps] : [])).sort((a, b) => a - b);
}

const median = (sorted: number[]) => (sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2);

/** The median of the rounds' ratios and their range, e.g. "91.2% (84.0–97.5%)". */
const roundsLine = (ratios: number[]) => `${pct(median(ratios))} (${pct(ratios[0])}–${pct(ratios[ratios.length - 1])})`;

function print(label: string, contenders: Contender[], sink: Sink, postgres: boolean): void {
  console.log(`\n${label}: ${CONNECTIONS} connections; each mode ${SLICES} slices of ${SLICE_SECONDS} s per scenario, in turn with the others; load generator on the same machine`);
  console.log(`| mode | scenario | requests | req/s | p50 ms | p99 ms | service CPU µs/req | of it, event loop |${postgres ? ' the database\'s backends\' CPU µs/req |' : ''} non-2xx |`);
  console.log(`|---|---|---:|---:|---:|---:|---:|---:|${postgres ? '---:|' : ''}---:|`);
  const totals = contenders.map((c) => SCENARIOS.map((_, i) => total(c.slices[i])));
  contenders.forEach((c, m) =>
    SCENARIOS.forEach((name, i) => {
      const t = totals[m][i];
      console.log(`| ${c.mode} | ${name} | ${t.requests} | ${t.rps.toFixed(0)} | ${t.p50.toFixed(1)} | ${t.p99.toFixed(1)} | ${t.cpuUs.toFixed(0)} | ${t.mainThreadUs.toFixed(0)} |${postgres ? ` ${t.databaseUs.toFixed(0)} |` : ''} ${t.non2xx} |`);
    }),
  );
  for (const c of contenders.filter((c) => c.mode !== 'OFF')) {
    const logged = [...c.scrapes.lastText.matchAll(/request_log_entries_total\{outcome="(\w+)"\} (\d+)/g)].map((m) => `${m[1]} ${m[2]}`).join(', ') || 'none';
    console.log(`  ${c.mode}: RateLimit headers ${c.limited ? 'yes' : 'NO'}; request-log entries at the last scrape: ${logged}; scrapes ${c.scrapes.ok} ok, ${c.scrapes.failed} failed`);
  }
  console.log(`  OTLP exports received (both traced modes): ${sink.exports}`);
  if (postgres) console.log("  The database's backends: all of them, during the mode's own slices (the other services idle then, but for the request log's commits up to 0.5 s after a slice of theirs).");
  console.log('\n"ON/OFF" is ON\'s req/s over OFF\'s (100% = free; the aim: over 90%); "CPU ON/OFF" the service\'s CPU per request.');
  console.log('ON is the operations as shipped (traces: the first request of each second, then 5%, at most 10 a second); "ON traced" traces every request (TRACE_SAMPLE_RATIO=1, TRACE_MAX_PER_SECOND=0).');
  console.log('"ON/OFF by round" is the median (and range) of each round\'s ON slice over the OFF slice next to it.');
  console.log('| scenario | OFF req/s | ON req/s | ON/OFF | ON/OFF by round | ON traced req/s | ON traced/OFF | OFF CPU µs | ON CPU µs | CPU ON/OFF | ON traced CPU µs |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const slicesOf = (mode: Mode, i: number) => contenders.find((c) => c.mode === mode)!.slices[i];
  SCENARIOS.forEach((name, i) => {
    const [off, on, traced] = MODES.map((mode) => totals[contenders.findIndex((c) => c.mode === mode)][i]);
    const byRound = roundsLine(roundRatios(slicesOf('ON', i), slicesOf('OFF', i)));
    console.log(
      `| ${name} | ${off.rps.toFixed(0)} | ${on.rps.toFixed(0)} | ${pct(on.rps / off.rps)} | ${byRound} | ${traced.rps.toFixed(0)} | ${pct(traced.rps / off.rps)} | ${off.cpuUs.toFixed(0)} | ${on.cpuUs.toFixed(0)} | ${pct(on.cpuUs / off.cpuUs)} | ${traced.cpuUs.toFixed(0)} |`,
    );
  });
}

/** The three modes on the databases `envs` gives, sliced in turn; prints the figures. */
async function benchmark(label: string, envs: Record<Mode, Record<string, string>>, sink: Sink, postgres = false): Promise<void> {
  const contenders: Contender[] = [];
  try {
    for (const mode of MODES) await contender(mode, envs[mode], sink, contenders);
    for (const scenario of SCENARIOS.keys()) {
      for (let k = 0; k < SLICES; k++) {
        for (const env of new Set(contenders.map((c) => envs[c.mode]))) await upkeep(env);
        // A rotated order each slice: no mode always comes first after another's load.
        for (let j = 0; j < contenders.length; j++) await slice(contenders[(k + j) % contenders.length], scenario, k);
      }
    }
  } finally {
    for (const c of contenders) c.service.child.kill('SIGTERM');
    await Promise.all(contenders.map((c) => exited(c.service)));
  }
  print(label, contenders, sink, postgres);
}

/** One scratch PostgreSQL database the three modes' services share, as instances of one deployment do. */
function withSharedDatabase(pg: string, run: (envs: Record<Mode, Record<string, string>>) => Promise<void>): Promise<void> {
  return withScratchPostgres(pg, 'cm_ops', (url) => {
    const shared = { DATABASE_URL: url };
    return run({ OFF: shared, ON: shared, 'ON traced': shared });
  });
}

/** Three scratch PostgreSQL databases, one per mode. */
function withThreeDatabases(pg: string, run: (envs: Record<Mode, Record<string, string>>) => Promise<void>): Promise<void> {
  return withScratchPostgres(pg, 'cm_ops_off', (off) =>
    withScratchPostgres(pg, 'cm_ops_on', (on) => withScratchPostgres(pg, 'cm_ops_traced', (traced) => run({ OFF: { DATABASE_URL: off }, ON: { DATABASE_URL: on }, 'ON traced': { DATABASE_URL: traced } }))),
  );
}

/** The whole comparison, on SQLite and (DATABASE_URL) PostgreSQL; `npm run bench` runs it after its own scenarios. */
export async function benchOperations(): Promise<void> {
  // OFF means off: an endpoint in this shell's environment would reach OFF (bench-service.ts passes it on).
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const sink = await startSink();
  try {
    if (ENGINE !== 'postgresql') {
      const dirs = MODES.map(() => mkdtempSync(join(tmpdir(), 'cm-bench-ops-')));
      try {
        await benchmark('SQLite (fresh files, WAL)', { OFF: { DATA_DIR: dirs[0] }, ON: { DATA_DIR: dirs[1] }, 'ON traced': { DATA_DIR: dirs[2] } }, sink);
      } finally {
        for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
      }
    }
    const pg = process.env.DATABASE_URL;
    if (pg && ENGINE !== 'sqlite') {
      if (process.env.BENCH_OPERATIONS_DATABASES === 'own') await withThreeDatabases(pg, (envs) => benchmark('PostgreSQL (fresh databases)', envs, sink, true));
      else await withSharedDatabase(pg, (envs) => benchmark('PostgreSQL (one fresh database, shared)', envs, sink, true));
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
