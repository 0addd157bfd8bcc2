/**
 * The GraphQL clients people use, as they come, against a listening server: urql's Client with its
 * defaults (queries over GET, mutations over POST, fetchExchange) and graphql-request's GraphQLClient in
 * GET and POST mode. Only the key is added (an Authorization header). A recording `fetch` (the real one,
 * wrapped) shows which method each client chose.
 */
import { Client, fetchExchange, gql } from '@urql/core';
import { batchRequests, ClientError, GraphQLClient } from 'graphql-request';

import { graphqlClient, type GraphQLClient as TestClient } from '../support/graphql-client';
import { listeningApp, type ListeningApp } from '../support/listening-app';
import { ENGINES } from '../support/scratch-database';

/** What the SET and CUSTOMER operations answer. */
interface SetData {
  setVariables: { variablesUpdated: number; customer: { variables: { name: string; value: string }[] } };
}
interface CustomerData {
  customer: { ref: string; variables: { name: string; value: string }[] } | null;
}

const START = `mutation Start($input: StartCallInput!) { startCall(input: $input) { customer { ref } } }`;
const CUSTOMER = `query Customer($ref: ID!) { customer(ref: $ref) { ref variables { name value } } }`;
const SET = `mutation Set($ref: ID!, $value: String!) {
  setVariables(customerRef: $ref, variables: [{ name: "tier", value: $value }]) { variablesUpdated customer { variables { name value } } }
}`;
/** A query the service refuses for its input: a customer ref with a NUL in it. */
const BAD_QUERY = `query Bad { customer(ref: "a\\u0000b") { ref } }`;

/** The real fetch, recording each request's method. */
function recordingFetch(methods: string[]): typeof fetch {
  return (input, init) => {
    methods.push(init?.method ?? 'GET');
    return fetch(input, init);
  };
}

describe.each(ENGINES)('real GraphQL clients against a listening server on %s', (engine) => {
  let s: ListeningApp;
  let url: string;
  let key: string;
  let seed: TestClient;

  beforeAll(async () => {
    s = await listeningApp(engine);
    seed = await graphqlClient(s.t);
    key = seed.key;
    url = `${s.origin}/graphql`;
  });
  afterAll(() => s?.close());

  let callers = 0;
  /** A new customer (a call from a new number), through the test's own client. */
  const newCustomer = async (callId: string) => (await seed.data(START, { input: { callId, hints: { ani: `415556${1000 + ++callers}` } } })).startCall.customer.ref;

  describe('urql with its defaults', () => {
    const urql = (methods: string[]) =>
      new Client({ url, exchanges: [fetchExchange], fetch: recordingFetch(methods), fetchOptions: { headers: { Authorization: `Bearer ${key}` } } });

    it('runs a query over GET and a mutation over POST', async () => {
      const ref = await newCustomer('urql-1');
      const methods: string[] = [];
      const client = urql(methods);
      const written = await client.mutation(gql(SET), { ref, value: 'gold' }).toPromise();
      expect(written.error).toBeUndefined();
      expect(written.data.setVariables).toMatchObject({ variablesUpdated: 1, customer: { variables: [{ name: 'tier', value: 'gold' }] } });
      const read = await client.query(gql(CUSTOMER), { ref }, { requestPolicy: 'network-only' }).toPromise();
      expect(read.error).toBeUndefined();
      expect(read.data.customer).toMatchObject({ ref, variables: [{ name: 'tier', value: 'gold' }] });
      expect(methods).toEqual(['POST', 'GET']);
    });

    it('hands the error code of a refused query to the client', async () => {
      const methods: string[] = [];
      const result = await urql(methods).query(gql(BAD_QUERY), {}).toPromise();
      expect(methods).toEqual(['GET']);
      expect(result.error?.graphQLErrors[0].extensions.code).toBe('BAD_USER_INPUT');
    });

    it('without a key, the client reads UNAUTHENTICATED', async () => {
      const client = new Client({ url, exchanges: [fetchExchange] });
      const result = await client.query(gql(CUSTOMER), { ref: '00000000-0000-4000-8000-000000000000' }).toPromise();
      expect(result.error?.graphQLErrors[0].extensions.code).toBe('UNAUTHENTICATED');
    });
  });

  describe.each(['GET', 'POST'] as const)('graphql-request in %s mode', (method) => {
    const client = (methods: string[]) => new GraphQLClient(url, { method, fetch: recordingFetch(methods), headers: { Authorization: `Bearer ${key}` } });

    it('runs a query and a mutation (a mutation always over POST)', async () => {
      const ref = await newCustomer(`request-${method}`);
      const methods: string[] = [];
      const written = await client(methods).request<SetData>(SET, { ref, value: method });
      expect(written.setVariables.customer.variables).toEqual([{ name: 'tier', value: method }]);
      const read = await client(methods).request<CustomerData>(CUSTOMER, { ref });
      expect(read.customer).toEqual({ ref, variables: [{ name: 'tier', value: method }] });
      expect(methods).toEqual(['POST', method]);
    });

    it('hands the error code of a refused query to the client', async () => {
      const methods: string[] = [];
      const error = await client(methods).request(BAD_QUERY).catch((e: unknown) => e);
      expect(methods).toEqual([method]);
      expect(error).toBeInstanceOf(ClientError);
      expect((error as ClientError).response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  it('graphql-request’s batchRequests (two mutations in one HTTP request) is refused and writes nothing', async () => {
    const ref = await newCustomer('batch');
    const error = await batchRequests(url, [{ document: SET, variables: { ref, value: 'one' } }, { document: SET, variables: { ref, value: 'two' } }], { Authorization: `Bearer ${key}` }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).response.status).toBe(400);
    expect((await seed.data(CUSTOMER, { ref })).customer.variables).toEqual([]);
  });
});
