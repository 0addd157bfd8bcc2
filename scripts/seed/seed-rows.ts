/**
 * The rows of seeded customers, engine-agnostic: each one as the service would have left it after two calls
 * from the same number (issue 12's scale shape): a customer, a phone identity, two ended calls (the second
 * one recognised by its ANI), one open intent reported on both, and two variables. Row i is the same on
 * every run, so a benchmark can ring seeded customer i again by its number.
 */
import { hash, randomFillSync } from 'node:crypto';

import { startSnapshot } from '../../src/calls/call-snapshot';
import type { StartSnapshot } from '../../src/calls/call.entity';
import type { IntentView, VariableView } from '../../src/calls/call.types';
import { IntentStatus } from '../../src/intents/intent-status';
import { newRowId } from '../../src/shared/row-id';

/** Area codes of real US cities (so libphonenumber reads every seeded number as valid). */
const AREA_CODES = [212, 213, 305, 312, 415, 469, 503, 617, 646, 702, 713, 718, 801, 917, 206, 303, 404, 512, 602, 614];
const EXCHANGES = 800; // 200–999
const LINES = 10_000;
const NUMBERS = AREA_CODES.length * EXCHANGES * LINES; // 160,000,000
// A multiplier coprime with NUMBERS (2^11·5^7): i ↦ i·M mod NUMBERS is a
// bijection, so the numbers are distinct and scattered over the whole space, as real callers' are.
const MULTIPLIER = 7 * 11 * 13 * 17 * 19 * 23;

/** Seeded customer i's phone number in E.164: distinct for every i below 160 million. */
export function seededAni(i: number): string {
  if (!Number.isInteger(i) || i < 0 || i >= NUMBERS) throw new RangeError(`no seeded number for ${i}`);
  // i·M stays below 2^53 for every i below NUMBERS, so plain numbers are exact here.
  const n = (i * MULTIPLIER + 12_345) % NUMBERS;
  const area = AREA_CODES[n % AREA_CODES.length];
  const rest = Math.floor(n / AREA_CODES.length);
  const exchange = 200 + (rest % EXCHANGES);
  const line = Math.floor(rest / EXCHANGES);
  return `+1${area}${exchange}${String(line).padStart(4, '0')}`;
}

const DAY = 86_400_000;
/** Seeded first calls spread over this many days before the last ones. */
const SPREAD_DAYS = 30;
/** Variables are seeded with this TTL so none expires while a benchmark runs. */
export const SEEDED_VARIABLE_TTL_SECONDS = 90 * 86_400;
/** The intent every seeded customer reported on both calls. */
export const SEEDED_INTENT = 'refund_request';

/** A row as the values of its columns, in the order of its table's column list. */
export type Row = unknown[];

/** The columns each seeded table is written with (the same on both engines). */
export const SEED_COLUMNS = {
  customers: ['id', 'organisation_id', 'environment', 'ref', 'created_at', 'updated_at', 'provisional', 'last_call_at', 'call_count', 'merged_into_id'],
  phone_identities: ['id', 'organisation_id', 'environment', 'customer_id', 'e164', 'line_type', 'created_at', 'last_seen_at'],
  calls: [
    'id', 'organisation_id', 'environment', 'call_id', 'customer_id', 'started_at', 'ended_at', 'duration_seconds', 'ani_raw', 'ani', 'dnis',
    'line_type', 'confidence', 'level', 'recommendation', 'sources', 'intent', 'intent_status', 'variables_written', 'start_fingerprint',
    'end_fingerprint', 'start_snapshot', 'intents_updated', 'variables_updated', 'csat', 'previous_call_at',
  ],
  intents: ['id', 'organisation_id', 'environment', 'customer_id', 'name', 'status', 'attempt_count', 'last_call_id', 'created_at', 'updated_at'],
  variables: ['id', 'organisation_id', 'environment', 'customer_id', 'name', 'value', 'source', 'ttl_seconds', 'expires_at', 'last_call_id', 'updated_at'],
} as const;

/** A seeded table's name. */
export type SeedTable = keyof typeof SEED_COLUMNS;

/** How values are written for one engine. */
export interface SeedEncoding {
  /** An instant given as Unix milliseconds (no Date object per value: the seed writes ten a customer). */
  date(ms: number): unknown;
  bool(value: boolean): unknown;
  json(value: unknown): unknown;
}

/** Where and how customers are seeded. */
export interface SeedPlan {
  organisationId: string;
  environment: string;
  /** Customers seeded in all (fixes each customer's place in time). */
  total: number;
  /** The last seeded call ends shortly before this instant. */
  now: Date;
  /** Start snapshots are kept only on calls that started within this many hours of `now` (REPLAY_WINDOW_HOURS). */
  snapshotHours: number;
}

/** The rows of one seeded customer. */
export type SeedRows = { [T in SeedTable]: Row[] };

const RANDOM_POOL = 64 * 1024;
const randomPool = Buffer.allocUnsafe(RANDOM_POOL);
let randomOffset = RANDOM_POOL;

/** 16 random bytes from a pool refilled 4,096 at a time (one getrandom call per refill, not per id). */
function random16(): Buffer {
  if (randomOffset === RANDOM_POOL) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  randomOffset += 16;
  return randomPool.subarray(randomOffset - 16, randomOffset);
}

/** A Twilio-style call SID: what platforms send as call_id. */
const callSid = () => `CA${random16().toString('hex')}`;

// One-shot digest: no Hash object per fingerprint.
const sha = (text: string) => hash('sha256', text, 'hex').slice(0, 32);

/**
 * The start fingerprint of an ANI-only start, as hintsFingerprint writes it (its canonical JSON spelled
 * out: the seed computes two a customer, and the generic walk was a quarter of its time). A test checks
 * both against the service's own functions.
 */
export function seedStartPrint(e164: string): string {
  return sha(`{"ani":${JSON.stringify(e164)},"customerRef":null,"dnis":null,"externalIds":{},"lineType":null}`);
}

/** The end fingerprint of a seeded end (open intent, name and tier), as the service computes it. */
export function seedEndPrint(name: string, tier: string): string {
  const variable = (n: string, v: string) => `{"name":${JSON.stringify(n)},"source":null,"ttl":${SEEDED_VARIABLE_TTL_SECONDS},"value":${JSON.stringify(v)}}`;
  return sha(
    `{"customerRef":null,"hints":null,"intent":{"name":"${SEEDED_INTENT}","status":"${IntentStatus.OPEN}"},"variables":[${variable('name', name)},${variable('tier', tier)}]}`,
  );
}

/** Seeded customer i's rows; `enc` writes dates, booleans and JSON as the engine stores them. */
export function seedCustomer(i: number, plan: SeedPlan, enc: SeedEncoding): SeedRows {
  const { organisationId: org, environment: env } = plan;
  const end = plan.now.getTime() - 60_000;
  // Last calls spread evenly over the SPREAD_DAYS before `now`, customer 0 the oldest; the first call 1–6 days earlier.
  const gapDays = 1 + (i % 6);
  const second = end - Math.floor(((plan.total - 1 - i) / Math.max(1, plan.total)) * SPREAD_DAYS * DAY) - 300_000;
  const first = second - gapDays * DAY - (i % 3600) * 1000;
  const firstEnd = first + 120_000 + (i % 180) * 1000;
  const secondEnd = second + 90_000 + (i % 240) * 1000;
  const e164 = seededAni(i);
  const customerId = newRowId(first);
  const sids = [callSid(), callSid()];
  const name = `Caller ${i}`;
  const tier = ['gold', 'silver', 'bronze'][i % 3];
  const at = enc.date;
  const intentId = newRowId(firstEnd);
  const variableIds = [newRowId(firstEnd), newRowId(firstEnd)];
  // The views a snapshot is built from: made only for the calls that keep one (few, in the window).
  const intent = (): IntentView =>
    ({
      id: intentId,
      customer: { id: customerId },
      name: SEEDED_INTENT,
      status: IntentStatus.OPEN,
      attemptCount: 1,
      lastCallId: sids[0],
      createdAt: new Date(firstEnd),
      updatedAt: new Date(firstEnd),
    }) as IntentView;
  const variable = (n: number, vname: string, value: string): VariableView =>
    ({
      id: variableIds[n],
      customer: { id: customerId },
      name: vname,
      value,
      source: null,
      ttlSeconds: SEEDED_VARIABLE_TTL_SECONDS,
      expiresAt: new Date(firstEnd + SEEDED_VARIABLE_TTL_SECONDS * 1000),
      lastCallId: sids[0],
      updatedAt: new Date(firstEnd),
    }) as VariableView;
  const keepSnapshot = (startedAt: number) => startedAt >= plan.now.getTime() - plan.snapshotHours * 3_600_000;
  // Built only for the calls that keep one (few, in the window): most of a seed's time otherwise.
  const snapshot = (n: 0 | 1): StartSnapshot =>
    n === 0
      ? startSnapshot([], [], { previousCallAt: null, callCount: 1, lastIntent: null })
      : startSnapshot([intent()], [variable(0, 'name', name), variable(1, 'tier', tier)], { previousCallAt: new Date(first), callCount: 2, lastIntent: intent() });
  const recencyDays = Math.max(1, Math.floor((second - first) / DAY));
  const start = seedStartPrint(e164);
  const endFp = seedEndPrint(name, tier);
  const call = (n: 0 | 1): Row => {
    const [startedAt, endedAt] = n === 0 ? [first, firstEnd] : [second, secondEnd];
    const returning = n === 1;
    return [
      newRowId(startedAt), org, env, sids[n], customerId, at(startedAt), at(endedAt), Math.round((endedAt - startedAt) / 1000), e164, e164, null,
      'unknown', returning ? 0.4 : 0, 'low', returning ? 'confirm' : 'ignore',
      enc.json(returning ? ['ani:unknown', `recency:${recencyDays}day`] : []), SEEDED_INTENT, IntentStatus.OPEN, enc.json(['name', 'tier']),
      start, endFp, keepSnapshot(startedAt) ? enc.json(snapshot(n)) : null, 1, 2, null, returning ? at(first) : null,
    ];
  };
  return {
    customers: [[customerId, org, env, randomUuidV4(), at(first), at(secondEnd), enc.bool(false), at(second), 2, null]],
    phone_identities: [[newRowId(first), org, env, customerId, e164, 'unknown', at(first), at(second)]],
    calls: [call(0), call(1)],
    intents: [[intentId, org, env, customerId, SEEDED_INTENT, IntentStatus.OPEN, 2, sids[1], at(firstEnd), at(secondEnd)]],
    variables: [
      [variableIds[0], org, env, customerId, 'name', name, null, SEEDED_VARIABLE_TTL_SECONDS, at(secondEnd + SEEDED_VARIABLE_TTL_SECONDS * 1000), sids[1], at(secondEnd)],
      [variableIds[1], org, env, customerId, 'tier', tier, null, SEEDED_VARIABLE_TTL_SECONDS, at(secondEnd + SEEDED_VARIABLE_TTL_SECONDS * 1000), sids[1], at(secondEnd)],
    ],
  };
}

/** A random (version 4) UUID, as customer refs are. */
function randomUuidV4(): string {
  const b = random16();
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
