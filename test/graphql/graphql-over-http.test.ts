/**
 * GraphQL over HTTP as clients send it: queries over GET with the key in a header run; mutations over GET
 * or HEAD are refused with 405 and never run; a request a page on another site could send without a
 * preflight (no key header, or only an Authorization a browser adds by itself) runs nothing; HEAD answers
 * what GET would, without a body.
 */
import request from 'supertest';

import { startCall } from '../support/call-operations';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const VIEWER = '{ viewer { environment } }';
const READ_VARIABLES = 'query($ref: ID!) { customer(ref: $ref) { variables { name value } } }';
const SET_TIER = (ref: string) => `mutation { setVariables(customerRef: "${ref}", variables: [{ name: "tier", value: "gold" }]) { variablesUpdated } }`;

/** The /graphql URL of a GET carrying the operation. */
const getUrl = (query: string, variables?: Record<string, unknown>) =>
  `/graphql?${new URLSearchParams({ query, ...(variables ? { variables: JSON.stringify(variables) } : {}) })}`;

describe.each(ENGINES)('GraphQL over HTTP on %s', (engine) => {
  let t: TestApp;
  let gql: GraphQLClient;
  let bearer: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    gql = await graphqlClient(t);
    bearer = `Bearer ${gql.key}`;
  });
  afterAll(() => t.close());

  /** The customer's variables, read by a separate request. */
  const variablesOf = async (ref: string) => (await gql.data(READ_VARIABLES, { ref })).customer.variables;

  describe('queries over GET', () => {
    it('run with the key in Authorization: Bearer and nothing else (urql, graphql-request)', async () => {
      const res = await request(t.app).get(getUrl(VIEWER)).set('Authorization', bearer);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { viewer: { environment: 'TEST' } } });
    });

    it('run with the key in X-Api-Key, and with variables', async () => {
      const ref = await startCall(gql, 'get-vars', { ani: '4155550701' });
      const res = await request(t.app).get(getUrl(READ_VARIABLES, { ref })).set('X-Api-Key', gql.key);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { customer: { variables: [] } } });
    });

    it('without any key are told to send one (401, nothing runs)', async () => {
      const res = await request(t.app).get(getUrl(VIEWER));
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/Bearer/);
      expect(res.body.errors).toEqual([{ message: expect.stringMatching(/^Missing API key/), extensions: { code: 'UNAUTHENTICATED' } }]);
      expect(res.body.data).toBeUndefined();
    });

    it('with only HTTP Basic (which a browser may add by itself) are refused as possible cross-site requests', async () => {
      const basic = `Basic ${Buffer.from(`${gql.key}:`).toString('base64')}`;
      const refused = await request(t.app).get(getUrl(VIEWER)).set('Authorization', basic);
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].extensions.code).toBe('BAD_REQUEST');
      expect(refused.body.errors[0].message).toMatch(/Cross-Site Request Forgery/);
      expect(refused.body.data).toBeUndefined();
      // A header no page can send unpreflighted lets it through, as any non-simple content type does.
      const preflighted = await request(t.app).get(getUrl(VIEWER)).set('Authorization', basic).set('apollo-require-preflight', 'true');
      expect(preflighted.body).toEqual({ data: { viewer: { environment: 'TEST' } } });
      const json = await request(t.app).get(getUrl(VIEWER)).set('Authorization', basic).set('Content-Type', 'application/json');
      expect(json.body).toEqual({ data: { viewer: { environment: 'TEST' } } });
    });
  });

  describe('mutations over GET and HEAD', () => {
    it.each(['GET', 'HEAD'] as const)('%s: 405 with Allow: POST in the GraphQL error shape, and nothing written', async (method) => {
      const ref = await startCall(gql, `no-get-${method}`, { ani: method === 'GET' ? '4155550702' : '4155550703' });
      const req = method === 'GET' ? request(t.app).get(getUrl(SET_TIER(ref))) : request(t.app).head(getUrl(SET_TIER(ref)));
      const res = await req.set('Authorization', bearer);
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('POST');
      if (method === 'GET') {
        expect(res.body).toEqual({ errors: [{ message: 'GET requests only support query operations, not mutation operations', extensions: { code: 'BAD_REQUEST' } }] });
      }
      expect(await variablesOf(ref)).toEqual([]);
      // The same mutation over POST writes.
      expect((await gql.data(SET_TIER(ref))).setVariables.variablesUpdated).toBe(1);
    });
  });

  describe('HEAD', () => {
    it('answers a query as GET would, headers only', async () => {
      const get = await request(t.app).get(getUrl(VIEWER)).set('Authorization', bearer);
      const head = await request(t.app).head(getUrl(VIEWER)).set('Authorization', bearer);
      expect(head.status).toBe(200);
      expect(head.headers['content-type']).toBe(get.headers['content-type']);
      expect(head.headers['content-length']).toBe(get.headers['content-length']);
      expect(head.text).toBeUndefined();
    });

    it('without a key is 401, like GET', async () => {
      const res = await request(t.app).head(getUrl(VIEWER));
      expect(res.status).toBe(401);
    });
  });

  describe('bodies a cross-site form can send', () => {
    it.each(['text/plain', 'application/x-www-form-urlencoded'])('a POST labelled %s runs nothing, even with the key', async (contentType) => {
      const ref = await startCall(gql, `form-${contentType}`, { ani: contentType === 'text/plain' ? '4155550704' : '4155550705' });
      const res = await request(t.app)
        .post('/graphql')
        .set('Authorization', bearer)
        .set('Content-Type', contentType)
        .send(JSON.stringify({ query: SET_TIER(ref) }));
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions.code).toBe('BAD_REQUEST');
      expect(await variablesOf(ref)).toEqual([]);
    });
  });
});
