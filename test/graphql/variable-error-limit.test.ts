/**
 * More than 50 bad values in a request's variables are all the client's mistake. graphql-js stops after
 * 50 with an error of its own ("Too many errors processing variables …") that carries no code, and that
 * one was masked as INTERNAL_SERVER_ERROR after the 50 BAD_USER_INPUT errors. Engine-independent (the
 * operation never runs), so SQLite only.
 */
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { createTestApp, type TestApp } from '../support/test-app';

const SET_VARIABLES = 'mutation($v: [VariableInput!]!) { setVariables(customerRef: "x", variables: $v) { variablesUpdated } }';

describe('a request with more bad variable values than graphql-js reports', () => {
  let t: TestApp;
  let gql: GraphQLClient;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    gql = await graphqlClient(t);
  });
  afterAll(() => t.close());

  it('answers 400 with BAD_USER_INPUT errors only, the last saying why it stopped', async () => {
    const answer = await gql.request(SET_VARIABLES, { v: Array.from({ length: 60 }, () => 1) });
    expect(answer.status).toBe(400);
    const codes = answer.body.errors!.map((e) => e.extensions?.code);
    expect(codes).toEqual(Array.from({ length: 51 }, () => 'BAD_USER_INPUT'));
    expect(answer.body.errors!.at(-1)).toEqual({
      message: 'Too many errors processing variables, error limit reached. Execution aborted.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});
