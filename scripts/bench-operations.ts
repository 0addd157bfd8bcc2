/**
 * `npm run bench:operations` (also the last part of `npm run bench`): what running it like a service costs
 * (issue 13). Three modes run at once in production mode, each as BENCH_OPERATIONS_PROCESSES services
 * (default 2), each service on a SQLite file of its own, or on PostgreSQL all on one database, as the
 * instances of one deployment are (BENCH_OPERATIONS_DATABASES=own gives each mode a database of its own:
 * identical services then differed by up to 13%, the databases' backends by 10% in CPU per request, as
 * their tables and plans drifted apart; sharing one, by 3% at most):
 *   OFF        RATE_LIMIT_PER_MINUTE=0, REQUEST_LOG=false, no OTLP endpoint, nobody scraping /metrics;
 *   ON         as shipped with everything on: a rate limit never reached (10,000,000 a minute), the request
 *              log, /metrics scraped every second with METRICS_TOKEN, traces exported to an OTLP/HTTP sink in
 *              this process (which answers 200), sampled as shipped (TRACE_SAMPLE_RATIO's and
 *              TRACE_MAX_PER_SECOND's defaults);
 *   ON traced  ON with every request traced (TRACE_SAMPLE_RATIO=1, TRACE_MAX_PER_SECOND=0).
 * Several services per mode, because identical services differ: one process serves a few percent more or
 * fewer requests a second than an identical one all through a run (4–11% in the seventh session; six
 * identical services spanned 1,475–1,633 starts a second in the ninth), and with one service per mode
 * that lottery moved the ratio as much as what it measures. So each mode runs BENCH_OPERATIONS_PROCESSES
 * services at a time (default 2: on PostgreSQL each holds up to a dozen connections, and the server allows
 * 100), in BENCH_OPERATIONS_SITTINGS sittings (default 2), each with fresh services: four draws per mode.
 * The load goes to one service at a time in short slices, in turn (OFF, ON, ON traced, their second
 * services, then the next round in a rotated order), so that whatever else the machine does during the
 * run falls on all of them alike: returning-caller starts, then the ends of those calls, with autocannon
 * (10 connections). Each service gets BENCH_OPERATIONS_SLICES slices (default 10) of BENCH_SLICE_SECONDS
 * (default 1) per scenario.
 * Prints, per mode and scenario, req/s over all its services' slices, the mean of the slices' p50/p99, and
 * the service's CPU µs per request (all threads, and the event loop's share); each service's own req/s;
 * then ON over OFF (the aim: over 90%), over all slices, within each sitting, and, as the median and range
 * of each round's ratio, round by round.
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
import { CONNECTIONS, drive, exited, fetchRetryingOnce, jsonAuth, SEEDED, seededAni, seedReturningCallers, settle, upkeep, type BenchRequest } from './bench-load';
import { MODES, printReport, SCENARIOS, type Contender, type Mode, type Scrapes } from './bench-operations-report';
import { startBenchService } from './bench-service';
import { withScratchPostgres } from './scratch-postgres';

const SLICES = Number(process.env.BENCH_OPERATIONS_SLICES ?? 10);
const SLICE_SECONDS = Number(process.env.BENCH_SLICE_SECONDS ?? 1);
const PROCESSES = Number(process.env.BENCH_OPERATIONS_PROCESSES ?? 2);
const SITTINGS = Number(process.env.BENCH_OPERATIONS_SITTINGS ?? 2);
const ENGINE = process.env.BENCH_ENGINE;
const NODE_ARGS = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
const ON = new Set((process.env.BENCH_OPERATIONS_ON ?? 'limit,log,metrics,traces').split(','));
const KEY = generateApiKey(Environment.PROD);
const METRICS_TOKEN = 'bench-metrics-token-'.padEnd(40, 'x');
const WARM_UP_REQUESTS = 2000;

/** Each mode's prefix for the call ids its services make (with their number): on PostgreSQL they all share one database. */
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

/** The database settings of each mode's `instance`-th service. */
type Databases = (mode: Mode, instance: number) => Record<string, string>;

const auth = jsonAuth(KEY);
const startRequest = (callId: string, n: number): BenchRequest => ({ method: 'POST', path: '/v1/calls/start', headers: auth, body: JSON.stringify({ call_id: callId, identity_hints: { ani: seededAni(n % SEEDED) } }) });
const endRequest = (callId: string): BenchRequest => ({
  method: 'POST',
  path: '/v1/calls/end',
  headers: auth,
  body: JSON.stringify({ call_id: callId, intent: 'Billing Question', intent_status: 'open', variables: { last_summary: 'Asked about an invoice' } }),
});

/** Starts `mode`'s service on its database (in `started` at once, so a failure below still stops it), seeds it and warms it up (not measured). */
async function contender(mode: Mode, sitting: number, instance: number, env: Record<string, string>, sink: Sink, started: Contender[]): Promise<void> {
  const service = await startBenchService({ nodeArgs: NODE_ARGS, key: KEY, secret: 'bench-secret-'.padEnd(40, 'x'), env: { ...env, ...settingsOf(mode, sink) } });
  const prefix = `${CALL_PREFIX[mode]}${instance}`;
  const c: Contender = { mode, sitting, prefix, env, service, started: 0, ended: 0, slices: SCENARIOS.map(() => []), scrapes: { ok: 0, failed: 0, lastText: '' }, limited: false };
  started.push(c);
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
      const figures = await drive(SCENARIOS[0], c.service, (n) => startRequest(`${c.prefix}-ops-${from + n}`, from + n), undefined, SLICE_SECONDS);
      c.started += figures.requests;
      return figures;
    }
    // Ends of started calls only (autocannon may have sent a few more starts than it counted answers for).
    const left = c.started - c.ended - CONNECTIONS;
    if (left < CONNECTIONS) return undefined;
    const from = c.ended;
    const figures = await drive(SCENARIOS[1], c.service, (n) => endRequest(`${c.prefix}-ops-${from + n}`), left, SLICE_SECONDS);
    c.ended += figures.requests;
    return figures;
  };
  const figures = c.mode !== 'OFF' && ON.has('metrics') ? await scrapingEverySecond(c.service.url, c.scrapes, measure) : await measure();
  if (figures) c.slices[scenario].push({ ...figures, round });
}

/** The three modes' services on the databases `databaseOf` gives, sliced in turn, sitting after sitting; prints the figures. */
async function benchmark(label: string, databaseOf: Databases, sink: Sink, postgres = false): Promise<void> {
  const contenders: Contender[] = [];
  for (let sitting = 0; sitting < SITTINGS; sitting++) await sit(sitting, databaseOf, sink, contenders);
  printReport(label, { processes: PROCESSES, sittings: SITTINGS, slices: SLICES, sliceSeconds: SLICE_SECONDS }, contenders, sink.exports, postgres);
}

/** One sitting: fresh services for each mode (added to `contenders`), sliced in turn, then stopped. */
async function sit(sitting: number, databaseOf: Databases, sink: Sink, contenders: Contender[]): Promise<void> {
  const sitters: Contender[] = [];
  try {
    // OFF, ON, ON traced, then their second services: no mode's services are all started first.
    for (let i = 0; i < PROCESSES; i++) {
      const instance = sitting * PROCESSES + i;
      for (const mode of MODES) await contender(mode, sitting, instance, databaseOf(mode, instance), sink, sitters);
    }
    for (const scenario of SCENARIOS.keys()) {
      for (let k = 0; k < SLICES; k++) {
        for (const env of new Set(sitters.map((c) => c.env))) await upkeep(env);
        // A rotated order each round: no service always comes first after another's load.
        for (let j = 0; j < sitters.length; j++) await slice(sitters[(k + j) % sitters.length], scenario, sitting * SLICES + k);
      }
    }
  } finally {
    contenders.push(...sitters);
    for (const c of sitters) c.service.child.kill('SIGTERM');
    await Promise.all(sitters.map((c) => exited(c.service)));
  }
}

/** One scratch PostgreSQL database all the services share, as instances of one deployment do. */
function withSharedDatabase(pg: string, run: (databaseOf: Databases) => Promise<void>): Promise<void> {
  return withScratchPostgres(pg, 'cm_ops', (url) => {
    const shared = { DATABASE_URL: url };
    return run(() => shared);
  });
}

/** Three scratch PostgreSQL databases, one per mode (its services share it). */
function withThreeDatabases(pg: string, run: (databaseOf: Databases) => Promise<void>): Promise<void> {
  return withScratchPostgres(pg, 'cm_ops_off', (off) =>
    withScratchPostgres(pg, 'cm_ops_on', (on) =>
      withScratchPostgres(pg, 'cm_ops_traced', (traced) => {
        const envs: Record<Mode, Record<string, string>> = { OFF: { DATABASE_URL: off }, ON: { DATABASE_URL: on }, 'ON traced': { DATABASE_URL: traced } };
        return run((mode) => envs[mode]);
      }),
    ),
  );
}

/** The whole comparison, on SQLite and (DATABASE_URL) PostgreSQL; `npm run bench` runs it after its own scenarios. */
export async function benchOperations(): Promise<void> {
  // OFF means off: an endpoint in this shell's environment would reach OFF (bench-service.ts passes it on).
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const sink = await startSink();
  try {
    if (ENGINE !== 'postgresql') {
      // A SQLite file is one service's: each service gets a directory of its own.
      const dirs = MODES.map(() => Array.from({ length: PROCESSES * SITTINGS }, () => mkdtempSync(join(tmpdir(), 'cm-bench-ops-'))));
      try {
        await benchmark('SQLite (fresh files, WAL)', (mode, instance) => ({ DATA_DIR: dirs[MODES.indexOf(mode)][instance] }), sink);
      } finally {
        for (const dir of dirs.flat()) rmSync(dir, { recursive: true, force: true });
      }
    }
    const pg = process.env.DATABASE_URL;
    if (pg && ENGINE !== 'sqlite') {
      if (process.env.BENCH_OPERATIONS_DATABASES === 'own') await withThreeDatabases(pg, (databaseOf) => benchmark('PostgreSQL (fresh databases, one per mode)', databaseOf, sink, true));
      else await withSharedDatabase(pg, (databaseOf) => benchmark('PostgreSQL (one fresh database, shared)', databaseOf, sink, true));
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
