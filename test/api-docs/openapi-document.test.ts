/**
 * The OpenAPI 3.1 document at GET /openapi.json: valid by the official 3.1 schema (a real validator), served
 * without a key and cacheable, and describing what the service does (its examples are accepted, every
 * error code is named). The answers themselves are checked against it in documented-answers.test.ts and
 * by the REST client of every REST contract test (test/support/rest-client.ts).
 */
import { stringify } from 'qs';
import request from 'supertest';

import { ErrorCode, HTTP_STATUS } from '../../src/errors/error-code';
import { contractOf } from '../support/openapi-contract';
import { restClient } from '../support/rest-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

type Document = {
  openapi: string;
  info: { description: string };
  servers: { url: string }[];
  paths: Record<string, { post: { operationId: string; requestBody: { content: Record<string, { examples?: Record<string, { value: unknown }> }> }; responses: Record<string, unknown> } }>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
};

async function officialValidator() {
  const { Validator } = await import('@seriousme/openapi-schema-validator');
  return new Validator();
}

describe('the OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(() => t.close());

  const fetchDocument = async () => (await request(t.app).get('/openapi.json')).body as Document;

  it('is a valid OpenAPI 3.1 document by the official 3.1 JSON schema', async () => {
    const validator = await officialValidator();
    const result = await validator.validate(await fetchDocument());
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');

    // The same validator refuses a broken copy (a response without its description): it really checks.
    const broken = await fetchDocument();
    delete (broken.paths['/v1/calls/start'].post.responses['200'] as { description?: string }).description;
    expect((await (await officialValidator()).validate(broken)).valid).toBe(false);
  });

  it('is served without a key, as JSON, cacheable, and answers 304 to a client that has it', async () => {
    const res = await request(t.app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const again = await request(t.app).get('/openapi.json').set('If-None-Match', res.headers.etag);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('answers other methods with 405 and Allow: GET, HEAD', async () => {
    const res = await request(t.app).post('/openapi.json').send({});
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.body).toEqual({ error: 'Method Not Allowed', message: 'Use GET, HEAD on this route' });
  });

  it('names a server relative to itself without PUBLIC_URL, and PUBLIC_URL with it', async () => {
    expect((await fetchDocument()).servers.map((s) => s.url)).toEqual(['/']);
    const behindProxy = await createTestApp('sqlite', { PUBLIC_URL: 'https://memory.example.com/cm' });
    try {
      const document = (await request(behindProxy.app).get('/openapi.json')).body as Document;
      expect(document.servers.map((s) => s.url)).toEqual(['https://memory.example.com/cm']);
    } finally {
      await behindProxy.close();
    }
  });

  it('describes both routes with their operation ids, JSON and form bodies, the three ways to send a key', async () => {
    const document = await fetchDocument();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(['/v1/calls/start', '/v1/calls/end', '/v1/customers/{ref}']);
    expect(document.paths['/v1/calls/start'].post.operationId).toBe('startCall');
    expect(document.paths['/v1/calls/end'].post.operationId).toBe('endCall');
    const customer = document.paths['/v1/customers/{ref}'] as unknown as Record<'get' | 'delete', { operationId: string; responses: Record<string, unknown> }>;
    expect([customer.get.operationId, customer.delete.operationId]).toEqual(['exportCustomer', 'eraseCustomer']);
    for (const op of [customer.get, customer.delete]) {
      expect(Object.keys(op.responses)).toEqual(['200', '400', '401', '404', '405', '408', '429', '431', '500', '503']);
    }
    for (const route of [document.paths['/v1/calls/start'], document.paths['/v1/calls/end']]) {
      expect(Object.keys(route.post.requestBody.content)).toEqual(['application/json', 'application/x-www-form-urlencoded']);
      expect(Object.keys(route.post.responses)).toEqual(['200', '400', '401', '402', '405', '408', '409', '413', '415', '429', '431', '500', '503']);
    }
    expect(document.components.securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      apiKeyHeader: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }),
      basicAuth: expect.objectContaining({ type: 'http', scheme: 'basic' }),
    });
  });

  it('names every error code with its status', async () => {
    const { description } = (await fetchDocument()).components.schemas.Error as { description: string };
    for (const code of Object.values(ErrorCode)) expect(description).toContain(`| ${HTTP_STATUS[code]} | \`${code}\` |`);
  });

  it('checks answers strictly: an undocumented status, a missing header or an extra field is reported', () => {
    return fetchDocument().then((document) => {
      const contract = contractOf(JSON.stringify(document));
      const headers = { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'r1' };
      const error = { error: 'Conflict', message: 'x' };
      expect(contract.problems('POST', '/v1/calls/start', { status: 409, headers, body: error })).toEqual([]);
      expect(contract.problems('POST', '/v1/calls/start', { status: 404, headers, body: error })).toEqual([
        'POST /v1/calls/start answered 404, which the document does not list',
      ]);
      expect(contract.problems('POST', '/v1/calls/start', { status: 409, headers: { 'content-type': 'application/json' }, body: error })).toEqual([
        'header X-Request-Id is missing',
      ]);
      expect(contract.problems('POST', '/v1/calls/start', { status: 409, headers, body: { ...error, error: 'Bad Request' } })).toHaveLength(1);
      expect(contract.problems('POST', '/v1/calls/end', { status: 409, headers, body: { ...error, code: 'CONFLICT' } })).toHaveLength(1);
      expect(contract.problems('POST', '/v1/calls/start', { status: 401, headers, body: { error: 'Unauthorized', message: 'x' } })).toEqual([
        'header WWW-Authenticate is missing',
      ]);
    });
  });
});

describe.each(ENGINES)('the OpenAPI document’s request examples on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    // A fixed public address: supertest's port changes per request, and with it the screen-pop link's host.
    t = await createTestApp(engine, { PUBLIC_URL: 'https://memory.example.com' });
  });
  afterAll(() => t.close());

  it('are each accepted by the service as shown, JSON and form-encoded', async () => {
    const api = await restClient(t);
    const document = (await request(t.app).get('/openapi.json')).body as Document;
    // The start examples first, so the end examples' calls exist (an end "after start" needs its start).
    for (const path of ['/v1/calls/start', '/v1/calls/end']) {
      const examples = document.paths[path].post.requestBody.content['application/json'].examples ?? {};
      expect(Object.keys(examples).length).toBeGreaterThan(0);
      for (const [name, { value }] of Object.entries(examples)) {
        const res = await api.post(path, value);
        expect([name, res.status]).toEqual([name, 200]);
        // The same fields form-encoded with bracket keys are the same request: a retry, replayed.
        const form = await api.post(path, stringify(value), 'application/x-www-form-urlencoded');
        expect([name, form.status, form.body]).toEqual([name, 200, res.body]);
      }
    }
  });
});
