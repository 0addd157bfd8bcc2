/**
 * Every status /openapi.json lists for the call routes, provoked with real requests and checked against
 * the document: the body against that status's schema, the headers it marks required (X-Request-Id,
 * WWW-Authenticate, Allow, Retry-After). The REST contract tests check every answer they receive the same
 * way (test/support/rest-client.ts); this file makes sure each documented status is actually seen.
 */
import type { PostgreSqlConnection } from '@mikro-orm/postgresql';
import request from 'supertest';

import { endAnswer, flatAnswer, startAnswer } from '../../src/calls/calls.answers';
import type { DatabaseConfig } from '../../src/config';
import { DEFAULT_HTTP_LIMITS, createHttpServer, type HttpServer } from '../../src/http/server';
import { notDraining } from '../../src/http/drain-state';
import { contractOf, type OpenApiContract, type RecordedAnswer } from '../support/openapi-contract';
import { openConnection, parseResponse, within } from '../support/raw-http';
import { restClient, type RestClient } from '../support/rest-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, createTestAppOn, type TestApp } from '../support/test-app';

type PostgresConfig = Extract<DatabaseConfig, { engine: 'postgresql' }>;

const START = '/v1/calls/start';
const END = '/v1/calls/end';

/** The answer of a raw HTTP exchange as the contract reads it. */
function rawAnswer(text: string): RecordedAnswer {
  const answer = parseResponse(text);
  return { status: answer.status, headers: answer.headers, body: JSON.parse(answer.body) as unknown, text: answer.body };
}

async function contractFor(t: TestApp): Promise<OpenApiContract> {
  return contractOf((await request(t.app).get('/openapi.json')).text);
}

describe.each(ENGINES)('documented answers on %s', (engine) => {
  let t: TestApp;
  let api: RestClient;
  let contract: OpenApiContract;
  const seen = new Set<number>();

  /** Checks the answer against the document and records its status as seen. */
  function documented(path: string, res: RecordedAnswer, status: number): RecordedAnswer {
    expect(res.status).toBe(status);
    contract.check('POST', path, res);
    seen.add(res.status);
    return res;
  }

  beforeAll(async () => {
    t = await createTestApp(engine, { BODY_LIMIT_BYTES: '4096', PUBLIC_URL: 'https://memory.example.com' });
    api = await restClient(t);
    contract = await contractFor(t);
  });
  afterAll(() => t.close());

  it('200: a new caller, the end of the call, then the caller returning (full and flat)', async () => {
    const first = documented(START, await api.post(START, { call_id: 'doc-1', identity_hints: { ani: '4155550170' } }), 200);
    expect(contract.validator('/components/schemas/StartAnswer')(first.body)).toBe(true);
    // The zod schemas the presenter's types come from accept the real answers too (strict objects).
    expect(startAnswer.safeParse(first.body).error).toBeUndefined();

    const end = documented(END, await api.post(END, { call_id: 'doc-1', customer_ref: '', intent: 'Refund Request', variables: { name: 'Ada' } }), 200);
    expect(contract.validator('/components/schemas/EndAnswer')(end.body)).toBe(true);
    expect(endAnswer.safeParse(end.body).error).toBeUndefined();

    const again = documented(START, await api.post(START, { call_id: 'doc-2', identity_hints: { ani: '4155550170' } }), 200);
    expect(again.body).toMatchObject({ open_intents: [{ intent: 'refund_request' }], flat: { is_returning: 'true', customer_name: 'Ada' } });

    const flat = documented(`${START}?format=flat`, await api.post(`${START}?format=flat`, { call_id: 'doc-3', ani: '4155550170' }), 200);
    // The flat answer is the flat schema's, every value a string, and not the full answer's.
    expect(contract.validator('/components/schemas/FlatStartAnswer')(flat.body)).toBe(true);
    expect(contract.validator('/components/schemas/StartAnswer')(flat.body)).toBe(false);
    expect(flatAnswer.safeParse(flat.body).error).toBeUndefined();
    expect(startAnswer.safeParse(again.body).error).toBeUndefined();
    expect(Object.values(flat.body as object).every((v) => typeof v === 'string')).toBe(true);

    const standalone = documented(END, await api.post(END, { call_id: 'doc-4', identity_hints: { ani: '4155550171' } }), 200);
    expect(standalone.body).toMatchObject({ duration_seconds: 0 });
  });

  it('200: a form-encoded start and end', async () => {
    documented(START, await api.post(START, 'call_id=doc-form&identity_hints[ani]=4155550172', 'application/x-www-form-urlencoded'), 200);
    documented(END, await api.post(END, 'call_id=doc-form&intent=billing&intent_is_open=true', 'application/x-www-form-urlencoded'), 200);
  });

  it('400: a validation failure listing its issues, and a body that is not JSON', async () => {
    const invalid = documented(END, await api.post(END, { intent_status: 'closed' }), 400);
    expect(invalid.body).toMatchObject({ error: 'Bad Request', details: { issues: [{ path: ['call_id'] }, { path: ['intent_status'] }] } });
    documented(START, await api.post(START, '{"call_id": '), 400);
  });

  it('401: no key, with both challenges', async () => {
    for (const path of [START, END]) {
      const res = documented(path, await request(t.app).post(path).send({ call_id: 'doc-401' }), 401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="caller-memory", Basic realm="caller-memory", charset="UTF-8"');
    }
  });

  it('405: another method, with Allow: POST', async () => {
    for (const path of [START, END]) {
      const res = await request(t.app).get(path).set('Authorization', `Bearer ${api.key}`);
      expect(res.status).toBe(405);
      // The document describes POST; the 405 is its answer to every other method.
      contract.check('POST', path, res);
      seen.add(405);
    }
  });

  it('409: a retried start with other hints, a second end with another body', async () => {
    await api.post(START, { call_id: 'doc-409', ani: '4155550173' });
    documented(START, await api.post(START, { call_id: 'doc-409', ani: '4155550174' }), 409);
    await api.post(END, { call_id: 'doc-409', intent: 'a' });
    documented(END, await api.post(END, { call_id: 'doc-409', intent: 'b' }), 409);
  });

  it('402: a start and an end once the organisation’s monthly quota is used up', async () => {
    await api.post(START, { call_id: 'doc-402', ani: '4155550176' });
    const connection = t.orm.em.getConnection();
    const [{ organisation_id: organisationId }] = (await connection.execute("select organisation_id from calls where call_id = 'doc-402'")) as { organisation_id: string }[];
    await connection.execute('update organisations set monthly_quota = 1 where id = ?', [organisationId]);
    t.services.limits.forget(organisationId);
    try {
      documented(START, await api.post(START, { call_id: 'doc-402-more', ani: '4155550177' }), 402);
      documented(END, await api.post(END, { call_id: 'doc-402', intent: 'a' }), 402);
    } finally {
      await connection.execute('update organisations set monthly_quota = null where id = ?', [organisationId]);
      t.services.limits.forget(organisationId);
    }
  });

  it('413: a body over the limit', async () => {
    documented(START, await api.post(START, { call_id: 'doc-413', ani: '4155550175', pad: 'x'.repeat(5000) }), 413);
  });

  it('415: a Content-Encoding or charset the service does not read', async () => {
    const encoded = await request(t.app)
      .post(START)
      .set('Authorization', `Bearer ${api.key}`)
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'compress')
      .send('{}');
    documented(START, encoded, 415);
    documented(END, await api.post(END, '{"call_id":"doc-415"}', 'application/json; charset=klingon'), 415);
  });

  afterAll(() => {
    // Each engine's share of the statuses; the connection-level ones are below.
    expect([...seen].sort()).toEqual([200, 400, 401, 402, 405, 409, 413, 415]);
  });
});

describe('documented answers the connection or the process gives (SQLite; 503 on PostgreSQL)', () => {
  let contract: OpenApiContract;

  it('429: too many failed authentications, with Retry-After', async () => {
    const t = await createTestApp('sqlite', { AUTH_FAILURE_LIMIT: '2' });
    try {
      contract = await contractFor(t);
      for (let i = 0; i < 2; i += 1) await request(t.app).post(START).set('Authorization', 'Bearer sk_test_nope').send({});
      const res = await request(t.app).post(START).set('Authorization', 'Bearer sk_test_nope').send({});
      expect(res.status).toBe(429);
      contract.check('POST', START, res);
    } finally {
      await t.close();
    }
  });

  it('500: a failure inside the service, masked to the request id', async () => {
    const t = await createTestApp('sqlite');
    const api = await restClient(t);
    contract = await contractFor(t);
    try {
      // The calls table goes away under the running service: the next start cannot be recorded.
      await t.orm.em.getConnection().execute('alter table calls rename to calls_gone');
      const res = await request(t.app).post(START).set('Authorization', `Bearer ${api.key}`).send({ call_id: 'doc-500', ani: '4155550176' });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: 'Internal Server Error', message: `Internal error; quote request id ${res.headers['x-request-id']} to support` });
      contract.check('POST', START, res);
    } finally {
      await t.close();
    }
  });

  it('503: no free database connection in time, with Retry-After (PostgreSQL)', async () => {
    const t = await createTestApp('postgresql');
    // Another instance on the same database with one connection, held here: the start finds none in time.
    const small = await createTestAppOn({ ...(t.database as PostgresConfig), poolSize: 1, connectTimeoutMs: 200 });
    try {
      const api = await restClient(small);
      contract = await contractFor(small);
      const pool = await (small.orm.em.getConnection() as PostgreSqlConnection).getNativeClient();
      const held = await pool.connect();
      try {
        const res = await request(small.app).post(START).set('Authorization', `Bearer ${api.key}`).send({ call_id: 'doc-503', ani: '4155550177' });
        expect([res.status, res.body.error]).toEqual([503, 'Service Unavailable']);
        contract.check('POST', START, res);
      } finally {
        held.release();
      }
    } finally {
      await small.close();
      await t.close();
    }
  });

  describe('over a listening server', () => {
    let t: TestApp;
    let http: HttpServer;
    let port: number;
    let key: string;
    beforeAll(async () => {
      t = await createTestApp('sqlite');
      key = (await restClient(t)).key;
      contract = await contractFor(t);
      http = createHttpServer(t.app, { ...DEFAULT_HTTP_LIMITS, headersTimeoutMs: 1_000, requestTimeoutMs: 1_000 }, notDraining(), t.logger);
      port = await http.listen(0, '127.0.0.1');
    });
    afterAll(async () => {
      http.closeAllConnections();
      await new Promise((resolve) => http.server.close(resolve));
      await t.close();
    });

    it('408: a body that never arrives in full', async () => {
      const connection = await openConnection(port);
      connection.socket.write(
        `POST ${START} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"call_id"`,
      );
      await within(connection.closed, 20_000, 'the server to answer the unfinished request');
      const res = rawAnswer(connection.received());
      expect(res.status).toBe(408);
      contract.check('POST', START, res);
    }, 30_000);

    it('431: headers larger than the server takes', async () => {
      const connection = await openConnection(port);
      connection.socket.write(`POST ${START} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'x'.repeat(20_000)}\r\n\r\n`);
      await within(connection.closed, 20_000, 'the server to refuse the headers');
      const res = rawAnswer(connection.received());
      expect(res.status).toBe(431);
      contract.check('POST', START, res);
    });

    it('lists exactly the statuses this file provokes, for both routes', () => {
      const listed = Object.keys(contract.document.paths[START].post.responses).map(Number);
      expect(listed).toEqual([200, 400, 401, 402, 405, 408, 409, 413, 415, 429, 431, 500, 503]);
      expect(Object.keys(contract.document.paths[END].post.responses).map(Number)).toEqual(listed);
    });
  });
});
