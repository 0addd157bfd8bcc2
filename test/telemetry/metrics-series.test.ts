/**
 * What /metrics says after real traffic, read through a real Prometheus text parser: request latency by
 * route pattern in buckets around the IVRs' budgets, identification outcomes, replays, conflicts, purge
 * runs, the database's pool (PostgreSQL) or WAL and group commit (SQLite). No label ever carries a path,
 * a number or a value a client sent.
 */
import { Client } from 'pg';
import request from 'supertest';

import { runPurge } from '../../src/maintenance/purge';
import { PURGE_LOCK_KEY } from '../../src/maintenance/purge-lock';
import { START_CALL } from '../support/call-operations';
import { graphqlClient } from '../support/graphql-client';
import { restClient, type RestClient } from '../support/rest-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';
import { Scrape } from './scrape';

const TOKEN = 'metrics-token-for-the-series-tests';
const P = 'caller_memory_';

async function scrape(t: TestApp): Promise<Scrape> {
  const res = await request(t.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
  return new Scrape(res.text);
}

describe.each(ENGINES)('metrics after traffic on %s', (engine) => {
  let t: TestApp;
  let client: RestClient;

  beforeAll(async () => {
    t = await createTestApp(engine, { METRICS_TOKEN: TOKEN });
    client = await restClient(t);
  });
  afterAll(() => t.close());

  it('lists every labelled series at zero before anything happened', async () => {
    const s = await scrape(t);
    for (const recommendation of ['reuse', 'confirm', 'ignore']) expect(s.value(`${P}identifications_total`, { recommendation })).toBe(0);
    for (const operation of ['start', 'end']) {
      expect(s.value(`${P}replays_total`, { operation })).toBe(0);
      expect(s.value(`${P}conflicts_total`, { operation })).toBe(0);
    }
    for (const outcome of ['done', 'skipped', 'failed']) expect(s.value(`${P}purge_runs_total`, { outcome })).toBe(0);
    for (const limit of ['rate', 'quota']) expect(s.value(`${P}limit_refusals_total`, { limit })).toBeDefined();
    for (const outcome of ['written', 'dropped']) expect(s.value(`${P}request_log_entries_total`, { outcome })).toBeDefined();
    expect(s.value(`${P}rate_limiter_fallbacks_total`)).toBeDefined();
  });

  it('times each request under its route pattern, method and status, in buckets from 25 ms to 5 s', async () => {
    const start = await client.post('/v1/calls/start', { call_id: 'metrics-route-1', identity_hints: { ani: '+14155550181' } }).expect(200);
    await client.post('/v1/calls/end', { call_id: 'metrics-route-1', customer_ref: start.body.customer_ref, variables: { plan: 'metrics-secret-value' } }).expect(200);
    await request(t.app).get('/no/such/page/14155550181').expect(404);

    const s = await scrape(t);
    const name = `${P}http_request_duration_seconds`;
    expect(s.typeOf(name)).toBe('HISTOGRAM');
    const started = s.histogram(name, { route: '/v1/calls/start', method: 'POST', status: '200' });
    expect(started?.count).toBe(1);
    expect(started?.sum).toBeGreaterThan(0);
    const bounds = Object.keys(started?.buckets ?? {}).sort((a, b) => Number(a) - Number(b));
    expect(bounds).toEqual(['0.025', '0.05', '0.1', '0.25', '0.5', '1', '2', '3', '5', '+Inf']);
    expect(started?.buckets['+Inf']).toBe(1);
    expect(s.histogram(name, { route: '/v1/calls/end', method: 'POST', status: '200' })?.count).toBe(1);
    expect(s.histogram(name, { route: '(unmatched)', method: 'GET', status: '404' })?.count).toBe(1);
    // Patterns only: nothing the client sent is a label value.
    const routes = new Set(s.histogramLabels(name).map((labels) => labels.route));
    expect([...routes].sort()).toEqual(['(unmatched)', '/metrics', '/openapi.json', '/v1/calls/end', '/v1/calls/start']);
    for (const sent of ['4155550181', 'metrics-route-1', 'metrics-secret-value', '/no/such', start.body.customer_ref]) expect(s.text).not.toContain(sent);
  });

  it('counts each new start once by its identification recommendation', async () => {
    const before = await scrape(t);
    const first = await client.post('/v1/calls/start', { call_id: 'metrics-ident-1', identity_hints: { ani: '+14155550182' } }).expect(200);
    const second = await client.post('/v1/calls/start', { call_id: 'metrics-ident-2', identity_hints: { ani: '+14155550182' } }).expect(200);
    const after = await scrape(t);
    const counted = (s: Scrape, recommendation: string) => s.value(`${P}identifications_total`, { recommendation }) ?? 0;
    const expected: Record<string, number> = { reuse: 0, confirm: 0, ignore: 0 };
    for (const res of [first, second]) expected[res.body.identity.recommendation as string] += 1;
    for (const recommendation of Object.keys(expected)) expect(counted(after, recommendation) - counted(before, recommendation)).toBe(expected[recommendation]);
  });

  it('counts a start through GraphQL once too, under the /graphql route', async () => {
    const gql = await graphqlClient(t);
    const before = await scrape(t);
    const data = await gql.data(START_CALL, { input: { callId: 'metrics-gql-1', hints: { ani: '+14155550187' } } });
    const after = await scrape(t);
    const recommendation = (data.startCall.identification.recommendation as string).toLowerCase();
    expect(after.value(`${P}identifications_total`, { recommendation })! - before.value(`${P}identifications_total`, { recommendation })!).toBe(1);
    expect(after.histogram(`${P}http_request_duration_seconds`, { route: '/graphql', method: 'POST', status: '200' })?.count).toBeGreaterThanOrEqual(1);
  });

  it('counts a retried start and a retried end as replays, not as new identifications', async () => {
    const body = { call_id: 'metrics-replay-1', identity_hints: { ani: '+14155550183' } };
    const start = await client.post('/v1/calls/start', body).expect(200);
    const end = { call_id: 'metrics-replay-1', customer_ref: start.body.customer_ref, intent: 'billing' };
    await client.post('/v1/calls/end', end).expect(200);
    const before = await scrape(t);
    await client.post('/v1/calls/start', body).expect(200);
    await client.post('/v1/calls/end', end).expect(200);
    const after = await scrape(t);
    expect(after.value(`${P}replays_total`, { operation: 'start' })! - before.value(`${P}replays_total`, { operation: 'start' })!).toBe(1);
    expect(after.value(`${P}replays_total`, { operation: 'end' })! - before.value(`${P}replays_total`, { operation: 'end' })!).toBe(1);
    const identified = (s: Scrape) => s.samples(`${P}identifications_total`).reduce((sum, sample) => sum + Number(sample.value), 0);
    expect(identified(after)).toBe(identified(before));
  });

  it('counts a start refused with 409 as a conflict', async () => {
    await client.post('/v1/calls/start', { call_id: 'metrics-conflict-1', identity_hints: { ani: '+14155550184' } }).expect(200);
    const before = await scrape(t);
    await client.post('/v1/calls/start', { call_id: 'metrics-conflict-1', identity_hints: { ani: '+14155550185' } }).expect(409);
    const after = await scrape(t);
    expect(after.value(`${P}conflicts_total`, { operation: 'start' })! - before.value(`${P}conflicts_total`, { operation: 'start' })!).toBe(1);
    expect(after.histogram(`${P}http_request_duration_seconds`, { route: '/v1/calls/start', status: '409' })?.count).toBe(1);
  });

  it('counts purge runs that finished, and those that failed', async () => {
    const before = await scrape(t);
    await runPurge(t.orm, t.services);
    await expect(t.services.telemetry.countPurge(Promise.reject(new Error('database gone')))).rejects.toThrow('database gone');
    const after = await scrape(t);
    expect(after.value(`${P}purge_runs_total`, { outcome: 'done' })! - before.value(`${P}purge_runs_total`, { outcome: 'done' })!).toBe(1);
    expect(after.value(`${P}purge_runs_total`, { outcome: 'failed' })! - before.value(`${P}purge_runs_total`, { outcome: 'failed' })!).toBe(1);
  });
});

describe('metrics of the database on PostgreSQL', () => {
  let t: TestApp;
  let client: RestClient;

  beforeAll(async () => {
    t = await createTestApp('postgresql', { METRICS_TOKEN: TOKEN });
    client = await restClient(t);
  });
  afterAll(() => t.close());

  it('reports the pool’s open, idle and waiting connections', async () => {
    await client.post('/v1/calls/start', { call_id: 'metrics-pool-1', identity_hints: { ani: '+14155550186' } }).expect(200);
    const s = await scrape(t);
    const name = `${P}database_pool_connections`;
    expect(s.typeOf(name)).toBe('GAUGE');
    expect(s.value(name, { state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(s.value(name, { state: 'idle' })).toBeGreaterThanOrEqual(0);
    expect(s.value(name, { state: 'waiting' })).toBe(0);
    expect(s.typeOf(`${P}sqlite_wal_bytes`)).toBeUndefined();
  });

  it('counts a purge skipped because another instance holds the purge lock', async () => {
    const holder = new Client({ connectionString: (t.database as { url: string }).url });
    await holder.connect();
    try {
      await holder.query(`select pg_advisory_lock(${PURGE_LOCK_KEY})`);
      const before = await scrape(t);
      expect(await runPurge(t.orm, t.services)).toBeUndefined();
      const after = await scrape(t);
      expect(after.value(`${P}purge_runs_total`, { outcome: 'skipped' })! - before.value(`${P}purge_runs_total`, { outcome: 'skipped' })!).toBe(1);
    } finally {
      await holder.end();
    }
  });
});

describe('metrics of the database on SQLite', () => {
  let t: TestApp;
  let client: RestClient;

  beforeAll(async () => {
    t = await createTestApp('sqlite', { METRICS_TOKEN: TOKEN });
    client = await restClient(t);
  });
  afterAll(() => t.close());

  it('reports the -wal file’s size and the group commit’s batch sizes', async () => {
    const before = await scrape(t);
    const batches = (s: Scrape) => s.histogram(`${P}group_commit_batch_size`);
    await Promise.all(
      [1, 2, 3, 4].map((n) => client.post('/v1/calls/start', { call_id: `metrics-batch-${n}`, identity_hints: { ani: `+1415555019${n}` } }).expect(200)),
    );
    const after = await scrape(t);
    expect(after.typeOf(`${P}group_commit_batch_size`)).toBe('HISTOGRAM');
    const units = batches(after)!.sum - (batches(before)?.sum ?? 0);
    // Every start is one unit of some committed batch (the key lookups are reads).
    expect(units).toBeGreaterThanOrEqual(4);
    expect(batches(after)!.count).toBeGreaterThan(batches(before)?.count ?? 0);
    expect(after.typeOf(`${P}sqlite_wal_bytes`)).toBe('GAUGE');
    expect(after.value(`${P}sqlite_wal_bytes`)).toBeGreaterThan(0);
    expect(after.typeOf(`${P}database_pool_connections`)).toBeUndefined();
  });
});
