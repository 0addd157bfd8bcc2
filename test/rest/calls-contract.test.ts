/** Contract tests for /v1/calls/start and /v1/calls/end: exact bodies and status codes (contract §2-§4). */
import request from 'supertest';

import { ManualClock } from '../../src/shared/clock';
import { restClient, type RestClient } from '../support/rest-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const T0 = '2026-02-07T10:30:00.000Z';
const PUBLIC_URL = 'https://memory.example.com';
/** A signed screen-pop link under PUBLIC_URL (contract §8): 120 base64url characters of token. */
const SCREEN_POP_LINK = /^https:\/\/memory\.example\.com\/screen-pop\/[A-Za-z0-9_-]{120}$/;

function emptyFlat(ref: string, callCount = 1) {
  return {
    customer_ref: ref,
    confidence: 0,
    level: 'low',
    recommendation: 'ignore',
    is_returning: 'false',
    customer_name: '',
    open_intent: '',
    open_intents: '',
    open_intent_count: 0,
    attempt_count: 0,
    last_call_at: '',
    last_intent: '',
    last_intent_status: '',
    call_count: callCount,
    context: 'First call.',
    screen_pop_url: expect.stringMatching(SCREEN_POP_LINK),
  };
}

describe.each(ENGINES)('REST calls contract on %s', (engine) => {
  let t: TestApp;
  let api: RestClient;
  const clock = new ManualClock(new Date(T0));

  beforeAll(async () => {
    t = await createTestApp(engine, { PUBLIC_URL }, clock);
  });
  beforeEach(async () => {
    api = await restClient(t);
    clock.set(new Date(T0));
  });
  afterAll(() => t.close());

  it('answers a first call with a new customer ref and nothing remembered', async () => {
    const res = await api.post('/v1/calls/start', { call_id: 'call_001', identity_hints: { ani: '4155551234' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const ref = res.body.customer_ref;
    expect(ref).toMatch(UUID);
    expect(res.body).toEqual({
      call_id: 'call_001',
      customer_ref: ref,
      call_start: T0,
      identity: { confidence: 0, level: 'low', sources: [], recommendation: 'ignore' },
      open_intents: [],
      variables: {},
      flat: emptyFlat(ref),
    });
    expect(Object.keys(res.body)).toEqual(['call_id', 'customer_ref', 'call_start', 'identity', 'open_intents', 'variables', 'flat']);
    // The link is real: its path opens the agent's page for this call, with no API key.
    const page = await request(t.app).get(new URL(res.body.flat.screen_pop_url).pathname);
    expect(page.status).toBe(200);
    expect(page.text).toContain('New caller');
  });

  it('runs the Five9 seed flow: new caller, end with a resolved intent and variables, then recognised', async () => {
    const first = await api.post('/v1/calls/start', { call_id: 'five9-1', identity_hints: { ani: '4155551234' } });
    const ref = first.body.customer_ref;

    clock.advance(15_000);
    const end = await api.post('/v1/calls/end', {
      call_id: 'five9-1',
      customer_ref: ref,
      intent: 'Refund Request',
      intent_status: 'resolved',
      variables: { name: 'John Doe', agent: 'agent_042' },
    });
    expect(end.status).toBe(200);
    expect(end.body).toEqual({
      call_id: 'five9-1',
      customer_ref: ref,
      call_start: T0,
      call_end: '2026-02-07T10:30:15.000Z',
      duration_seconds: 15,
      intents_updated: 1,
      variables_updated: 2,
    });

    clock.advance(60_000);
    const second = await api.post('/v1/calls/start', { call_id: 'five9-2', identity_hints: { ani: '+1 (415) 555-1234' } });
    expect(second.status).toBe(200);
    expect(second.body).toEqual({
      call_id: 'five9-2',
      customer_ref: ref,
      call_start: '2026-02-07T10:31:15.000Z',
      identity: { confidence: 0.4, level: 'low', sources: ['ani:unknown', 'recency:1day'], recommendation: 'confirm' },
      open_intents: [],
      variables: {
        agent: { value: 'agent_042', source: null, ttl_seconds: 2592000 },
        name: { value: 'John Doe', source: null, ttl_seconds: 2592000 },
      },
      flat: {
        customer_ref: ref,
        confidence: 0.4,
        level: 'low',
        recommendation: 'confirm',
        is_returning: 'true',
        customer_name: 'John Doe',
        open_intent: '',
        open_intents: '',
        open_intent_count: 0,
        attempt_count: 0,
        last_call_at: T0,
        last_intent: 'refund_request',
        last_intent_status: 'resolved',
        call_count: 2,
        context: 'Last called today (2026-02-07) about refund_request (resolved).',
        screen_pop_url: expect.stringMatching(SCREEN_POP_LINK),
      },
    });
  });

  it('scores mobile ANI + CRM id + recency 0.95 and lists open intents with attempts', async () => {
    const hints = { ani: '+16175550100', external_ids: { crm_id: 'C-1001' } };
    const first = await api.post('/v1/calls/start', { call_id: 'm-1', identity_hints: hints, telco: { line_type: 'mobile' } });
    const ref = first.body.customer_ref;
    await api.post('/v1/calls/end', { call_id: 'm-1', customer_ref: ref, intent: 'refund_request', variables: { last_summary: 'Wants refund for order 77' } });
    clock.advance(3_600_000);
    await api.post('/v1/calls/start', { call_id: 'm-2', identity_hints: hints, telco: { line_type: 'mobile' } });
    await api.post('/v1/calls/end', { call_id: 'm-2', customer_ref: ref, intent: 'Refund Request', intent_is_open: true });
    clock.advance(3_600_000);

    const res = await api.post('/v1/calls/start', { call_id: 'm-3', identity_hints: hints, telco: { line_type: 'mobile' } });

    expect(res.body.identity).toEqual({ confidence: 0.95, level: 'very_high', sources: ['ani:mobile', 'external_id', 'recency:1day'], recommendation: 'reuse' });
    expect(res.body.open_intents).toEqual([{ intent: 'refund_request', status: 'open', attempt_count: 2 }]);
    expect(res.body.flat).toMatchObject({
      open_intent: 'refund_request',
      open_intents: 'refund_request',
      open_intent_count: 1,
      attempt_count: 2,
      call_count: 3,
      last_call_at: '2026-02-07T11:30:00.000Z',
      context: 'Last called today (2026-02-07) about refund_request (open). Notes: Wants refund for order 77',
    });
  });

  it('answers ?format=flat with the flat block alone, every value a string', async () => {
    const res = await api.post('/v1/calls/start?format=flat', { call_id: 'flat-1', identity_hints: { ani: '4155550111' } });
    expect(res.status).toBe(200);
    const ref = res.body.customer_ref;
    const { screen_pop_url: link, ...rest } = emptyFlat(ref);
    expect(res.body).toEqual({ ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, String(v)])), screen_pop_url: link });
  });

  it('replays a retried start and a retried end exactly', async () => {
    const body = { call_id: 'retry-1', identity_hints: { ani: '4155550122' } };
    const first = await api.post('/v1/calls/start', body);
    clock.advance(2_000);
    const again = await api.post('/v1/calls/start', body);
    expect(again.status).toBe(200);
    // Byte for byte, the signed screen-pop link included: its expiry counts from the call's start.
    expect(again.body).toEqual(first.body);
    expect(again.body.flat.screen_pop_url).toMatch(SCREEN_POP_LINK);

    const endBody = { call_id: 'retry-1', customer_ref: first.body.customer_ref, intent: 'billing' };
    const ended = await api.post('/v1/calls/end', endBody);
    clock.advance(5_000);
    const endedAgain = await api.post('/v1/calls/end', endBody);
    expect(endedAgain.status).toBe(200);
    expect(endedAgain.body).toEqual(ended.body);
  });

  it('answers 409 for a reused call_id with other hints, a different end, and a contradicting customer_ref', async () => {
    const first = await api.post('/v1/calls/start', { call_id: 'c409', identity_hints: { ani: '4155550133' } });
    const other = await api.post('/v1/calls/start', { call_id: 'c409', identity_hints: { ani: '4155550144' } });
    expect(other.status).toBe(409);
    expect(other.body).toEqual({ error: 'Conflict', message: "call_id 'c409' was already started with different identity hints" });

    const stranger = await api.post('/v1/calls/start', { call_id: 'c409-b', identity_hints: { ani: '4155550155' } });
    const wrongRef = await api.post('/v1/calls/end', { call_id: 'c409', customer_ref: stranger.body.customer_ref });
    expect(wrongRef.status).toBe(409);
    expect(wrongRef.body).toEqual({ error: 'Conflict', message: "customer_ref does not match the customer of call_id 'c409'" });

    await api.post('/v1/calls/end', { call_id: 'c409', customer_ref: first.body.customer_ref, intent: 'a' });
    const different = await api.post('/v1/calls/end', { call_id: 'c409', customer_ref: first.body.customer_ref, intent: 'b' });
    expect(different.status).toBe(409);
    expect(different.body).toEqual({ error: 'Conflict', message: "call_id 'c409' was already ended with a different body" });
  });

  it('records a standalone end (no start) with call_start = call_end = now, and accepts Five9’s empty customer_ref', async () => {
    const res = await api.post('/v1/calls/end', { call_id: 'lone-1', identity_hints: { ani: '4155550166' }, variables: { vip: true } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      call_id: 'lone-1',
      customer_ref: res.body.customer_ref,
      call_start: T0,
      call_end: T0,
      duration_seconds: 0,
      intents_updated: 0,
      variables_updated: 1,
    });
    await api.post('/v1/calls/start', { call_id: 'five9-empty', identity_hints: { ani: '4155550177' } });
    const empty = await api.post('/v1/calls/end', { call_id: 'five9-empty', customer_ref: '' });
    expect(empty.status).toBe(200);
  });
});
