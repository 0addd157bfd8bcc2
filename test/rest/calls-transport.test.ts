/** What platforms really send (contract §1, §2): forms, mislabelled JSON, aliases, placeholders, withheld numbers. */
import { restClient, type RestClient } from '../support/rest-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

describe.each(ENGINES)('REST calls transport tolerance on %s', (engine) => {
  let t: TestApp;
  let api: RestClient;
  let known: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    api = await restClient(t);
    const first = await api.post('/v1/calls/start', { call_id: 'seed', identity_hints: { ani: '+16175551212', external_ids: { crm_id: 'C-9' } } });
    known = first.body.customer_ref;
  });
  afterAll(() => t.close());

  it.each([
    ['form-encoded with bracket keys', 'call_id=f1&identity_hints[ani]=%2B16175551212', 'application/x-www-form-urlencoded'],
    ['form-encoded with dot keys', 'call_id=f2&identity_hints.external_ids.crm_id=C-9', 'application/x-www-form-urlencoded'],
    ['form-encoded with an unescaped + that decoded to a space', 'call_id=f3&ani=+16175551212', 'application/x-www-form-urlencoded'],
    ['JSON labelled as a form (NICE CXone)', '{"call_id":"f4","identity_hints":{"ani":"6175551212"}}', 'application/x-www-form-urlencoded'],
    ['JSON sent as text/plain', '{"call_id":"f5","ani":"(617) 555-1212"}', 'text/plain'],
    ['top-level aliases (LLM agents)', '{"call_id":"f6","external_ids":{"crm_id":"C-9"},"customer_ref":null}', 'application/json'],
  ])('recognises the caller from %s', async (_case, body, contentType) => {
    const res = await api.post('/v1/calls/start', body, contentType);
    expect(res.status).toBe(200);
    expect(res.body.customer_ref).toBe(known);
  });

  it.each(['', '   ', 'null', 'undefined', '$(call.ani)', '{{caller_phone}}', '@Call.ANI@'])(
    'treats the ANI %j as absent, never matching on it',
    async (ani) => {
      const res = await api.post('/v1/calls/start', { call_id: `absent-${ani}`, identity_hints: { ani, external_ids: { crm_id: 'C-9' } } });
      expect(res.status).toBe(200);
      expect(res.body.customer_ref).toBe(known);
      expect(res.body.identity.sources).toEqual(['external_id', 'recency:1day']);
    },
  );

  it.each(['anonymous', 'restricted', 'private', 'unavailable', 'unknown', '0000000000', '12'])(
    'answers 200 with a new provisional customer at confidence 0 for the withheld ANI %j',
    async (ani) => {
      const res = await api.post('/v1/calls/start', { call_id: `withheld-${ani}`, identity_hints: { ani } });
      expect(res.status).toBe(200);
      expect(res.body.customer_ref).not.toBe(known);
      expect(res.body.identity).toEqual({ confidence: 0, level: 'low', sources: [], recommendation: 'ignore' });
    },
  );

  it('ignores unknown fields and per-call ids', async () => {
    const res = await api.post('/v1/calls/start', {
      call_id: 'extra-1',
      identity_hints: { ani: '6175551212', external_ids: { five9_call_id: '300000000001' }, favourite_colour: 'blue' },
      campaign: 'spring',
    });
    expect(res.status).toBe(200);
    expect(res.body.customer_ref).toBe(known);
  });

  it('takes intent_is_open and variables in every documented form', async () => {
    const start = await api.post('/v1/calls/start', { call_id: 'vars-1', ani: '6175551212' });
    const end = await api.post(
      '/v1/calls/end',
      'call_id=vars-1&intent=Billing+Dispute&intent_is_open=false&variables[tier]=gold&variables[visits]=3&variables[vip]=true&variables[note][value]=call+back&variables[note][ttl_seconds]=86400&variables[note][source]=crm',
      'application/x-www-form-urlencoded',
    );
    expect(end.status).toBe(200);
    expect(end.body).toMatchObject({ customer_ref: start.body.customer_ref, intents_updated: 1, variables_updated: 4 });

    const next = await api.post('/v1/calls/start', { call_id: 'vars-2', ani: '6175551212' });
    expect(next.body.variables).toMatchObject({
      tier: { value: 'gold', source: null, ttl_seconds: 2592000 },
      visits: { value: '3', source: null },
      vip: { value: 'true', source: null },
      note: { value: 'call back', source: 'crm', ttl_seconds: 86400 },
    });
    expect(next.body.flat.last_intent).toBe('billing_dispute');
    expect(next.body.flat.last_intent_status).toBe('resolved');

    const cleared = await api.post('/v1/calls/end', { call_id: 'vars-2', variables: { tier: null } });
    expect(cleared.body.variables_updated).toBe(1);
    const after = await api.post('/v1/calls/start', { call_id: 'vars-3', ani: '6175551212' });
    expect(after.body.variables.tier).toBeUndefined();
  });

  it('treats empty or unsubstituted intent_status, intent_is_open and variable values as not sent', async () => {
    await api.post('/v1/calls/start', { call_id: 'blank-1', ani: '6175551212' });
    const end = await api.post(
      '/v1/calls/end',
      'call_id=blank-1&customer_ref=&intent=Order+Status&intent_status=&intent_is_open=%40Call.open%40&variables[tier]=&variables[notes]=%40Call.notes%40&variables[json]=%7B%22a%22%3A1%7D',
      'application/x-www-form-urlencoded',
    );
    expect(end.status).toBe(200);
    expect(end.body).toMatchObject({ intents_updated: 1, variables_updated: 1 });
    const next = await api.post('/v1/calls/start', { call_id: 'blank-2', ani: '6175551212' });
    expect(next.body.open_intents).toContainEqual({ intent: 'order_status', status: 'open', attempt_count: 1 });
    expect(next.body.variables.json).toEqual({ value: '{"a":1}', source: null, ttl_seconds: 2592000 });
    expect(next.body.variables.notes).toBeUndefined();
  });

  it('refuses a call_id the IVR left as a placeholder, so callers never share a call', async () => {
    const res = await api.post('/v1/calls/start', { call_id: '@Call.call_id@', ani: '6175551212' });
    expect(res.status).toBe(400);
    expect(res.body.details.issues).toEqual([{ path: ['call_id'], message: 'call_id is an unsubstituted placeholder' }]);
  });
});
