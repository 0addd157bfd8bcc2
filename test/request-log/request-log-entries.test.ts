/**
 * The request log records every authenticated /v1 request: one entry per answer, success and each error
 * class, with numbers and variable values masked, bodies only for organisations that keep them.
 */
import { randomUUID } from 'node:crypto';

import request from 'supertest';

import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';
import { logClient, setLogBodies, storedEntries, type LogClient } from './request-log-fixture';

const ANI = '+14155550177';
const CRM = 'CRM-99887766';
const VARIABLE_VALUE = 'Zephyrine-Quillfeather';

async function setLimit(t: TestApp, organisationId: string, column: 'rate_limit_per_minute' | 'monthly_quota', value: number): Promise<void> {
  await t.orm.em.getConnection().execute(`update organisations set ${column} = ? where id = ?`, [value, organisationId]);
  t.services.limits.forget(organisationId);
}

describe.each(ENGINES)('request log entries on %s', (engine) => {
  let t: TestApp;
  let client: LogClient;

  beforeAll(async () => {
    t = await createTestApp(engine, { BODY_LIMIT_BYTES: '2048' });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    client = await logClient(t);
  });

  it('records a success: route pattern, method, status, latency, masked call id, key, environment, request id; no bodies by default', async () => {
    const res = await client.post('/v1/calls/start', { call_id: `${ANI}-1700000000`, identity_hints: { ani: ANI } }).expect(200);
    const [entry, ...rest] = await storedEntries(t, client.organisation.id);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      route: '/v1/calls/start',
      method: 'POST',
      status: 200,
      // The access log's masking: the number and the 10-digit timestamp (a bare 10-digit id is masked too).
      call_id: '*********77-********00',
      key_id: client.keyId,
      environment: 'test',
      request_id: res.headers['x-request-id'],
      error_code: null,
      issues: null,
      request_body: null,
      response_body: null,
    });
    expect(Number(entry.latency_ms)).toBeGreaterThan(0);
  });

  it('keeps the request id the service made whole and masks a number in one the caller sent', async () => {
    await request(t.app).post('/v1/calls/start').set('Authorization', `Bearer ${client.key}`).set('X-Request-Id', 'ivr-4155550177-7').send({ call_id: 'rl-rid', identity_hints: { ani: ANI } }).expect(200);
    const [entry] = await storedEntries(t, client.organisation.id);
    expect(entry.request_id).toBe('ivr-********77-7');
  });

  it('an erase deletes the entries of the erased customer’s calls, written or still queued, and keeps the others', async () => {
    const erasedAni = '+14155550166';
    const ref = (await client.post('/v1/calls/start', { call_id: `${erasedAni}-1`, identity_hints: { ani: erasedAni } }).expect(200)).body.customer_ref as string;
    await client.post('/v1/calls/start', { call_id: 'rl-kept', identity_hints: { ani: ANI } }).expect(200);
    await storedEntries(t, client.organisation.id); // written before the erase
    await client.post('/v1/calls/end', { call_id: `${erasedAni}-1`, intent: 'refund_request' }).expect(200); // still queued at the erase
    await request(t.app).delete(`/v1/customers/${ref}`).set('Authorization', `Bearer ${client.key}`).expect(200);
    const entries = await storedEntries(t, client.organisation.id);
    expect(entries.map((e) => [e.method, e.route, e.call_id])).toEqual([
      ['POST', '/v1/calls/start', 'rl-kept'],
      ['DELETE', '/v1/customers/:ref', null],
    ]);
  });

  it('records a 400 with the validation issues’ paths and messages as answered', async () => {
    const res = await client.post('/v1/calls/start', { call_id: 'rl-400', identity_hints: 'not an object' }).expect(400);
    const [entry] = await storedEntries(t, client.organisation.id);
    expect(entry).toMatchObject({ status: 400, error_code: 'BAD_USER_INPUT', call_id: 'rl-400' });
    const answered = (res.body.details.issues as { path: string[]; message: string }[]).map((i) => ({ path: i.path.join('.'), message: i.message }));
    expect(answered.length).toBeGreaterThan(0);
    expect(JSON.parse(entry.issues ?? '[]')).toEqual(answered);
  });

  it('does not record a request refused as unauthenticated (401): it has no tenant', async () => {
    const before = (await storedEntries(t)).length;
    await request(t.app).post('/v1/calls/start').send({ call_id: 'rl-401', identity_hints: { ani: ANI } }).expect(401);
    await request(t.app).post('/v1/calls/start').set('Authorization', 'Bearer sk_test_wrong').send({ call_id: 'rl-401' }).expect(401);
    expect(await storedEntries(t)).toHaveLength(before);
  });

  it('records a 404 for an unknown ref under its route pattern, and an unknown path as (unmatched)', async () => {
    const ref = randomUUID();
    await client.get(`/v1/customers/${ref}`).expect(404);
    await client.post('/v1/calls/pause', {}).expect(404);
    const entries = await storedEntries(t, client.organisation.id);
    expect(entries.map((e) => [e.method, e.route, e.status, e.error_code])).toEqual([
      ['GET', '/v1/customers/:ref', 404, 'NOT_FOUND'],
      ['POST', '(unmatched)', 404, 'NOT_FOUND'],
    ]);
    expect(JSON.stringify(entries)).not.toContain(ref);
  });

  it('records a 409 conflict and a 413 body too large', async () => {
    await client.post('/v1/calls/start', { call_id: 'rl-409', identity_hints: { ani: '4155550133' } }).expect(200);
    await client.post('/v1/calls/start', { call_id: 'rl-409', identity_hints: { ani: '4155550144' } }).expect(409);
    await client.post('/v1/calls/start', { call_id: 'rl-413', identity_hints: { ani: ANI }, padding: 'x'.repeat(4096) }).expect(413);
    const entries = await storedEntries(t, client.organisation.id);
    expect(entries.map((e) => [e.status, e.error_code])).toEqual([
      [200, null],
      [409, 'CONFLICT'],
      [413, 'PAYLOAD_TOO_LARGE'],
    ]);
  });

  it('records a 429 refused by the organisation’s rate limit', async () => {
    await setLimit(t, client.organisation.id, 'rate_limit_per_minute', 1);
    let status = 200;
    for (let i = 0; i < 10 && status !== 429; i += 1) {
      status = (await client.post('/v1/calls/start', { call_id: `rl-429-${i}`, identity_hints: { ani: ANI } })).status;
    }
    expect(status).toBe(429);
    const last = (await storedEntries(t, client.organisation.id)).at(-1);
    expect(last).toMatchObject({ status: 429, error_code: 'RATE_LIMITED', route: '/v1/calls/start' });
  });

  it('records a 402 refused by the organisation’s monthly quota', async () => {
    await setLimit(t, client.organisation.id, 'monthly_quota', 1);
    await client.post('/v1/calls/start', { call_id: 'rl-402-1', identity_hints: { ani: ANI } }).expect(200);
    await client.post('/v1/calls/start', { call_id: 'rl-402-2', identity_hints: { ani: ANI } }).expect(402);
    const last = (await storedEntries(t, client.organisation.id)).at(-1);
    expect(last).toMatchObject({ status: 402, error_code: 'QUOTA_EXCEEDED', call_id: 'rl-402-2' });
  });

  it('keeps masked bodies only when the organisation turned them on: no number, external id, variable value or token in any row', async () => {
    await setLogBodies(t, client.organisation.id, true);
    const first = await client.post('/v1/calls/start', { call_id: 'rl-body-1', identity_hints: { ani: ANI, external_ids: { crm_id: CRM } } }).expect(200);
    await client.post('/v1/calls/end', { call_id: 'rl-body-1', customer_ref: first.body.customer_ref, variables: { name: VARIABLE_VALUE } }).expect(200);
    const second = await client.post('/v1/calls/start', { call_id: 'rl-body-2', identity_hints: { ani: ANI } }).expect(200);
    expect(JSON.stringify(second.body)).toContain(VARIABLE_VALUE);
    const token = /\/screen-pop\/([^/?"]+)/.exec(JSON.stringify(second.body))?.[1];

    const entries = await storedEntries(t, client.organisation.id);
    expect(entries).toHaveLength(3);
    const stored = JSON.stringify(entries);
    for (const secret of ['4155550177', '5550177', '99887766', VARIABLE_VALUE, client.key, ...(token ? [token] : [])]) expect(stored).not.toContain(secret);
    const [startBody, endBody, againBody] = entries.map((e) => [JSON.parse(e.request_body ?? 'null'), JSON.parse(e.response_body ?? 'null')]);
    expect(startBody[0]).toEqual({ call_id: 'rl-body-1', identity_hints: { ani: '+*********77', external_ids: { crm_id: 'CRM-******66' } } });
    expect(startBody[1]).toMatchObject({ customer_ref: first.body.customer_ref });
    expect(endBody[0]).toMatchObject({ variables: { name: '•••' } });
    expect(againBody[1].variables).toMatchObject({ name: { value: '•••' } });
    expect(token).toBeDefined();

    await setLogBodies(t, client.organisation.id, false);
    await client.post('/v1/calls/start', { call_id: 'rl-body-3', identity_hints: { ani: ANI } }).expect(200);
    const off = (await storedEntries(t, client.organisation.id)).at(-1);
    expect(off).toMatchObject({ call_id: 'rl-body-3', request_body: null, response_body: null });
  });

  it('never keeps a customer export’s answer as a body, even with bodies on', async () => {
    await setLogBodies(t, client.organisation.id, true);
    const start = await client.post('/v1/calls/start', { call_id: 'rl-export', identity_hints: { ani: ANI } }).expect(200);
    await client.get(`/v1/customers/${start.body.customer_ref}`).expect(200);
    const exported = (await storedEntries(t, client.organisation.id)).at(-1);
    expect(exported).toMatchObject({ route: '/v1/customers/:ref', status: 200, response_body: null });
  });
});
