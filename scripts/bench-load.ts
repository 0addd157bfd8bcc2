/**
 * The benchmarks' load: seeding returning callers through the API, driving the service with autocannon
 * and reading the service's CPU time from /proc. Shared by `npm run bench` and `npm run bench:operations`.
 */
import { readdirSync, readFileSync } from 'node:fs';

import autocannon from 'autocannon';
import { Client } from 'pg';

import type { BenchService } from './bench-service';
import { analyzeAfterSeeding } from './scratch-postgres';

/** Seconds per scenario (BENCH_SECONDS, default 10). */
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** Concurrent connections of the load generator. */
export const CONNECTIONS = 10;
/** Returning callers seeded before the scenarios. */
export const SEEDED = 200;

/** What one scenario measured. */
export interface Figures {
  name: string;
  /** Requests answered, and the seconds they took. */
  requests: number;
  seconds: number;
  rps: number;
  /** Service CPU time (user + system) per request, in microseconds: steadier than req/s on a shared machine. */
  cpuUs: number;
  /** The part of cpuUs spent on the event loop's thread; the rest is V8's GC and compiler threads and libuv's pool. */
  mainThreadUs: number;
  /** The CPU time per request of the PostgreSQL backends serving the service's database (0 on SQLite). */
  databaseUs: number;
  p50: number;
  p99: number;
  non2xx: number;
}

/** One request autocannon sends. */
export type BenchRequest = { method: string; path: string; headers: Record<string, string>; body?: string };

const TICKS_PER_SECOND = 100; // Linux USER_HZ, the unit of /proc/<pid>/stat times

/** CPU time (user + system) in microseconds from a /proc stat file. */
function statCpuUs(path: string): number {
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1e6;
}

/** The service process's CPU time so far (user + system, all threads), in microseconds. */
export function cpuTimeUs(pid: number): number {
  return statCpuUs(`/proc/${pid}/stat`);
}

/** The CPU time so far of the process's main thread (its event loop), in microseconds. */
function mainThreadCpuUs(pid: number): number {
  // The main thread's task id is the process id.
  return readdirSync(`/proc/${pid}/task`).includes(String(pid)) ? statCpuUs(`/proc/${pid}/task/${pid}/stat`) : 0;
}

/**
 * The CPU time so far of each PostgreSQL backend serving `database` on this machine (their process titles
 * name it), in microseconds, by process id: the service's pool, its request log's and its limiter's
 * connections, and those of any other service on the same database. On two cores the server shares the CPU
 * with the service, so its work per request costs throughput too. Only the database's own backends, so other
 * databases' work is not counted; by process, so a backend that ends during the slice (a VACUUM's, a pooled
 * connection closed idle) is not lost whole (databaseCpuSince): a plain sum once made one mode's figure 25% low.
 */
function databaseCpuUs(database: string): Map<string, number> {
  const backends = new Map<string, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8') === 'postgres\n' && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${database} `)) backends.set(pid, statCpuUs(`/proc/${pid}/stat`));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return backends;
}

/**
 * The CPU time the backends spent between two readings: each one's own difference, so a backend that
 * ends in between (a pool closing an idle connection) takes away only what it spent since the first,
 * never its whole lifetime; one that started in between counts whole.
 */
function databaseCpuSince(before: Map<string, number>, after: Map<string, number>): number {
  let total = 0;
  for (const [pid, cpu] of after) total += cpu - (before.get(pid) ?? 0);
  return total;
}

/** Drives `service` for `duration` seconds (default SECONDS) or `maxRequests`, with the n-th request from `request`. */
export async function drive(name: string, service: BenchService, request: (n: number) => BenchRequest, maxRequests?: number, duration = SECONDS): Promise<Figures> {
  const { url } = service;
  let n = 0;
  const first = request(0);
  const cpuBefore = cpuTimeUs(service.child.pid!);
  const mainBefore = mainThreadCpuUs(service.child.pid!);
  const database = service.database;
  const databaseBefore = database ? databaseCpuUs(database) : new Map<string, number>();
  const startedAt = performance.now();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration,
    maxOverallRequests: maxRequests,
    requests: [{ ...first, setupRequest: (req: BenchRequest) => ({ ...req, ...request(n++) }) }],
  } as autocannon.Options);
  const cpuUs = (cpuTimeUs(service.child.pid!) - cpuBefore) / result.requests.total;
  const mainThreadUs = (mainThreadCpuUs(service.child.pid!) - mainBefore) / result.requests.total;
  const databaseUs = database ? databaseCpuSince(databaseBefore, databaseCpuUs(database)) / result.requests.total : 0;
  // Requests over elapsed time: the end scenario may run out of calls to end before its time is up.
  const seconds = (performance.now() - startedAt) / 1000;
  const rps = result.requests.total / seconds;
  return { name, requests: result.requests.total, seconds, rps, cpuUs, mainThreadUs, databaseUs, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx };
}

/** The JSON headers of a request with `key`. */
export const jsonAuth = (key: string) => ({ Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' });

/**
 * fetch, sent again once if the connection fails: a pooled keep-alive connection the service closes just as
 * it is reused (after a pause such as ANALYZE) fails the request without an answer. Starts and ends are
 * replay-safe (same call_id), so sending one again is harmless.
 */
export async function fetchRetryingOnce(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    return fetch(url, init);
  }
}

async function post(url: string, key: string, path: string, body: object): Promise<void> {
  const res = await fetchRetryingOnce(`${url}${path}`, { method: 'POST', headers: jsonAuth(key), body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
}

/** The number of the i-th seeded returning caller. */
export const seededAni = (i: number) => `+1415555${String(i).padStart(4, '0')}`;

/** Seeds SEEDED returning callers (a start and an end each, with an intent and two variables). */
export async function seedReturningCallers(url: string, key: string): Promise<void> {
  for (let i = 0; i < SEEDED; i++) {
    await post(url, key, '/v1/calls/start', { call_id: `seed-${i}`, identity_hints: { ani: seededAni(i) } });
    await post(url, key, '/v1/calls/end', { call_id: `seed-${i}`, intent: 'refund_request', variables: { name: `Caller ${i}`, tier: 'gold' } });
  }
}

/** Runs `work` on a connection of its own to the PostgreSQL database of `env` (nothing on SQLite). */
async function onDatabase(env: Record<string, string>, work: (client: Client) => Promise<unknown>): Promise<void> {
  if (!env.DATABASE_URL) return;
  const client = new Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/** PostgreSQL: the statistics autovacuum would have gathered by now (see analyzeAfterSeeding). */
export const settle = (env: Record<string, string>) => onDatabase(env, analyzeAfterSeeding);

/**
 * PostgreSQL: what autovacuum keeps doing on a server with its defaults (VACUUM and ANALYZE). This
 * machine's server runs with autovacuum off. Without it, the rows each call updates (customers, usage)
 * pile up dead versions, and the planner's choices drift as the tables grow, differently in databases
 * loaded alike: in one A/A run (two identical services, one after the other in turn), one database
 * scanned `customers` sequentially 11× as often as the other and cost the server 15% more CPU a request.
 * Between slices, outside what is measured.
 */
export const upkeep = (env: Record<string, string>) => onDatabase(env, (client) => client.query('vacuum (analyze)'));

/** Waits for a service sent a signal to exit. */
export async function exited(service: BenchService): Promise<void> {
  if (service.child.exitCode === null && service.child.signalCode === null) await new Promise((resolve) => service.child.once('exit', resolve));
}
