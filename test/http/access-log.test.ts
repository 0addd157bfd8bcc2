/** One JSON log line per request: the route pattern (never the raw path or query string), the request id, no caller data. */
import request from 'supertest';

import type { BuiltApp } from '../../src/app';
import { routeOf, UNMATCHED_ROUTE } from '../../src/http/access-log';
import { createLoggedApp, type LoggedApp } from '../support/logged-app';

describe('the access log', () => {
  let app: LoggedApp;
  let lines: string[];
  let built: BuiltApp;
  let secret: string;

  beforeAll(async () => {
    app = await createLoggedApp();
    ({ lines, built, secret } = app);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    lines.length = 0;
  });

  const logged = () => lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
  /** Any six-digit run of the caller's number: a bare /555/ also matched random UUIDs in the line (CI failed on organisation 700ee4b8-5550-…). */
  const numberParts = (digits: string) => Array.from({ length: digits.length - 5 }, (_, i) => digits.slice(i, i + 6));
  const expectNoNumber = (text: string) => {
    for (const part of numberParts('4155551234')) expect(text).not.toContain(part);
  };

  it('logs each request with its route pattern, never the query string or the caller’s number', async () => {
    await request(built.app)
      .post('/v1/calls/start?ani=4155551234')
      .set('Authorization', `Bearer ${secret}`)
      .set('X-Request-Id', 'log-1')
      .send({ call_id: 'log-call', identity_hints: { ani: '4155551234' } });
    expect(logged()).toEqual([expect.objectContaining({ requestId: 'log-1', method: 'POST', route: '/v1/calls/start', status: 200 })]);
    expect(logged()[0]).not.toHaveProperty('path');
    expectNoNumber(lines.join(''));
    expect(lines.join('')).not.toContain(secret);
  });

  it('masks a number in the request id a caller sent, and echoes the id to the caller as sent', async () => {
    const res = await request(built.app).post('/v1/calls/start').set('Authorization', `Bearer ${secret}`).set('X-Request-Id', 'ivr-4155551234-7').send({ call_id: 'log-rid', identity_hints: { ani: '4155551234' } });
    expect(res.headers['x-request-id']).toBe('ivr-4155551234-7');
    expect(logged()).toEqual([expect.objectContaining({ requestId: 'ivr-********34-7', route: '/v1/calls/start' })]);
    expectNoNumber(lines.join(''));
  });

  it('logs a path that matches no route as (unmatched), so a number in a URL never reaches the log', async () => {
    await request(built.app).get('/v1/numbers/+14155551234').set('Authorization', `Bearer ${secret}`);
    await request(built.app).get('/4155551234?ani=4155551234');
    expect(logged().map((l) => [l.route, l.status])).toEqual([
      [UNMATCHED_ROUTE, 404],
      [UNMATCHED_ROUTE, 404],
    ]);
    expectNoNumber(lines.join(''));
  });

  it('names the route of refused requests too (401 before routing, GraphQL, probes)', async () => {
    await request(built.app).post('/v1/calls/end').send({ call_id: 'x' });
    await request(built.app).post('/graphql?x=4155551234').set('Authorization', `Bearer ${secret}`).send({ query: '{ viewer { environment } }' });
    await request(built.app).get('/healthz');
    expect(logged().map((l) => [l.route, l.status])).toEqual([
      ['/v1/calls/end', 401],
      ['/graphql', 200],
      ['/healthz', 200],
    ]);
  });
});

describe('routeOf', () => {
  const routes = ['/v1/calls/start', '/graphql', '/pop/:token'];

  it.each([
    ['/v1/calls/start', '/v1/calls/start'],
    ['/V1/Calls/Start/', '/v1/calls/start'],
    ['/graphql', '/graphql'],
    ['/pop/abc.def', '/pop/:token'],
    ['/pop/', UNMATCHED_ROUTE],
    ['/pop/a/b', UNMATCHED_ROUTE],
    ['/v1/calls/+14155551234', UNMATCHED_ROUTE],
    ['http://evil.example/v1/calls/start', UNMATCHED_ROUTE],
  ])('maps %s to %s', (path, route) => {
    expect(routeOf(path, routes)).toBe(route);
  });
});
