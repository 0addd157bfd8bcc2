/**
 * A realistic bulk seed for the metrics (and anything else that wants a busy contact center): customers,
 * calls and intents of one or more tenants over many days, written with multi-row inserts in batched
 * transactions. Deterministic for a given seed number. Calls follow contract rules closely enough for the
 * metrics to be meaningful: a few frequent callers, transfers minutes apart, repeat calls days apart,
 * handle times of a few minutes, CSAT on some ends, intents that are raised, retried and resolved.
 */
import type { EntityManager } from '@mikro-orm/core';

import { sqlOf, transactionRunner } from '../../src/db/sql';
import { IntentStatus } from '../../src/intents/intent-status';
import { newRowId } from '../../src/shared/row-id';
import type { Tenant } from '../../src/tenancy/environment';
import { MetricRows } from './metric-rows';

/** What to seed. */
export interface SeedPlan {
  /** Each tenant with its share of the calls and customers (shares need not sum to 1). */
  tenants: { tenant: Tenant; share: number }[];
  calls: number;
  customers: number;
  /** Calls spread over this many days ending at `end`. */
  days: number;
  end: Date;
  /** Rows per transaction. */
  batchRows?: number;
  seed?: number;
}

/** What was written, and how long it took. */
export interface SeedResult {
  calls: number;
  customers: number;
  intents: number;
  rows: number;
  seconds: number;
}

const INTENTS = ['billing', 'refund_request', 'address_change', 'cancel', 'upgrade', 'outage', 'password_reset', 'delivery', 'complaint', 'payment_plan', 'roaming', 'sim_swap'];
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const INTENT_TTL_MS = 30 * DAY_MS;

/** mulberry32: a small deterministic PRNG. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface IntentState {
  customerId: string;
  name: string;
  status: IntentStatus;
  attempts: number;
  createdAt: number;
  updatedAt: number;
}

/** Seeds every tenant of the plan; resolves once all rows are committed. */
export async function seedMetrics(em: EntityManager, plan: SeedPlan): Promise<SeedResult> {
  const sql = sqlOf(em);
  if (sql.dialect.name !== 'sqlite') return seedAll(em, plan);
  // Index pages for a million rows do not fit SQLite's default 2 MB page cache: lend it 256 MB while seeding.
  const [{ cache_size: cacheSize }] = await sql.all<{ cache_size: number }>('pragma cache_size');
  await sql.run('pragma cache_size = -262144');
  try {
    return await seedAll(em, plan);
  } finally {
    await sql.run(`pragma cache_size = ${Number(cacheSize)}`);
  }
}

async function seedAll(em: EntityManager, plan: SeedPlan): Promise<SeedResult> {
  const started = performance.now();
  const shares = plan.tenants.reduce((sum, t) => sum + t.share, 0);
  const total: SeedResult = { calls: 0, customers: 0, intents: 0, rows: 0, seconds: 0 };
  for (const [i, { tenant, share }] of plan.tenants.entries()) {
    const part = await seedTenant(em, tenant, {
      calls: Math.round((plan.calls * share) / shares),
      customers: Math.max(1, Math.round((plan.customers * share) / shares)),
      plan,
      rand: random((plan.seed ?? 42) + i),
    });
    for (const key of ['calls', 'customers', 'intents', 'rows'] as const) total[key] += part[key];
  }
  total.seconds = (performance.now() - started) / 1000;
  return total;
}

async function seedTenant(
  em: EntityManager,
  tenant: Tenant,
  { calls, customers, plan, rand }: { calls: number; customers: number; plan: SeedPlan; rand: () => number },
): Promise<SeedResult> {
  const start = plan.end.getTime() - plan.days * DAY_MS;
  // Call times (business hours, in whatever zone: the spread is what matters) and callers (every customer
  // calls once; the other calls go mostly to a few frequent callers). Transfer legs come later.
  const times = new Float64Array(calls);
  const callers = new Int32Array(calls);
  let n = 0;
  while (n < calls) {
    const t = start + Math.floor(rand() * plan.days) * DAY_MS + (13 + rand() * 11) * 3_600_000;
    const caller = n < customers ? n : Math.floor(customers * rand() ** 2.5);
    times[n] = Math.min(t, plan.end.getTime() - 1);
    callers[n++] = caller;
    if (n < calls && rand() < 0.04) {
      times[n] = Math.min(t + (1 + rand() * 11) * MINUTE_MS, plan.end.getTime() - 1);
      callers[n++] = caller;
    }
  }
  const order = Array.from({ length: calls }, (_, i) => i).sort((a, b) => times[a]! - times[b]!);

  const ids = Array.from({ length: customers }, () => newRowId());
  const firstCall = new Float64Array(customers).fill(Number.NaN);
  const lastCall = new Float64Array(customers);
  const callCount = new Int32Array(customers);
  for (const i of order) {
    const c = callers[i]!;
    if (Number.isNaN(firstCall[c]!)) firstCall[c] = times[i]!;
    lastCall[c] = times[i]!;
    callCount[c]! += 1;
  }

  const result: SeedResult = { calls, customers, intents: 0, rows: 0, seconds: 0 };
  const batch = plan.batchRows ?? 50_000;
  const run = transactionRunner(em);
  // Customers first: calls and intents refer to them.
  for (let from = 0; from < customers; from += batch) {
    await run(async (sql) => {
      const rows = new MetricRows(sql, tenant);
      for (let c = from; c < Math.min(customers, from + batch); c++) {
        const first = Number.isNaN(firstCall[c]!) ? start : firstCall[c]!;
        await rows.customer(new Date(first), ids[c], { lastCallAt: new Date(Number.isNaN(firstCall[c]!) ? start : lastCall[c]!), callCount: callCount[c]! });
      }
      await rows.flush();
      result.rows += rows.inserted;
    });
  }

  const intents = new Map<string, IntentState>();
  const seen = new Uint8Array(customers);
  for (let from = 0; from < calls; from += batch) {
    await run(async (sql) => {
      const rows = new MetricRows(sql, tenant);
      for (const i of order.slice(from, from + batch)) {
        const c = callers[i]!;
        const at = times[i]!;
        const returning = seen[c] === 1;
        seen[c] = 1;
        const r = rand();
        const recommendation = returning ? (r < 0.75 ? 'reuse' : r < 0.93 ? 'confirm' : 'ignore') : r < 0.9 ? 'ignore' : 'confirm';
        const ended = rand() < 0.97;
        const endedAt = ended ? new Date(at + (30 + 900 * rand() ** 2) * 1000) : null;
        const csat = ended && rand() < 0.25 ? [1, 2, 3, 4, 4, 5, 5, 5][Math.floor(rand() * 8)]! : null;
        let intent: string | null = null;
        let intentStatus: IntentStatus | null = null;
        if (ended && rand() < 0.65) {
          intent = INTENTS[Math.floor(INTENTS.length * rand() ** 1.8)]!;
          const s = rand();
          intentStatus = s < 0.55 ? IntentStatus.RESOLVED : s < 0.9 ? IntentStatus.OPEN : IntentStatus.ABANDONED;
          report(intents, ids[c]!, intent, intentStatus, endedAt!.getTime());
        }
        await rows.call({ customerId: ids[c]!, startedAt: new Date(at), endedAt, recommendation, intent, intentStatus, csat, standalone: ended && rand() < 0.01 });
      }
      await rows.flush();
      result.rows += rows.inserted;
    });
  }

  const states = [...intents.values()];
  result.intents = states.length;
  for (let from = 0; from < states.length; from += batch) {
    await run(async (sql) => {
      const rows = new MetricRows(sql, tenant);
      for (const s of states.slice(from, from + batch)) {
        await rows.intent({ customerId: s.customerId, name: s.name, status: s.status, attemptCount: s.attempts, createdAt: new Date(s.createdAt), updatedAt: new Date(s.updatedAt) });
      }
      await rows.flush();
      result.rows += rows.inserted;
    });
  }
  return result;
}

/** The contract's attempt rules (intent.service.ts `report`), on the seed's in-memory intents. */
function report(intents: Map<string, IntentState>, customerId: string, name: string, status: IntentStatus, at: number): void {
  const key = `${customerId}|${name}`;
  const intent = intents.get(key);
  if (!intent) {
    intents.set(key, { customerId, name, status, attempts: 1, createdAt: at, updatedAt: at });
    return;
  }
  const live = intent.status !== IntentStatus.RESOLVED && at - intent.updatedAt < INTENT_TTL_MS;
  intent.attempts = status === IntentStatus.RESOLVED ? intent.attempts : live ? intent.attempts + 1 : 1;
  intent.status = status;
  intent.updatedAt = at;
}
