/** Error mapping on the REST face (contract §7): exact bodies, request ids, and masking of the unexpected. */
import { Writable } from 'node:stream';

import express from 'express';
import request from 'supertest';

import { AppError } from '../../src/errors/app-error';
import { ErrorCode, HTTP_STATUS } from '../../src/errors/error-code';
import { errorHandler } from '../../src/http/rest-errors';
import { requestId } from '../../src/http/request-id';
import { createLogger } from '../../src/logging/logger';
import { makeKey, makeOrganisation } from '../support/factories';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

describe.each(ENGINES)('REST errors on %s', (engine) => {
  let t: TestApp;
  let auth: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp(engine, { BODY_LIMIT_BYTES: '2048' });
    const em = t.orm.em.fork();
    auth = { Authorization: `Bearer ${(await makeKey(t.keys, em, await makeOrganisation(t.keys, em))).secret}` };
  });
  afterAll(() => t.close());

  it('answers 404 in the error shape for an unknown route', async () => {
    const res = await request(t.app).get('/nowhere');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Not Found', message: 'No route for GET /nowhere' });
  });

  it('answers 400 with an issue for malformed JSON', async () => {
    const res = await request(t.app)
      .post('/v1/calls/start')
      .set(auth)
      .set('Content-Type', 'application/json')
      .send('{"call_id": "c1",');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'Bad Request',
      message: 'Malformed JSON body',
      details: { issues: [{ path: [], message: 'The body is not valid JSON' }] },
    });
  });

  it('answers 413 for a body over the configured limit', async () => {
    const res = await request(t.app)
      .post('/v1/calls/start')
      .set(auth)
      .send({ call_id: 'c1', padding: 'x'.repeat(4096) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: 'Payload Too Large', message: 'Request body exceeds the limit of 2048 bytes' });
  });

  it('echoes a sane X-Request-Id and makes one up otherwise', async () => {
    const echoed = await request(t.app).get('/healthz').set('X-Request-Id', 'five9-abc.123');
    expect(echoed.headers['x-request-id']).toBe('five9-abc.123');
    const replaced = await request(t.app).get('/healthz').set('X-Request-Id', 'bad id\twith spaces');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const errored = await request(t.app).get('/nowhere');
    expect(errored.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('masking unexpected errors', () => {
  it('answers 500 without internals, and logs the error with the request id', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = express();
    app.use(requestId);
    app.get('/boom', () => {
      throw new Error('SQLITE_CORRUPT: database disk image is malformed at /var/lib/cm');
    });
    app.use(errorHandler(createLogger('error', sink), 1024));

    const res = await request(app).get('/boom').set('X-Request-Id', 'req-42');

    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      error: 'Internal Server Error',
      message: 'Internal error; quote request id req-42 to support',
    });
    expect(JSON.stringify(res.body)).not.toContain('SQLITE');
    const logged = JSON.parse(lines[0]);
    expect(logged).toMatchObject({ level: 50, requestId: 'req-42', msg: 'unhandled error' });
    expect(logged.err.message).toContain('SQLITE_CORRUPT');
  });

  it('maps every error code to an HTTP status once', () => {
    expect(Object.keys(HTTP_STATUS).sort()).toEqual(Object.values(ErrorCode).sort());
    expect(HTTP_STATUS[AppError.conflict('x').code]).toBe(409);
    expect(HTTP_STATUS[AppError.validation([]).code]).toBe(400);
    expect(HTTP_STATUS[AppError.methodNotAllowed(['POST']).code]).toBe(405);
    expect(AppError.methodNotAllowed(['POST']).headers).toEqual({ Allow: 'POST' });
  });
});
