/**
 * Logs that explain a failure: an integrator quoting an X-Request-Id must find why it failed. The access
 * log line names the organisation, key id, environment, the call, the GraphQL operation, the error code
 * and, on a 4xx, where the input was wrong; never the key, a phone number or a value the client sent.
 */
import request from 'supertest';

import { issuePaths, MAX_LOGGED_ISSUES } from '../../src/http/request-log';
import { createLoggedApp, type LoggedApp } from '../support/logged-app';

/**
 * Digits of the numbers these tests send: none may reach a log line. The numbers as sent, and the spaced one
 * in an operation name; not a bare 555, which a latency ("ms":0.635558) or a random request id can hold (a CI
 * run failed on that).
 */
const PHONE_DIGITS = /4155551234|4155550000|415\D{0,2}555\D{0,2}1234/;

describe('the access log line', () => {
  let app: LoggedApp;
  let keyId: string;
  let organisation: string;

  beforeAll(async () => {
    app = await createLoggedApp();
    const seen = await request(app.built.app)
      .post('/graphql')
      .set('Authorization', `Bearer ${app.secret}`)
      .send({ query: '{ viewer { organisation { id } } }' });
    expect(seen.status).toBe(200);
    const line = requestLines().at(-1) ?? {};
    keyId = String(line.keyId);
    organisation = String(line.organisation);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    app.lines.length = 0;
  });

  function requestLines(): Record<string, unknown>[] {
    return app.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
  }

  /** The one request line logged since the test began; asserts that no secret or number reached any line. */
  function theLine(): Record<string, unknown> {
    const text = app.lines.join('');
    expect(text).not.toContain(app.secret);
    expect(text).not.toMatch(PHONE_DIGITS);
    const lines = requestLines();
    expect(lines).toHaveLength(1);
    return lines[0];
  }

  const rest = (path: string) => request(app.built.app).post(path).set('Authorization', `Bearer ${app.secret}`).set('X-Request-Id', 'req-fields');
  const graphql = (body: object) => request(app.built.app).post('/graphql').set('Authorization', `Bearer ${app.secret}`).send(body);

  it('names the organisation, key id and environment of an authenticated request, never the key', async () => {
    expect(keyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(organisation).toMatch(/^[0-9a-f-]{36}$/);
    expect(app.secret).not.toContain(keyId);
    await rest('/v1/calls/start').send({ call_id: 'fields-ok', identity_hints: { ani: '4155551234' } });
    expect(theLine()).toEqual(
      expect.objectContaining({ requestId: 'req-fields', status: 200, organisation, keyId, environment: 'test', callId: 'fields-ok' }),
    );
  });

  it('gives a REST 400 its code, call_id and the paths of the invalid fields, not their values', async () => {
    const answer = await rest('/v1/calls/end').send({
      call_id: 'fields-bad',
      identity_hints: { ani: ['4155551234'] },
      variables: { '4155550000': { value: { nested: '4155550000' } } },
    });
    expect(answer.status).toBe(400);
    const line = theLine();
    expect(line).toEqual(expect.objectContaining({ status: 400, code: 'BAD_USER_INPUT', callId: 'fields-bad', organisation, keyId }));
    expect(line.issues).toEqual(['identity_hints.ani', 'variables.*']);
  });

  it('gives a refused key its code, and no organisation', async () => {
    await request(app.built.app).post('/v1/calls/start').set('Authorization', 'Bearer sk_test_nope').send({ call_id: 'fields-401' });
    const line = theLine();
    expect(line).toEqual(expect.objectContaining({ status: 401, code: 'UNAUTHENTICATED' }));
    expect(line).not.toHaveProperty('organisation');
    expect(line).not.toHaveProperty('keyId');
  });

  it('gives a REST conflict (409) its code and call_id, and no issues', async () => {
    await rest('/v1/calls/start').send({ call_id: 'fields-409', identity_hints: { ani: '4155551234' } });
    app.lines.length = 0;
    await rest('/v1/calls/start').send({ call_id: 'fields-409', identity_hints: { ani: '4155550000' } });
    const line = theLine();
    expect(line).toEqual(expect.objectContaining({ status: 409, code: 'CONFLICT', callId: 'fields-409' }));
    expect(line).not.toHaveProperty('issues');
  });

  it('names a GraphQL operation and the callId passed in its variables', async () => {
    await graphql({
      query: 'mutation StartFromIvr($input: StartCallInput!) { startCall(input: $input) { call { callId } } }',
      operationName: 'StartFromIvr',
      variables: { input: { callId: 'fields-gql', hints: { ani: '4155551234' } } },
    });
    expect(theLine()).toEqual(
      expect.objectContaining({ route: '/graphql', status: 200, operation: 'StartFromIvr', callId: 'fields-gql', organisation, keyId, environment: 'test' }),
    );
  });

  it('names the callId written inline in a GraphQL document, and in a call(callId:) query', async () => {
    await graphql({ query: 'mutation { endCall(input: { callId: "fields-inline", customerRef: "" }) { call { callId } } }' });
    expect(theLine()).toEqual(expect.objectContaining({ callId: 'fields-inline' }));
    app.lines.length = 0;
    await graphql({ query: 'query OneCall { call(callId: "fields-inline") { callId } }' });
    expect(theLine()).toEqual(expect.objectContaining({ operation: 'OneCall', callId: 'fields-inline' }));
  });

  it('gives a GraphQL answer with errors (a 200, as GraphQL answers) its first error code and the issue paths, never the values', async () => {
    await graphql({
      query: 'mutation Remember($ref: ID!, $vars: [VariableInput!]!) { setVariables(customerRef: $ref, variables: $vars) { variablesUpdated } }',
      operationName: 'Remember',
      variables: { ref: '00000000-0000-4000-8000-000000000000', vars: [{ name: 'bad name 4155551234', value: '4155550000' }] },
    });
    const line = theLine();
    expect(line).toEqual(expect.objectContaining({ operation: 'Remember', code: 'BAD_USER_INPUT', organisation }));
    expect(line.issues).toEqual([expect.stringMatching(/^variables\.0\.name$/)]);
  });

  it('gives a GraphQL request without a key its code', async () => {
    await request(app.built.app).post('/graphql').send({ query: '{ viewer { environment } }' });
    expect(theLine()).toEqual(expect.objectContaining({ status: 401, code: 'UNAUTHENTICATED' }));
  });

  it('leaves a GraphQL operation name that is not a GraphQL name out', async () => {
    await graphql({ query: 'query Known { viewer { environment } }', operationName: '+1 415 555 1234' });
    expect(theLine()).not.toHaveProperty('operation');
  });
});

describe('issuePaths', () => {
  it('keeps identifier-shaped keys and indexes, blanks any other key, and lists each path once', () => {
    expect(
      issuePaths([
        { path: ['identity_hints', 'ani'] },
        { path: ['variables', '+14155551234', 'value'] },
        { path: ['variables', 'name with spaces'] },
        { path: ['input', 'hints', 'externalIds', 0, 'key'] },
        { path: ['identity_hints', 'ani'] },
        { path: [] },
      ]),
    ).toEqual(['identity_hints.ani', 'variables.*.value', 'variables.*', 'input.hints.externalIds.0.key', '']);
  });

  it(`lists at most ${MAX_LOGGED_ISSUES} paths`, () => {
    expect(issuePaths(Array.from({ length: 50 }, (_, i) => ({ path: ['variables', `v${i}`] })))).toHaveLength(MAX_LOGGED_ISSUES);
  });
});
