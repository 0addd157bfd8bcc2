/**
 * Variable names that are also names of Object.prototype's members (`__proto__`, `constructor`,
 * `toString`) match the name rule, so they are stored and returned like any other (issue 9, item 8):
 * never dropped by an object built from client keys.
 */
import { START_CALL } from '../support/call-operations';
import { graphqlClient } from '../support/graphql-client';
import { restClient } from '../support/rest-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const NAMES = ['__proto__', 'constructor', 'toString'];

describe.each(ENGINES)('variable names like __proto__ on %s', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    // A fixed base: supertest sends each request from a new port, and links are built from the Host header.
    t = await createTestApp(engine, { PUBLIC_URL: 'https://memory.example.com' });
  });
  afterAll(() => t.close());

  it('stores __proto__, constructor and toString sent to /v1/calls/end as JSON and returns them as own properties from start', async () => {
    const api = await restClient(t);
    const started = await api.post('/v1/calls/start', { call_id: 'proto_rest_1', identity_hints: { ani: '+14155550101' } });
    const ref = started.body.customer_ref;
    const body = '{"call_id":"proto_rest_1","customer_ref":"' + ref + '","variables":{"__proto__":"p","constructor":"c","toString":"t","plain":"x"}}';
    const ended = await api.post('/v1/calls/end', body);
    expect([ended.status, ended.body.variables_updated]).toEqual([200, 4]);

    const again = await api.post('/v1/calls/start', { call_id: 'proto_rest_2', identity_hints: { customer_ref: ref } });
    expect(again.status).toBe(200);
    const raw = JSON.parse(again.text) as { variables: Record<string, { value: string }> };
    expect(Object.keys(raw.variables).sort()).toEqual([...NAMES, 'plain'].sort());
    for (const [name, value] of [['__proto__', 'p'], ['constructor', 'c'], ['toString', 't']]) {
      expect(Object.getOwnPropertyDescriptor(raw.variables, name)?.value).toEqual({ value, source: null, ttl_seconds: 2_592_000 });
    }
    // The replayed answer (rebuilt from the stored snapshot) carries them too.
    const replayed = await api.post('/v1/calls/start', { call_id: 'proto_rest_2', identity_hints: { customer_ref: ref } });
    expect(replayed.text).toBe(again.text);
  });

  it('matches an external id whose key is __proto__ on the next call', async () => {
    const api = await restClient(t);
    const hints = '{"external_ids":{"__proto__":"P-1"}}';
    const first = await api.post('/v1/calls/start', `{"call_id":"proto_ext_1","identity_hints":${hints}}`);
    expect(first.status).toBe(200);
    const second = await api.post('/v1/calls/start', `{"call_id":"proto_ext_2","identity_hints":${hints}}`);
    expect([second.status, second.body.customer_ref, second.body.identity.sources]).toEqual([200, first.body.customer_ref, ['external_id', 'recency:1day']]);
  });

  it('stores __proto__, constructor and toString sent to /v1/calls/end as a form', async () => {
    const api = await restClient(t);
    const started = await api.post('/v1/calls/start', { call_id: 'proto_form_1', identity_hints: { ani: '+14155550102' } });
    const ref = started.body.customer_ref;
    const form = `call_id=proto_form_1&customer_ref=${ref}&variables[__proto__]=p&variables[constructor]=c&variables.toString=t`;
    const ended = await api.post('/v1/calls/end', form, 'application/x-www-form-urlencoded');
    expect([ended.status, ended.body.variables_updated]).toEqual([200, 3]);

    const again = await api.post('/v1/calls/start', { call_id: 'proto_form_2', identity_hints: { customer_ref: ref } });
    const raw = JSON.parse(again.text) as { variables: Record<string, unknown> };
    expect(Object.keys(raw.variables).sort()).toEqual([...NAMES].sort());
  });

  it('stores __proto__, constructor and toString written through GraphQL endCall and setVariables', async () => {
    const gql = await graphqlClient(t);
    const ref = (await gql.data(START_CALL, { input: { callId: 'proto_gql_1', hints: { ani: '+14155550103' } } })).startCall.customer.ref;
    const variables = NAMES.map((name) => ({ name, value: `end ${name}` }));
    const ended = await gql.data('mutation($input: EndCallInput!) { endCall(input: $input) { variablesUpdated } }', {
      input: { callId: 'proto_gql_1', customerRef: ref, variables },
    });
    expect(ended.endCall.variablesUpdated).toBe(3);
    let again = await gql.data(START_CALL, { input: { callId: 'proto_gql_2', hints: { customerRef: ref } } });
    expect(again.startCall.variables.map((v: { name: string; value: string }) => [v.name, v.value]).sort()).toEqual(NAMES.map((n) => [n, `end ${n}`]).sort());

    const set = await gql.data('mutation($ref: ID!, $vars: [VariableInput!]!) { setVariables(customerRef: $ref, variables: $vars) { variablesUpdated } }', {
      ref,
      vars: NAMES.map((name) => ({ name, value: `set ${name}` })),
    });
    expect(set.setVariables.variablesUpdated).toBe(3);
    again = await gql.data(START_CALL, { input: { callId: 'proto_gql_3', hints: { customerRef: ref } } });
    expect(again.startCall.variables.map((v: { name: string; value: string }) => [v.name, v.value]).sort()).toEqual(NAMES.map((n) => [n, `set ${n}`]).sort());
  });
});
