/**
 * CORS on /graphql and /v1 (CORS_ORIGINS), as a browser meets it: the preflight (no key) and the request
 * itself, from a listed origin, from one that is not, with `*`, and with CORS off. Pages get no CORS.
 */
import request from 'supertest';

import { CORS_MAX_AGE_SECONDS } from '../../src/http/cors';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const ALLOWED = 'https://app.example.com';
const LOCAL_DEV = 'http://localhost:5173';
const VIEWER = { query: '{ viewer { environment } }' };
const START = { call_id: 'cors-start', identity_hints: { ani: '4155550801' } };

/** The CORS headers of an answer (none on a refused origin or a page). */
function corsHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('access-control-')));
}

/** A browser's preflight for `method` with the headers a GraphQL client sends. */
function preflight(t: TestApp, path: string, origin: string, method = 'POST') {
  return request(t.app)
    .options(path)
    .set('Origin', origin)
    .set('Access-Control-Request-Method', method)
    .set('Access-Control-Request-Headers', 'authorization,content-type,x-request-id');
}

describe.each(ENGINES)('CORS on %s', (engine) => {
  describe('with CORS_ORIGINS listing origins', () => {
    let t: TestApp;
    let gql: GraphQLClient;
    beforeAll(async () => {
      t = await createTestApp(engine, { CORS_ORIGINS: `${ALLOWED}, ${LOCAL_DEV}/` });
      gql = await graphqlClient(t);
    });
    afterAll(() => t.close());

    it.each([
      ['/graphql', 'GET, HEAD, POST, OPTIONS'],
      ['/v1/calls/start', 'POST, OPTIONS'],
      ['/v1/calls/end', 'POST, OPTIONS'],
    ])('answers a listed origin’s preflight of %s with 204 and no key', async (path, methods) => {
      const res = await preflight(t, path, ALLOWED);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(corsHeaders(res.headers)).toEqual({
        'access-control-allow-origin': ALLOWED,
        'access-control-allow-methods': methods,
        'access-control-allow-headers':
          'Authorization,X-Api-Key,Content-Type,Accept,X-Request-Id,apollo-require-preflight,x-apollo-operation-name,apollographql-client-name,apollographql-client-version',
        'access-control-expose-headers': 'X-Request-Id,Retry-After,WWW-Authenticate,RateLimit,RateLimit-Policy',
        'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
      });
      expect(res.headers.vary).toMatch(/Origin/);
      expect(res.headers.allow).toBe(methods);
    });

    it('lets a listed origin read the answer, errors included, with the headers it needs', async () => {
      const ok = await request(t.app).post('/graphql').set('Origin', LOCAL_DEV).set('Authorization', `Bearer ${gql.key}`).send(VIEWER);
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ data: { viewer: { environment: 'TEST' } } });
      expect(ok.headers['access-control-allow-origin']).toBe(LOCAL_DEV);
      expect(ok.headers['access-control-expose-headers']).toBe('X-Request-Id,Retry-After,WWW-Authenticate,RateLimit,RateLimit-Policy');
      expect(ok.headers['access-control-allow-credentials']).toBeUndefined();
      expect(ok.headers.vary).toMatch(/Origin/);

      const get = await request(t.app).get(`/graphql?query=${encodeURIComponent(VIEWER.query)}`).set('Origin', ALLOWED).set('Authorization', `Bearer ${gql.key}`);
      expect(get.body).toEqual({ data: { viewer: { environment: 'TEST' } } });
      expect(get.headers['access-control-allow-origin']).toBe(ALLOWED);

      const rest = await request(t.app).post('/v1/calls/start').set('Origin', ALLOWED).set('Authorization', `Bearer ${gql.key}`).send(START);
      expect(rest.status).toBe(200);
      expect(rest.headers['access-control-allow-origin']).toBe(ALLOWED);

      const unauthenticated = await request(t.app).post('/v1/calls/start').set('Origin', ALLOWED).send(START);
      expect(unauthenticated.status).toBe(401);
      expect(unauthenticated.headers['access-control-allow-origin']).toBe(ALLOWED);
      expect(unauthenticated.headers['www-authenticate']).toBeDefined();
    });

    it.each(['https://evil.example', 'http://app.example.com', 'https://app.example.com:8443', 'https://sub.app.example.com', 'null'])(
      'gives %s no CORS header at all, and handles its requests as usual',
      async (origin) => {
        const pre = await preflight(t, '/graphql', origin);
        expect(pre.status).toBe(204);
        expect(corsHeaders(pre.headers)).toEqual({});
        expect(pre.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
        expect(pre.headers.vary).toMatch(/Origin/);

        const res = await request(t.app).post('/graphql').set('Origin', origin).set('Authorization', `Bearer ${gql.key}`).send(VIEWER);
        expect(res.status).toBe(200);
        expect(corsHeaders(res.headers)).toEqual({});
      },
    );

    it.each(['/dashboard', '/dashboard/sign-in', '/explorer', '/screen-pop/anything', '/healthz'])('gives the page %s no CORS header, even for a listed origin', async (path) => {
      const get = await request(t.app).get(path).set('Origin', ALLOWED);
      expect(corsHeaders(get.headers)).toEqual({});
      const pre = await preflight(t, path, ALLOWED, 'GET');
      expect(corsHeaders(pre.headers)).toEqual({});
    });
  });

  describe('with CORS_ORIGINS=*', () => {
    let t: TestApp;
    let gql: GraphQLClient;
    beforeAll(async () => {
      t = await createTestApp(engine, { CORS_ORIGINS: '*' });
      gql = await graphqlClient(t);
    });
    afterAll(() => t.close());

    it('lets any origin call with its own key, never with credentials', async () => {
      const pre = await preflight(t, '/graphql', 'https://anyone.example');
      expect(pre.status).toBe(204);
      expect(pre.headers['access-control-allow-origin']).toBe('*');
      expect(pre.headers['access-control-allow-credentials']).toBeUndefined();
      const res = await request(t.app).post('/graphql').set('Origin', 'https://anyone.example').set('Authorization', `Bearer ${gql.key}`).send(VIEWER);
      expect(res.body).toEqual({ data: { viewer: { environment: 'TEST' } } });
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });
  });

  describe('with CORS off (the default)', () => {
    let t: TestApp;
    let gql: GraphQLClient;
    beforeAll(async () => {
      t = await createTestApp(engine);
      gql = await graphqlClient(t);
    });
    afterAll(() => t.close());

    it.each([
      ['/graphql', 'GET, HEAD, POST, OPTIONS'],
      ['/v1/calls/start', 'POST, OPTIONS'],
    ])('answers OPTIONS %s with 204 and Allow, without a key and without CORS headers', async (path, methods) => {
      for (const req of [preflight(t, path, ALLOWED), request(t.app).options(path)]) {
        const res = await req;
        expect(res.status).toBe(204);
        expect(res.headers.allow).toBe(methods);
        expect(corsHeaders(res.headers)).toEqual({});
      }
    });

    it('handles a request that carries an Origin as usual, without CORS headers', async () => {
      const res = await request(t.app).post('/graphql').set('Origin', ALLOWED).set('Authorization', `Bearer ${gql.key}`).send(VIEWER);
      expect(res.body).toEqual({ data: { viewer: { environment: 'TEST' } } });
      expect(corsHeaders(res.headers)).toEqual({});
      expect(res.headers.vary ?? '').not.toMatch(/Origin/);
    });
  });
});
