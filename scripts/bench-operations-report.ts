/**
 * What `npm run bench:operations` (bench-operations.ts) measured, and how it prints it: each mode's figures
 * over all its services' slices, each service's own req/s, and ON over OFF over all slices and round by round.
 */
import type { BenchService } from './bench-service';
import { CONNECTIONS, type Figures } from './bench-load';

export const SCENARIOS = ['start, returning caller', 'end, intent + variable'] as const;

export type Mode = 'OFF' | 'ON' | 'ON traced';
export const MODES: readonly Mode[] = ['OFF', 'ON', 'ON traced'];

export type Slice = Figures & { round: number };

/** What scraping /metrics every second saw. */
export interface Scrapes {
  ok: number;
  failed: number;
  lastText: string;
}

/** One service of a mode and what its slices measured. */
export interface Contender {
  mode: Mode;
  /** Which sitting it ran in (fresh services each sitting: bench-operations.ts). */
  sitting: number;
  /** The prefix of the call ids it makes: its mode's and its number within the mode. */
  prefix: string;
  /** Its database settings. */
  env: Record<string, string>;
  service: BenchService;
  /** Calls started (by the start scenario) and ended so far. */
  started: number;
  ended: number;
  /** Each scenario's slices, each with the round it ran in. */
  slices: Slice[][];
  scrapes: Scrapes;
  limited: boolean;
}

/** How the run was laid out, for the heading. */
export interface Layout {
  processes: number;
  /** How many times the services were started afresh (each sitting: `processes` services per mode). */
  sittings: number;
  slices: number;
  sliceSeconds: number;
}

/** Figures over some slices (a mode's, a service's, a round's): req/s and CPU per request over all of them, mean p50/p99. */
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

/** A mode's services. */
const servicesOf = (contenders: Contender[], mode: Mode): Contender[] => contenders.filter((c) => c.mode === mode);

/** A mode's slices of scenario `i`, over all its services. */
const slicesOf = (contenders: Contender[], mode: Mode, i: number): Slice[] => servicesOf(contenders, mode).flatMap((c) => c.slices[i]);

/** Req/s by round, over the slices of each round. */
function rateByRound(slices: Slice[]): Map<number, number> {
  const rounds = new Map<number, Slice[]>();
  for (const f of slices) rounds.set(f.round, [...(rounds.get(f.round) ?? []), f]);
  return new Map([...rounds].map(([round, of]) => [round, total(of).rps]));
}

/**
 * Each round's ratio of `mode`'s req/s to OFF's (their slices ran in the same round, one after the other),
 * sorted: the machine's speed drifts within a run, and a ratio of neighbouring slices cancels most of it.
 */
function roundRatios(mode: Slice[], off: Slice[]): number[] {
  const offByRound = rateByRound(off);
  return [...rateByRound(mode)].flatMap(([round, rps]) => (offByRound.has(round) ? [rps / offByRound.get(round)!] : [])).sort((a, b) => a - b);
}

/**
 * `mode`'s req/s over OFF's within each sitting (bench-operations.ts): fresh services each time, so each
 * sitting draws its own lottery of faster and slower processes. On PostgreSQL a later sitting also finds the
 * shared database grown by the earlier ones.
 */
function sittingRatios(contenders: Contender[], mode: Mode, i: number): number[] {
  const sittings = [...new Set(contenders.map((c) => c.sitting))].sort((x, y) => x - y);
  const rate = (m: Mode, sitting: number) => total(servicesOf(contenders, m).filter((c) => c.sitting === sitting).flatMap((c) => c.slices[i])).rps;
  return sittings.map((sitting) => rate(mode, sitting) / rate('OFF', sitting));
}

const median = (sorted: number[]) => (sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2);

/** The median of the rounds' ratios and their range, e.g. "91.2% (84.0–97.5%)". */
const roundsLine = (ratios: number[]) => `${pct(median(ratios))} (${pct(ratios[0])}–${pct(ratios[ratios.length - 1])})`;

/** Prints the run's tables; `exports` is how many OTLP exports the sink received. */
export function printReport(label: string, layout: Layout, contenders: Contender[], exports: number, postgres: boolean): void {
  console.log(`\n${label}: ${CONNECTIONS} connections; each mode ${layout.processes} services at a time in ${layout.sittings} sittings (fresh services each), each ${layout.slices} slices of ${layout.sliceSeconds} s per scenario, in turn with the others; load generator on the same machine`);
  console.log(`| mode | scenario | requests | req/s | p50 ms | p99 ms | service CPU µs/req | of it, event loop |${postgres ? ' the database\'s backends\' CPU µs/req |' : ''} non-2xx |`);
  console.log(`|---|---|---:|---:|---:|---:|---:|---:|${postgres ? '---:|' : ''}---:|`);
  const totals = MODES.map((mode) => SCENARIOS.map((_, i) => total(slicesOf(contenders, mode, i))));
  MODES.forEach((mode, m) =>
    SCENARIOS.forEach((name, i) => {
      const t = totals[m][i];
      console.log(`| ${mode} | ${name} | ${t.requests} | ${t.rps.toFixed(0)} | ${t.p50.toFixed(1)} | ${t.p99.toFixed(1)} | ${t.cpuUs.toFixed(0)} | ${t.mainThreadUs.toFixed(0)} |${postgres ? ` ${t.databaseUs.toFixed(0)} |` : ''} ${t.non2xx} |`);
    }),
  );
  for (const mode of MODES) {
    const rates = servicesOf(contenders, mode).map((c) => SCENARIOS.map((_, i) => total(c.slices[i]).rps.toFixed(0)).join(' / '));
    console.log(`  ${mode}: each service's req/s (start / end): ${rates.join(', ')}`);
  }
  for (const c of contenders.filter((c) => c.mode !== 'OFF')) {
    const logged = [...c.scrapes.lastText.matchAll(/request_log_entries_total\{outcome="(\w+)"\} (\d+)/g)].map((m) => `${m[1]} ${m[2]}`).join(', ') || 'none';
    console.log(`  ${c.mode} (${c.prefix}): RateLimit headers ${c.limited ? 'yes' : 'NO'}; request-log entries at the last scrape: ${logged}; scrapes ${c.scrapes.ok} ok, ${c.scrapes.failed} failed`);
  }
  console.log(`  OTLP exports received (both traced modes): ${exports}`);
  if (postgres) console.log("  The database's backends: all of them, during the mode's services' own slices (the other services idle then, but for the request log's commits up to 0.5 s after a slice of theirs).");
  console.log('\n"ON/OFF" is ON\'s req/s over OFF\'s (100% = free; the aim: over 90%); "CPU ON/OFF" the service\'s CPU per request.');
  console.log('ON is the operations as shipped (traces: the first request of each second, TRACE_MAX_PER_SECOND at its default, 1); "ON traced" traces every request (TRACE_SAMPLE_RATIO=1, TRACE_MAX_PER_SECOND=0).');
  console.log('"ON/OFF by sitting" is the same ratio within each sitting (fresh services each: identical services differ by a few percent).');
  console.log('"ON/OFF by round" is the median (and range) of each round\'s ON slices over its OFF slices.');
  console.log('| scenario | OFF req/s | ON req/s | ON/OFF | ON/OFF by sitting | ON/OFF by round | ON traced req/s | ON traced/OFF | OFF CPU µs | ON CPU µs | CPU ON/OFF | ON traced CPU µs |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  SCENARIOS.forEach((name, i) => {
    const [off, on, traced] = MODES.map((_, m) => totals[m][i]);
    const byRound = roundsLine(roundRatios(slicesOf(contenders, 'ON', i), slicesOf(contenders, 'OFF', i)));
    console.log(
      `| ${name} | ${off.rps.toFixed(0)} | ${on.rps.toFixed(0)} | ${pct(on.rps / off.rps)} | ${sittingRatios(contenders, 'ON', i).map(pct).join(', ')} | ${byRound} | ${traced.rps.toFixed(0)} | ${pct(traced.rps / off.rps)} | ${off.cpuUs.toFixed(0)} | ${on.cpuUs.toFixed(0)} | ${pct(on.cpuUs / off.cpuUs)} | ${traced.cpuUs.toFixed(0)} |`,
    );
  });
}

