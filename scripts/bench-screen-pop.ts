/**
 * `npm run bench:screen-pop`: how long the agent screen pop takes to render for a customer with 1,000 calls
 * and 100 variables (issue 10: under 50 ms of server time), on a fresh SQLite file, and on a fresh
 * PostgreSQL database when DATABASE_URL is set. The tenant also holds 200 other customers' 4,000 calls,
 * so a plan that scanned the tenant instead of the customer would show.
 *
 * The customer's first and current calls go through the real REST API (the link is the one the start
 * answers); the 998 calls between, the variables and intents are inserted in bulk with the service's own
 * SQL helpers. The app is the production wiring, listening on a local port. Printed per engine, over
 * BENCH_RENDERS renders (default 300, after 30 warm-up):
 *   - server time: from the request's arrival in Express to the last byte handed to the socket, measured
 *     in-process around the whole app (middleware, the page's queries, view model, template);
 *   - HTTP: the same requests timed by the client (fetch over keep-alive), connection and parsing included;
 *   - the SQL statements one render sends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import type { MikroORM } from '@mikro-orm/core';
import express from 'express';

import { createApp } from '../src/app';
import { insertCall } from '../src/calls/call.sql';
import { loadConfig, type DatabaseConfig } from '../src/config';
import { initOrm } from '../src/db/orm';
import { inTransaction, type Sql } from '../src/db/sql';
import { LineTypeName } from '../src/identity/line-type';
import { IntentStatus } from '../src/intents/intent-status';
import { saveIntent } from '../src/intents/intent.sql';
import { createLogger } from '../src/logging/logger';
import { ApiKeyService } from '../src/tenancy/api-key.service';
import { Environment, type Tenant } from '../src/tenancy/environment';
import { saveVariable } from '../src/variables/variable.sql';
import { newRowId } from '../src/shared/row-id';
import { withScratchPostgres } from './scratch-postgres';

const RENDERS = Number(process.env.BENCH_RENDERS ?? 300);
const WARM_UP = 30;
const CALLS = 1000;
const VARIABLES = 100;
const OTHER_CUSTOMERS = 200;
const OTHER_CALLS_EACH = 20;
const SECRET = 'bench-screen-pop-secret-'.padEnd(48, 'x');
const DAY = 86_400_000;

/** p-th percentile (nearest rank) of sorted values. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function call(customerId: string, callId: string, startedAt: Date, i: number) {
  const intent = ['order_status', 'billing_question', 'refund_request', 'delivery_issue', null][i % 5];
  return {
    callId,
    customer: { id: customerId },
    startedAt,
    endedAt: new Date(startedAt.getTime() + 240_000),
    durationSeconds: 240,
    aniRaw: '+16175550100',
    ani: '+16175550100',
    dnis: '+18005550199',
    lineType: LineTypeName.MOBILE,
    confidence: 0.95,
    level: 'very_high',
    recommendation: 'reuse',
    sources: ['ani:mobile', 'external_id'],
    intent,
    intentStatus: intent ? IntentStatus.RESOLVED : null,
    variablesWritten: i % 3 === 0 ? ['last_summary'] : [],
    startFingerprint: null,
    endFingerprint: null,
    startSnapshot: null,
    intentsUpdated: intent ? 1 : 0,
    variablesUpdated: i % 3 === 0 ? 1 : 0,
  };
}

/** The bulk of the history: 998 calls, 99 more variables, open and resolved intents, and other customers. */
async function seedBulk(sql: Sql, tenant: Tenant, customerId: string, now: Date): Promise<void> {
  for (let i = 0; i < CALLS - 2; i++) {
    await insertCall(sql, tenant, call(customerId, `bulk-${i}`, new Date(now.getTime() - (CALLS - i) * 0.7 * DAY), i));
  }
  for (let i = 0; i < VARIABLES - 1; i++) {
    const updatedAt = new Date(now.getTime() - (i + 1) * 3_600_000);
    await saveVariable(sql, tenant, {
      id: newRowId(),
      customer: { id: customerId },
      name: i === 0 ? 'last_summary' : `crm_field_${String(i).padStart(2, '0')}`,
      value: i === 0 ? 'Chased the refund for order 77-1043; finance escalated it.' : `value ${i}`,
      source: i % 4 === 0 ? 'crm' : null,
      ttlSeconds: 2_592_000,
      expiresAt: new Date(updatedAt.getTime() + 2_592_000_000),
      lastCallId: i === 0 ? `bulk-${CALLS - 3}` : null,
      updatedAt,
    }, true);
  }
  for (const [name, status, attempts] of [['refund_request', IntentStatus.OPEN, 3], ['delivery_issue', IntentStatus.ABANDONED, 2], ['order_status', IntentStatus.RESOLVED, 1]] as const) {
    await saveIntent(sql, tenant, { customer: { id: customerId }, name, status, attemptCount: attempts, lastCallId: null, createdAt: new Date(now.getTime() - 30 * DAY), updatedAt: new Date(now.getTime() - DAY) });
  }
  await sql.run('update customers set call_count = ? where id = ?', [CALLS - 1, customerId]);
}

async function seedOthers(sql: Sql, tenant: Tenant, customerId: string, now: Date): Promise<void> {
  const rows = await sql.all<{ id: string }>('select id from customers where organisation_id = ? and environment = ? and id <> ?', [tenant.organisationId, tenant.environment, customerId]);
  for (const { id } of rows) {
    for (let i = 0; i < OTHER_CALLS_EACH; i++) await insertCall(sql, tenant, call(id, `other-${id}-${i}`, new Date(now.getTime() - i * 0.5 * DAY - Math.random() * DAY), i));
  }
}

async function bench(label: string, database: DatabaseConfig): Promise<void> {
  const orm: MikroORM = await initOrm(database);
  const config = loadConfig({ NODE_ENV: 'production', APP_SECRET: SECRET, LOG_LEVEL: 'silent', PURGE_INTERVAL_SECONDS: '0' });
  const built = await createApp({ config, orm, logger: createLogger('silent') });
  const serverTimes: number[] = [];
  const outer = express();
  outer.use((req, res, next) => {
    const started = performance.now();
    if (req.path.startsWith('/screen-pop/')) res.on('finish', () => serverTimes.push(performance.now() - started));
    next();
  });
  outer.use(built.app);
  const server = outer.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const em = orm.em.fork();
    const keys = new ApiKeyService(SECRET);
    const organisation = await keys.createOrganisation(em, 'bench', 'Bench');
    const { secret } = await keys.createKey(em, organisation, Environment.PROD, 'bench');
    const post = async (path: string, body: object) => {
      const res = await fetch(`${origin}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<{ customer_ref: string; flat: { screen_pop_url: string } }>;
    };
    const hints = { identity_hints: { ani: '+16175550100', external_ids: { crm_id: 'C-1001' } }, telco: { line_type: 'mobile' } };
    const first = await post('/v1/calls/start', { call_id: 'dana-first', ...hints });
    await post('/v1/calls/end', { call_id: 'dana-first', intent: 'billing_question', variables: { name: 'Dana Smith' } });
    for (let i = 0; i < OTHER_CUSTOMERS; i++) await post('/v1/calls/start', { call_id: `other-first-${i}`, identity_hints: { ani: `+1212555${String(i).padStart(4, '0')}` } });
    const tenant: Tenant = { organisationId: organisation.id, environment: Environment.PROD };
    const [{ id: customerId }] = await orm.em.getConnection().execute('select id from customers where ref = ?', [first.customer_ref]);
    const now = new Date();
    await inTransaction(orm.em.fork(), (sql) => seedBulk(sql, tenant, customerId as string, now));
    await inTransaction(orm.em.fork(), (sql) => seedOthers(sql, tenant, customerId as string, now));
    // PostgreSQL's autovacuum analyses a table this size on its own; a fresh bulk load has not waited for it.
    if (database.engine === 'postgresql') await orm.em.getConnection().execute('analyze');
    const link = (await post('/v1/calls/start', { call_id: 'dana-now', ...hints })).flat.screen_pop_url;

    let statements = 0;
    const logger = orm.config.getLogger();
    const logQuery = logger.logQuery;
    logger.logQuery = function (this: unknown, context) {
      statements++;
      return logQuery.call(this, context);
    };
    const check = await fetch(link);
    const html = await check.text();
    logger.logQuery = logQuery;
    if (check.status !== 200 || !html.includes('Returning caller, very likely Dana Smith')) throw new Error(`page answered ${check.status}`);

    const httpTimes: number[] = [];
    for (let i = 0; i < WARM_UP + RENDERS; i++) {
      const started = performance.now();
      const res = await fetch(link);
      await res.arrayBuffer();
      if (i >= WARM_UP) httpTimes.push(performance.now() - started);
    }
    const inProcess = serverTimes.slice(-RENDERS).sort((a, b) => a - b);
    const http = httpTimes.sort((a, b) => a - b);
    const fmt = (v: number) => v.toFixed(2);
    console.log(
      `| ${label} | ${RENDERS} | ${fmt(percentile(inProcess, 50))} | ${fmt(percentile(inProcess, 95))} | ${fmt(percentile(http, 50))} | ${fmt(percentile(http, 95))} | ${statements} | ${(html.length / 1024).toFixed(1)} KB |`,
    );
  } finally {
    server.close();
    await built.apollo.stop();
    await orm.close(true);
  }
}

async function main(): Promise<void> {
  console.log(`Screen pop for a customer with ${CALLS} calls and ${VARIABLES} variables (tenant: ${OTHER_CUSTOMERS * OTHER_CALLS_EACH + CALLS} calls), milliseconds`);
  console.log('| engine | renders | server p50 | server p95 | HTTP p50 | HTTP p95 | SQL statements | page size |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  const dir = mkdtempSync(join(tmpdir(), 'cm-bench-screen-pop-'));
  try {
    await bench('SQLite (file, WAL)', { engine: 'sqlite', path: join(dir, 'caller-memory.db') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const pg = process.env.DATABASE_URL;
  if (pg) await withScratchPostgres(pg, 'cm_bench_screen_pop', (url) => bench('PostgreSQL', { engine: 'postgresql', url }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
