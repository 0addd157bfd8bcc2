/**
 * Calls seeded through the real API (/v1/calls/start then /v1/calls/end) with a hand-moved clock, so the
 * dashboard's numbers are known in advance. `EXACT` is small enough to work out by hand (the expected
 * figures below are worked out so, not computed by the code under test); `richCalls` is weeks of
 * realistic traffic for the screenshot.
 */
import type { ManualClock } from '../../src/shared/clock';

/** One call to seed: who calls when, for how long, about what, and the CSAT they gave. */
export interface SeedCall {
  id: string;
  ani: string;
  /** Start, UTC. */
  at: string;
  seconds: number;
  intent?: string;
  status?: 'open' | 'resolved' | 'abandoned';
  csat?: number;
  lineType?: 'mobile' | 'landline' | 'voip';
}

/** POSTs JSON to the service with the tenant's key; resolves to the status and parsed answer. */
export type Poster = (path: string, body: unknown) => Promise<{ status: number; body: Record<string, unknown> }>;

/** Seeds the calls in order; returns each call's recommendation at start (`reuse`, `confirm`, `ignore`). */
export async function seedCalls(post: Poster, clock: ManualClock, calls: readonly SeedCall[]): Promise<Map<string, string>> {
  const recommendations = new Map<string, string>();
  for (const call of [...calls].sort((a, b) => a.at.localeCompare(b.at))) {
    clock.set(new Date(call.at));
    const start = await post('/v1/calls/start', { call_id: call.id, identity_hints: { ani: call.ani }, telco: { line_type: call.lineType ?? 'mobile' } });
    if (start.status !== 200) throw new Error(`start ${call.id}: ${start.status} ${JSON.stringify(start.body)}`);
    recommendations.set(call.id, (start.body.identity as { recommendation: string }).recommendation);
    clock.advance(call.seconds * 1000);
    const end = await post('/v1/calls/end', {
      call_id: call.id,
      ...(call.intent ? { intent: call.intent, intent_status: call.status ?? 'open' } : {}),
      ...(call.csat !== undefined ? { variables: { csat: call.csat } } : {}),
    });
    if (end.status !== 200) throw new Error(`end ${call.id}: ${end.status} ${JSON.stringify(end.body)}`);
  }
  return recommendations;
}

/** The exact scenario's organisation time zone: +09:00 all year, so a call at 20:00 UTC is the next local day. */
export const EXACT_TIME_ZONE = 'Asia/Tokyo';
/** Go-live 9 Mar 2026, 7 days each side: Before = 2–8 Mar, After = 9–15 Mar (local days). */
export const EXACT_GO_LIVE = { goLive: '2026-03-09', days: 7 };

const P = '+14155550001';
const Q = '+14155550002';
const R = '+14155550003';
const S = '+14155550004';
const T = '+14155550005';
const U = '+14155550006';
const V = '+14155550007';
const W = '+14155550008';

/** Before: 5 calls; After: 9 calls. Comments give each call's part in the figures. */
export const EXACT: readonly SeedCall[] = [
  // Before (local 2–8 Mar)
  { id: 'b1', ani: P, at: '2026-03-02T05:00:00Z', seconds: 400, intent: 'billing', status: 'open', csat: 3 }, // repeated by b2 (2 days)
  { id: 'b2', ani: P, at: '2026-03-04T05:00:00Z', seconds: 360, intent: 'billing', status: 'open', csat: 4 }, // a transfer: b3 10 min later
  { id: 'b3', ani: P, at: '2026-03-04T05:10:00Z', seconds: 200, intent: 'billing', status: 'resolved' }, // billing resolved at attempt 2
  { id: 'b4', ani: Q, at: '2026-03-05T06:00:00Z', seconds: 300, intent: 'refund', status: 'resolved', csat: 5 }, // resolved at attempt 1
  { id: 'b5', ani: R, at: '2026-03-06T07:00:00Z', seconds: 340, intent: 'delivery', status: 'open', csat: 3 }, // left open
  // After (local 9–15 Mar)
  { id: 'a1', ani: S, at: '2026-03-08T20:00:00Z', seconds: 250, intent: 'billing', status: 'resolved', csat: 5 }, // 9 Mar 05:00 local
  { id: 'a2', ani: T, at: '2026-03-10T04:00:00Z', seconds: 280, intent: 'refund', status: 'resolved', csat: 4 },
  { id: 'a3', ani: U, at: '2026-03-11T04:00:00Z', seconds: 260, intent: 'password_reset', status: 'open', csat: 4 }, // a transfer: a4 5 min later
  { id: 'a4', ani: U, at: '2026-03-11T04:05:00Z', seconds: 240, intent: 'password_reset', status: 'resolved', csat: 5 },
  { id: 'a5', ani: V, at: '2026-03-12T09:00:00Z', seconds: 270, intent: 'billing', status: 'abandoned' }, // repeated by a6 (2 days)
  { id: 'a6', ani: V, at: '2026-03-14T09:00:00Z', seconds: 300, intent: 'plan_change', status: 'resolved' },
  { id: 'a7', ani: W, at: '2026-03-13T06:00:00Z', seconds: 290, intent: 'refund', status: 'open' }, // repeated by a8 (4 hours)
  { id: 'a8', ani: W, at: '2026-03-13T10:00:00Z', seconds: 310, intent: 'refund', status: 'open' }, // repeated by a9 (2 days); attempt 2
  { id: 'a9', ani: W, at: '2026-03-15T06:00:00Z', seconds: 270, intent: 'refund', status: 'resolved', csat: 4 }, // resolved at attempt 2
];

/** The ids of the calls in each period. */
export const EXACT_BEFORE_IDS = ['b1', 'b2', 'b3', 'b4', 'b5'];
export const EXACT_AFTER_IDS = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9'];

/**
 * The figures, worked out by hand from the calls above (docs/metrics.md's definitions).
 * AHT: Before (400+360+200+300+340)/5 = 320 s; After 2470/9 = 274.4 s.
 * CSAT: Before (3+4+5+3)/4 = 3.75; After (5+4+4+5+4)/5 = 4.40.
 * Repeat rate (repeated / (calls − transfers)): Before 1/(5−1) = 25%; After 3/(9−1) = 37.5%.
 * FCR (resolved on first contact / resolved): Before 1/2 = 50%; After 4/5 = 80% (a4 resolves what its transfer leg a3 raised).
 */
export const EXACT_FIGURES = {
  before: { calls: '5', aht: '5:20', csat: '3.75', repeat: '25.0%', fcr: '50.0%', proxy: '75.0%' },
  after: { calls: '9', aht: '4:34', csat: '4.40', repeat: '37.5%', fcr: '80.0%', proxy: '62.5%', open: '0', abandoned: '1' },
  /** Local day → calls, After period. */
  afterPerDay: { '2026-03-09': 1, '2026-03-10': 1, '2026-03-11': 2, '2026-03-12': 1, '2026-03-13': 2, '2026-03-14': 1, '2026-03-15': 1 },
  /** The ROI table's cells: Before, After, Improvement. */
  roi: {
    'Average handle time': ['5:20', '4:34', '▼ −14.2% better'],
    'First-contact resolution': ['50.0%', '80.0%', '▲ +60.0% better'],
    CSAT: ['3.75', '4.40', '▲ +17.3% better'],
    'Repeat-call rate': ['25.0%', '37.5%', '▲ +50.0% worse'],
  },
};

/** A small deterministic random source (mulberry32), so the rich data is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTENTS = ['billing', 'billing', 'billing', 'refund_request', 'refund_request', 'delivery_status', 'password_reset', 'plan_change', 'cancel_service', 'address_change'];

/**
 * Six weeks of a contact center's calls, ending `lastDay`, with a go-live `goLiveDay` after which calls are
 * shorter, better rated and less often repeated: the dashboard's screenshot data.
 */
export function richCalls(firstDay: string, lastDay: string, goLiveDay: string): SeedCall[] {
  const rnd = random(20260320);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rnd() * items.length)]!;
  const calls: SeedCall[] = [];
  const customers: string[] = [];
  // What each caller still has open: a caller who comes back usually calls about it again (its next attempt).
  const open = new Map<string, string>();
  let n = 0;
  for (let day = Date.parse(`${firstDay}T00:00:00Z`); day <= Date.parse(`${lastDay}T00:00:00Z`); day += 86_400_000) {
    const date = new Date(day);
    const after = date.toISOString().slice(0, 10) >= goLiveDay;
    const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
    const count = weekend ? 2 + Math.floor(rnd() * 3) : 7 + Math.floor(rnd() * 6);
    for (let i = 0; i < count; i++) {
      const returning = customers.length > 5 && rnd() < 0.55;
      const ani = returning ? pick(customers) : `+1415555${String(1000 + customers.length).padStart(4, '0')}`;
      if (!returning) customers.push(ani);
      const at = new Date(day + (13 + rnd() * 9) * 3_600_000).toISOString();
      const seconds = Math.round(after ? 220 + rnd() * 120 : 300 + rnd() * 160);
      const again = open.has(ani) && rnd() < 0.75;
      const intent = again ? open.get(ani)! : pick(INTENTS);
      const resolved = rnd() < (after ? 0.75 : 0.45);
      const status = resolved ? 'resolved' : rnd() < 0.15 ? 'abandoned' : 'open';
      if (status === 'resolved') open.delete(ani);
      else open.set(ani, intent);
      const csat = rnd() < 0.7 ? (after ? pick([4, 4, 5, 5, 5, 3]) : pick([3, 3, 4, 4, 5, 2])) : undefined;
      const lineType = pick(['mobile', 'mobile', 'mobile', 'landline', 'voip'] as const);
      calls.push({ id: `r${++n}`, ani, at, seconds, intent, status, csat, lineType });
      // Now and then the agent transfers the caller: a second leg a few minutes later.
      if (rnd() < 0.05) {
        calls.push({ id: `r${++n}`, ani, at: new Date(Date.parse(at) + (seconds + 60) * 1000).toISOString(), seconds: 120, intent, status: 'resolved', lineType });
        open.delete(ani);
      }
    }
  }
  return calls;
}
