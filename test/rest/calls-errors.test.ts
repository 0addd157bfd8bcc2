/** Every 4xx of the REST shim with its exact body (contract §7), and that a 4xx changes nothing. */
import request from 'supertest';

import { Call } from '../../src/calls/call.entity';
import { Customer } from '../../src/customers/customer.entity';
import { restClient, type RestClient } from '../support/rest-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const bad = (...issues: { path: (string | number)[]; message: string }[]) => ({
  error: 'Bad Request',
  message: 'Validation failed',
  details: { issues },
});

describe.each(ENGINES)('REST calls errors on %s', (engine) => {
  let t: TestApp;
  let api: RestClient;

  beforeAll(async () => {
    t = await createTestApp(engine, { BODY_LIMIT_BYTES: '4096', MAX_VARIABLES_PER_REQUEST: '3' });
    api = await restClient(t);
  });
  afterAll(() => t.close());

  const rowCounts = async () => {
    const em = t.orm.em.fork();
    return { calls: await em.count(Call, {}, { filters: false }), customers: await em.count(Customer, {}, { filters: false }) };
  };

  it.each([
    ['a missing call_id', '/v1/calls/start', { identity_hints: { ani: '4155551234' } }, bad({ path: ['call_id'], message: "Required field 'call_id' is missing" })],
    ['no usable hint', '/v1/calls/start', { call_id: 'x1', identity_hints: { ani: '  ', customer_ref: '{{customer_ref}}' } }, bad({ path: ['identity_hints'], message: 'identity_hints must include ani, external_ids, or customer_ref' })],
    [
      'a missing call_id and no hint, both listed',
      '/v1/calls/start',
      {},
      bad({ path: ['call_id'], message: "Required field 'call_id' is missing" }, { path: ['identity_hints'], message: 'identity_hints must include ani, external_ids, or customer_ref' }),
    ],
    ['a call_id of 257 characters', '/v1/calls/start', { call_id: 'c'.repeat(257), ani: '4155551234' }, bad({ path: ['call_id'], message: 'call_id must be 1-256 characters' })],
    ['a bad intent_status', '/v1/calls/end', { call_id: 'x2', customer_ref: '', intent: 'a', intent_status: 'closed' }, bad({ path: ['intent_status'], message: 'intent_status must be one of open, resolved, abandoned' })],
    [
      'an array variable',
      '/v1/calls/end',
      { call_id: 'x3', variables: { tags: ['a', 'b'] } },
      bad({ path: ['variables', 'tags'], message: 'variable values must be a string, number, boolean, null or {"value", "ttl_seconds", "source"}' }),
    ],
    ['a bad variable name', '/v1/calls/end', { call_id: 'x4', variables: { 'first name': 'Jo' } }, bad({ path: ['variables', 'first name'], message: 'variable names are 1-64 characters of A-Z a-z 0-9 _ . -' })],
    [
      'more than 20 external ids',
      '/v1/calls/start',
      { call_id: 'x5', identity_hints: { external_ids: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`id_${i}`, `v${i}`])) } },
      bad({ path: ['identity_hints', 'external_ids'], message: 'at most 20 external_ids per request' }),
    ],
    ['an unknown call_id with neither customer_ref nor hints', '/v1/calls/end', { call_id: 'never-started' }, bad({ path: ['call_id'], message: 'Unknown call_id: send customer_ref or identity_hints to record a call that was not started' })],
  ])('answers 400 for %s, writing nothing', async (_case, path, body, expected) => {
    const before = await rowCounts();
    const res = await api.post(path, body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(expected);
    expect(await rowCounts()).toEqual(before);
  });

  it('answers 400 for too many variables, writing nothing', async () => {
    const before = await rowCounts();
    const res = await api.post('/v1/calls/end', { call_id: 'x5', ani: '4155559999', variables: { a: 1, b: 2, c: 3, d: 4 } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(bad({ path: ['variables'], message: 'at most 3 variables per request (got 4)' }));
    expect(await rowCounts()).toEqual(before);
  });

  it('answers 400 for malformed JSON', async () => {
    const res = await api.post('/v1/calls/start', '{"call_id": "x6", "ani": ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Bad Request', message: 'Malformed JSON body', details: { issues: [{ path: [], message: 'The body is not valid JSON' }] } });
  });

  it('answers 413 for a body over the limit', async () => {
    const res = await api.post('/v1/calls/start', { call_id: 'x7', ani: '4155551234', pad: 'x'.repeat(5000) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: 'Payload Too Large', message: 'Request body exceeds the limit of 4096 bytes' });
  });

  it('answers 401 without a key and 404 for an unknown route', async () => {
    const anonymous = await request(t.app).post('/v1/calls/start').send({ call_id: 'x8', ani: '4155551234' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ error: 'Unauthorized', message: 'Missing API key: send Authorization: Bearer <key>' });
    const unknown = await api.post('/v1/calls/pause', { call_id: 'x9' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: 'Not Found', message: 'No route for POST /v1/calls/pause' });
  });

  it.each(['get', 'put', 'delete'] as const)('answers 405 with Allow: POST to %s', async (method) => {
    const res = await request(t.app)[method]('/v1/calls/start').set('Authorization', `Bearer ${api.key}`);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.body).toEqual({ error: 'Method Not Allowed', message: 'Use POST on this route' });
  });
});
