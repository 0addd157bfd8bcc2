/**
 * `npm run bench:floor`: the SQL floor of a call. The same statements a start and an end send (the hot
 * path's own SQL helpers, called in the service's order and batches), straight on the driver: one
 * transaction per call, no HTTP, no ORM, no service. Prints the CPU time per call of this process, in
 * µs, for the bench's three scenarios: on SQLite (better-sqlite3, a fresh WAL file) and, when
 * DATABASE_URL is set, on PostgreSQL (pg, a fresh database; named statements, pipelined as the service
 * sends them). `npm run bench` runs it too and prints the service's CPU per request beside it.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ExceptionConverter } from '@mikro-orm/core';
import { Pool } from 'pg';

import { startSnapshot } from '../src/calls/call-snapshot';
import { callById, claimEnd, insertCall, saveCallOutcome } from '../src/calls/call.sql';
import { newCall } from '../src/calls/new-call';
import { insertCustomer, lockCustomer, newCustomer, saveCustomerActivity } from '../src/customers/customer.sql';
import { initOrm } from '../src/db/orm';
import { pgTransaction } from '../src/db/pg-sql';
import { POSTGRESQL, SQLITE, type Sql } from '../src/db/sql';
import { scoreIdentity, DEFAULT_IDENTITY_WEIGHTS } from '../src/identity/confidence';
import { cleanHints } from '../src/identity/identity-hints';
import { insertPhone, lockIdentities, phonesByNumber, touchPhone } from '../src/identity/identity.sql';
import { LineTypeName } from '../src/identity/line-type';
import { IntentStatus } from '../src/intents/intent-status';
import { intentNamed, intentsOf, saveIntent } from '../src/intents/intent.sql';
import { tombstonedDigests } from '../src/privacy/privacy.sql';
import { DEFAULT_MEMORY_RULES } from '../src/shared/memory-rules';
import { newRowId } from '../src/shared/row-id';
import { Environment, type Tenant } from '../src/tenancy/environment';
import { saveVariable, variablesOf } from '../src/variables/variable.sql';
import { analyzeAfterSeeding, withScratchPostgres } from './scratch-postgres';

const CALLS = Number(process.env.FLOOR_CALLS ?? 3000);
const SEEDED = 200;
/** Transactions in flight in the PostgreSQL throughput runs (FLOOR_IN_FLIGHT): the bench's 10 connections. */
const FLOOR_IN_FLIGHT = Number(process.env.FLOOR_IN_FLIGHT ?? 10);
const TENANT: Tenant = { organisationId: newRowId(), environment: Environment.PROD };

/** CPU µs per call of each scenario, and calls per second (wall) with FLOOR_IN_FLIGHT transactions at once. */
export interface Floor {
  returning: number;
  new: number;
  end: number;
  rate: { returning: number; new: number; end: number };
}

/** Seconds of each throughput run. */
const RATE_SECONDS = Number(process.env.FLOOR_SECONDS ?? 5);

/** Runs one transaction's statements. */
type Transaction = <T>(work: (sql: Sql) => Promise<T>) => Promise<T>;

const digest = (text: string) => createHash('sha256').update(text).digest('base64url');
const hintsOf = (ani: string) => cleanHints({ ani, externalIds: {} }, DEFAULT_MEMORY_RULES);

/** A start, as CallService sends it: lock and reads; the customer's lock and memory; the writes. */
async function start(sql: Sql, callId: string, ani: string): Promise<void> {
  const hints = hintsOf(ani);
  const now = new Date();
  const e164 = hints.ani.kind === 'number' ? hints.ani.e164 : '';
  const [, phones] = await Promise.all([
    lockIdentities(sql, TENANT, [`ani\0${e164}`]),
    phonesByNumber(sql, TENANT, e164),
    callById(sql, TENANT, callId),
    tombstonedDigests(sql, TENANT, [digest(callId)]),
  ]);
  const signals = { matched: phones.length > 0, customerRef: false, externalId: false, ani: phones[0] ? { lineType: phones[0].lineType, shared: false } : undefined, conflict: false };
  const identification = scoreIdentity(signals, DEFAULT_IDENTITY_WEIGHTS);
  if (!phones[0]) {
    const customer = newCustomer(TENANT, now, false);
    const call = { ...newCall(callId, customer, hints, LineTypeName.UNKNOWN, identification, now, null), startSnapshot: startSnapshot([], [], { previousCallAt: null, callCount: 1, lastIntent: null }) };
    await sql.last(Promise.all([insertCustomer(sql, customer), insertPhone(sql, TENANT, customer.id, e164, LineTypeName.UNKNOWN, now), insertCall(sql, TENANT, call)]));
    return;
  }
  const id = phones[0].customer.id;
  const [customer, intents, variables] = await Promise.all([
    sql.dialect.name === 'postgresql' ? lockCustomer(sql, TENANT, id) : phones[0].customer,
    intentsOf(sql, TENANT, id),
    variablesOf(sql, TENANT, id, now),
  ]);
  const previousCallAt = customer.lastCallAt;
  Object.assign(customer, { callCount: customer.callCount + 1, lastCallAt: now, updatedAt: now });
  const snapshot = startSnapshot(intents, variables, { previousCallAt, callCount: customer.callCount, lastIntent: intents[0] ?? null });
  await sql.last(
    Promise.all([
      touchPhone(sql, phones[0].id, now, undefined),
      saveCustomerActivity(sql, customer),
      insertCall(sql, TENANT, { ...newCall(callId, customer, hints, phones[0].lineType, identification, now, previousCallAt), startSnapshot: snapshot }),
    ]),
  );
}

/** An end with an intent and two variables, as CallService sends it. */
async function end(sql: Sql, callId: string): Promise<void> {
  const now = new Date();
  const call = (await callById(sql, TENANT, callId))!;
  const [customer] = await Promise.all([lockCustomer(sql, TENANT, call.customer.id), claimEnd(sql, call.id, now)]);
  const [intent, existing] = await Promise.all([intentNamed(sql, TENANT, customer.id, 'billing_question'), variablesOf(sql, TENANT, customer.id)]);
  const variable = (name: string, value: string) => {
    const current = existing.find((v) => v.name === name);
    const record = { id: current?.id ?? newRowId(), customer: { id: customer.id }, name, value, source: null, ttlSeconds: 2_592_000, expiresAt: new Date(now.getTime() + 2_592_000_000), lastCallId: callId, updatedAt: now };
    return saveVariable(sql, TENANT, record, !current);
  };
  await Promise.all([
    saveIntent(sql, TENANT, intent ? { ...intent, attemptCount: intent.attemptCount + 1, updatedAt: now } : { customer: { id: customer.id }, name: 'billing_question', status: IntentStatus.OPEN, attemptCount: 1, lastCallId: callId, createdAt: now, updatedAt: now }),
    variable('name', `New ${callId}`),
    variable('last_summary', 'Asked about an invoice'),
  ]);
  Object.assign(call, { endedAt: now, durationSeconds: 1, intent: 'billing_question', intentStatus: IntentStatus.OPEN, variablesWritten: ['name', 'last_summary'], endFingerprint: 'x', intentsUpdated: 1, variablesUpdated: 2 });
  Object.assign(customer, { provisional: false, updatedAt: now });
  await sql.last(Promise.all([saveCallOutcome(sql, call), saveCustomerActivity(sql, customer)]));
}

const ani = (i: number) => `+1415555${String(i).padStart(4, '0')}`;

/** CPU µs per run of `one`, over `count` runs. */
async function cpuPerCall(count: number, one: (i: number) => Promise<void>): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < count; i++) await one(i);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

/**
 * Calls per second with `inFlight` runs of `one` at once for RATE_SECONDS (or until `limit` runs): the
 * most any service sending these statements could answer, with no HTTP, no load generator and no service.
 */
async function callsPerSecond(inFlight: number, one: (i: number) => Promise<void>, limit = Infinity): Promise<{ rate: number; calls: number }> {
  let next = 0;
  const startedAt = performance.now();
  const until = startedAt + RATE_SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < until && next < limit) await one(next++);
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { rate: next / ((performance.now() - startedAt) / 1000), calls: next };
}

/** Seeds returning callers, lets `settle` run (PostgreSQL: ANALYZE, as the bench does), then measures. */
async function measure(transaction: Transaction, inFlight: number, settle: () => Promise<void>): Promise<Floor> {
  for (let i = 0; i < SEEDED; i++) {
    await transaction((sql) => start(sql, `seed-${i}`, ani(i)));
    await transaction((sql) => end(sql, `seed-${i}`));
  }
  await settle();
  const freshAni = (i: number) => `+1646${String(i).padStart(7, '0')}`;
  const returning = await cpuPerCall(CALLS, (i) => transaction((sql) => start(sql, `ret-${i}`, ani(i % SEEDED))));
  const fresh = await cpuPerCall(CALLS, (i) => transaction((sql) => start(sql, `new-${i}`, freshAni(i))));
  const ended = await cpuPerCall(CALLS, (i) => transaction((sql) => end(sql, `new-${i}`)));
  const returningRate = await callsPerSecond(inFlight, (i) => transaction((sql) => start(sql, `rate-ret-${i}`, ani(i % SEEDED))));
  const newRate = await callsPerSecond(inFlight, (i) => transaction((sql) => start(sql, `rate-new-${i}`, freshAni(CALLS + i))));
  const endRate = await callsPerSecond(inFlight, (i) => transaction((sql) => end(sql, `rate-new-${i}`)), newRate.calls);
  return { returning, new: fresh, end: ended, rate: { returning: returningRate.rate, new: newRate.rate, end: endRate.rate } };
}

interface SqliteStatement {
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): { changes: number };
}
interface SqliteDatabase {
  prepare(text: string): SqliteStatement;
  pragma(text: string): unknown;
  close(): void;
}

/** The floor on a fresh SQLite file (schema by the migrations), WAL and synchronous=NORMAL as the service sets. */
export async function sqliteFloor(): Promise<Floor> {
  const dir = mkdtempSync(join(tmpdir(), 'cm-floor-'));
  try {
    const path = join(dir, 'floor.db');
    await (await initOrm({ engine: 'sqlite', path })).close(true);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3') as new (path: string) => SqliteDatabase;
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const prepared = new Map<string, SqliteStatement>();
    const statement = (text: string) => prepared.get(text) ?? prepared.set(text, db.prepare(text)).get(text)!;
    const sql: Sql = {
      dialect: SQLITE,
      all: async <T>(text: string, params: readonly unknown[] = []) => statement(text).all(...params) as T[],
      one: async <T>(text: string, params: readonly unknown[] = []) => statement(text).get(...params) as T | undefined,
      run: async (text: string, params: readonly unknown[] = []) => statement(text).run(...params).changes,
      last: async (writes: Promise<unknown>) => {
        await writes;
      },
    };
    try {
      // One connection, synchronous driver: transactions cannot overlap, so one at a time.
      return await measure(async (work) => {
        statement('begin').run();
        try {
          const result = await work(sql);
          statement('commit').run();
          return result;
        } catch (error) {
          statement('rollback').run();
          throw error;
        }
      }, 1, async () => undefined);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The floor on a fresh PostgreSQL database beside `url`'s, through db/pg-sql.ts's transactions. */
export async function postgresFloor(url: string): Promise<Floor> {
  let floor: Floor | undefined;
  await withScratchPostgres(url, 'cm_floor', async (scratch) => {
    await (await initOrm({ engine: 'postgresql', url: scratch })).close(true);
    // As many connections as the bench's autocannon connections; the CPU per call is measured one at a time.
    const pool = new Pool({ connectionString: scratch, max: FLOOR_IN_FLIGHT });
    // An idle connection ended by the server (the scratch database dropped under it) is not a failure of the floor.
    pool.on('error', () => undefined);
    const parts = { dialect: POSTGRESQL, converter: { convertException: (e: Error) => e } as unknown as ExceptionConverter, logQuery: () => undefined };
    try {
      floor = await measure((work) => pgTransaction(pool, parts, work), FLOOR_IN_FLIGHT, () => analyzeAfterSeeding(pool));
    } finally {
      await pool.end();
    }
  });
  return floor!;
}

/** One line per engine, for the bench's output. */
export function floorLine(label: string, floor: Floor): string {
  const { rate } = floor;
  return (
    `${label} SQL floor (CPU µs per call, no HTTP): returning start ${floor.returning.toFixed(0)}, new start ${floor.new.toFixed(0)}, end ${floor.end.toFixed(0)}\n` +
    `${label} SQL floor (calls/s, no HTTP): returning start ${rate.returning.toFixed(0)}, new start ${rate.new.toFixed(0)}, end ${rate.end.toFixed(0)}`
  );
}

async function main(): Promise<void> {
  console.log(floorLine('SQLite', await sqliteFloor()));
  const url = process.env.DATABASE_URL;
  if (url) console.log(floorLine('PostgreSQL', await postgresFloor(url)));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
