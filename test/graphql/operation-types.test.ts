/**
 * Operation types and envelopes the API does not serve get a clear client error, never
 * INTERNAL_SERVER_ERROR (issue 9, item 9): a subscription (the schema has none) is refused at validation
 * with HTTP 400; automatic persisted queries are off, so any persistedQuery extension, with a hash or
 * something that is not one, is PERSISTED_QUERY_NOT_SUPPORTED; a batch is BAD_REQUEST.
 */
import request from 'supertest';

import { unsupportedOperation } from '../../src/graphql/known-operation-types';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

describe.each(ENGINES)('operation types and envelopes on %s', (engine) => {
  let t: TestApp;
  let gql: GraphQLClient;

  beforeAll(async () => {
    t = await createTestApp(engine);
    gql = await graphqlClient(t);
  });
  afterAll(() => t.close());

  const post = (body: unknown) => request(t.app).post('/graphql').set('Authorization', `Bearer ${gql.key}`).send(body as object);
  const codes = (body: { errors?: { extensions?: { code?: string } }[] }) => body.errors?.map((e) => e.extensions?.code);

  it.each([
    ['subscription { __typename }', undefined],
    ['subscription Watch { customers(first: 1) { totalCount } }', 'Watch'],
    ['subscription { startCall(input: { callId: "s", hints: { ani: "4155551234" } }) { replayed } }', undefined],
  ])('refuses %s with HTTP 400 saying subscriptions are not supported', async (query, operationName) => {
    const res = await post({ query, operationName });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ message: 'Subscription operations are not supported by this API', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
    expect(codes(res.body)).not.toContain('INTERNAL_SERVER_ERROR');
    expect(unsupportedOperation('subscription')).toBe('Subscription operations are not supported by this API');
  });

  it.each([
    ['a hash that is not one, with the query', { query: '{ viewer { environment } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'not-a-hash' } } }],
    ['a hash that is not one, without the query', { extensions: { persistedQuery: { version: 1, sha256Hash: '\u0000abc' } } }],
    ['a number for the hash', { extensions: { persistedQuery: { version: 1, sha256Hash: 7 } } }],
    ['an unknown version', { query: '{ viewer { environment } }', extensions: { persistedQuery: { version: 2, sha256Hash: 'a'.repeat(64) } } }],
    ['no version', { extensions: { persistedQuery: { sha256Hash: '0'.repeat(64) } } }],
    ['a well-formed hash', { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }],
  ])('answers PERSISTED_QUERY_NOT_SUPPORTED to a persisted query with %s', async (_case, body) => {
    const res = await post(body);
    expect(res.status).toBeLessThan(500);
    expect(codes(res.body)).toEqual(['PERSISTED_QUERY_NOT_SUPPORTED']);
  });

  it('answers BAD_REQUEST to a batch of operations', async () => {
    const res = await post([{ query: '{ viewer { environment } }' }, { query: '{ viewer { environment } }' }]);
    expect([res.status, codes(res.body)]).toEqual([400, ['BAD_REQUEST']]);
  });

  it('still runs queries and mutations', async () => {
    const data = await gql.data('{ viewer { environment } }');
    expect(data).toEqual({ viewer: { environment: 'TEST' } });
  });
});
