/** Input validation and query depth/cost limits of the GraphQL API, as a client sees them over HTTP. */
import { FIRST_AND_LAST } from '../../src/graphql/page-args';
import { VARIABLE_NAME_RULE } from '../../src/variables/variable.service';
import { startCall } from '../support/call-operations';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const SET_VARIABLES = 'mutation($ref: ID!, $variables: [VariableInput!]!) { setVariables(customerRef: $ref, variables: $variables) { variablesUpdated } }';
const END = 'mutation($input: EndCallInput!) { endCall(input: $input) { replayed } }';
const START = 'mutation($input: StartCallInput!) { startCall(input: $input) { replayed } }';
const LONG_NAME = 'n'.repeat(65);

/** customer → calls → edges → node → customer → calls → edges → node → customer → calls → edges → cursor. */
const TWELVE_DEEP = `query($ref: ID!) { customer(ref: $ref) {
  calls(first: 1) { edges { node { customer {
    calls(first: 1) { edges { node { customer {
      calls(first: 1) { edges { cursor } } } } } }
  } } } } } }`;
/** The same shape two levels shallower: exactly the default limit of 10. */
const TEN_DEEP = `query($ref: ID!) { customer(ref: $ref) {
  calls(first: 1) { edges { node { customer {
    calls(first: 1) { edges { node { customer { ref } } } } } } } } } }`;
const TWELVE_DEEP_BY_FRAGMENTS = `query($ref: ID!) { customer(ref: $ref) { ...Outer } }
  fragment Outer on Customer { calls(first: 1) { edges { node { customer { ...Inner } } } } }
  fragment Inner on Customer { calls(first: 1) { edges { node { customer { calls(first: 1) { edges { cursor } } } } } } }`;
const COSTLY = '{ customers(first: 100) { edges { node { calls(first: 100) { totalCount } } } } }';
const DASHBOARD = `query Dashboard($after: String) {
  viewer { environment organisation { slug } }
  customers(first: 20, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node {
      ref callCount lastCallAt provisional
      identities { kind key value lineType }
      variables { name value }
      openIntents { name status attemptCount }
      calls(first: 5) { totalCount edges { node { callId startedAt intent identification { level } } } }
    } }
  }
  intents(first: 10, filter: { status: OPEN }) { totalCount edges { node { name customer { ref } } } }
}`;

/** The `errors` of an answer without locations. */
function errorsOf(answer: { body: { errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[] } }) {
  return answer.body.errors?.map(({ message, path, extensions }) => ({ message, ...(path ? { path } : {}), extensions }));
}

/** A BAD_USER_INPUT answer for the field, listing the issues. */
function invalid(field: string, issues: { path: (string | number)[]; message: string }[]) {
  return [{ message: 'Validation failed', path: [field], extensions: { code: 'BAD_USER_INPUT', issues } }];
}

describe.each(ENGINES)('GraphQL validation and query limits on %s', (engine) => {
  let t: TestApp;
  let gql: GraphQLClient;
  let ref: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    gql = await graphqlClient(t);
    ref = await startCall(gql, 'seed', { ani: '4155551234' });
  });
  afterAll(() => t.close());

  it('lists both a too-long variable name and a too-big ttlSeconds of one VariableInput', async () => {
    const answer = await gql.request(SET_VARIABLES, { ref, variables: [{ name: LONG_NAME, value: 'x', ttlSeconds: 315_360_001 }] });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toBeNull();
    expect(errorsOf(answer)).toEqual(
      invalid('setVariables', [
        { path: ['variables', 0, 'name'], message: VARIABLE_NAME_RULE },
        { path: ['variables', 0, 'ttlSeconds'], message: 'ttlSeconds must not be greater than 315360000' },
      ]),
    );
  });

  it('lists the problems of every item of a list, by index', async () => {
    const variables = [{ name: 'ok', value: 'x' }, { name: 'bad name', value: 'x' }, { name: 'ttl', value: 'x', ttlSeconds: 0 }];
    const answer = await gql.request(SET_VARIABLES, { ref, variables });
    expect(errorsOf(answer)).toEqual(
      invalid('setVariables', [
        { path: ['variables', 1, 'name'], message: VARIABLE_NAME_RULE },
        { path: ['variables', 2, 'ttlSeconds'], message: 'ttlSeconds must not be less than 1' },
      ]),
    );
    const { customer } = await gql.data('query($ref: ID!) { customer(ref: $ref) { variables { name } } }', { ref });
    expect(customer.variables).toEqual([]);
  });

  it('lists every bad field of a nested input at its path', async () => {
    const input = {
      callId: 'seed',
      customerRef: 'r'.repeat(65),
      intent: 'i'.repeat(513),
      hints: { ani: '1'.repeat(65), externalIds: [{ key: '', value: 'v' }] },
      variables: [{ name: 'fine', value: 'x' }, { name: LONG_NAME, value: 'x', source: 's'.repeat(65) }],
    };
    const answer = await gql.request(END, { input });
    expect(answer.status).toBe(200);
    expect(errorsOf(answer)).toEqual(
      invalid('endCall', [
        { path: ['customerRef'], message: 'customerRef must be shorter than or equal to 64 characters' },
        { path: ['hints', 'ani'], message: 'ani must be shorter than or equal to 64 characters' },
        { path: ['hints', 'externalIds', 0, 'key'], message: 'key must be longer than or equal to 1 characters' },
        { path: ['intent'], message: 'intent must be shorter than or equal to 512 characters' },
        { path: ['variables', 1, 'name'], message: VARIABLE_NAME_RULE },
        { path: ['variables', 1, 'source'], message: 'source must be shorter than or equal to 64 characters' },
      ]),
    );
  });

  it('lists the problems of every argument of a field at once', async () => {
    const answer = await gql.request('query($ani: String) { customers(first: -1, filter: { ani: $ani }) { totalCount } }', { ani: '1'.repeat(65) });
    expect(errorsOf(answer)).toEqual(
      invalid('customers', [
        { path: ['ani'], message: 'ani must be shorter than or equal to 64 characters' },
        { path: ['first'], message: 'first must not be less than 0' },
      ]),
    );
  });

  it.each([
    ['first', -1, 'first must not be less than 0'],
    ['first', 101, 'first must not be greater than 100'],
    ['last', -1, 'last must not be less than 0'],
    ['last', 101, 'last must not be greater than 100'],
  ])('refuses %s: %s on lists and nested calls', async (argument, size, message) => {
    for (const field of ['customers', 'calls', 'intents']) {
      const answer = await gql.request(`query($size: Int!) { ${field}(${argument}: $size) { totalCount } }`, { size });
      expect(answer.status).toBe(200);
      expect(errorsOf(answer)).toEqual(invalid(field, [{ path: [argument], message }]));
    }
    const nested = await gql.request(`query($ref: ID!) { customer(ref: $ref) { calls(${argument}: ${size}) { totalCount } } }`, { ref });
    expect(errorsOf(nested)).toEqual([{ message: 'Validation failed', path: ['customer', 'calls'], extensions: { code: 'BAD_USER_INPUT', issues: [{ path: [argument], message }] } }]);
  });

  it('refuses first and last together on lists and nested calls, naming last', async () => {
    const issues = [{ path: ['last'], message: FIRST_AND_LAST }];
    for (const field of ['customers', 'calls', 'intents']) {
      const answer = await gql.request(`{ ${field}(first: 2, last: 2) { totalCount } }`);
      expect(errorsOf(answer)).toEqual(invalid(field, issues));
    }
    const nested = await gql.request('query($ref: ID!) { customer(ref: $ref) { calls(first: 1, last: 1) { totalCount } } }', { ref });
    expect(errorsOf(nested)).toEqual([{ message: 'Validation failed', path: ['customer', 'calls'], extensions: { code: 'BAD_USER_INPUT', issues } }]);
  });

  it('answers 400 BAD_USER_INPUT, one error per bad variable, for values of the wrong GraphQL type', async () => {
    const answer = await gql.request('query($n: Int!, $f: CustomerFilterInput) { customers(first: $n, filter: $f) { totalCount } }', {
      n: 'ten',
      f: { ani: 5 },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.data).toBeUndefined();
    expect(errorsOf(answer)).toEqual([
      { message: 'Variable "$n" got invalid value "ten"; Int cannot represent non-integer value: "ten"', extensions: { code: 'BAD_USER_INPUT' } },
      { message: 'Variable "$f" got invalid value 5 at "f.ani"; String cannot represent a non string value: 5', extensions: { code: 'BAD_USER_INPUT' } },
    ]);
  });

  it.each([
    ['only a dialled number', { dnis: '8005550000' }],
    ['blank and placeholder hints', { ani: '  ', customerRef: '{{caller_ref}}', externalIds: [] }],
    ['platform placeholders', { ani: '$(call.ani)', customerRef: '@Call.Ref@' }],
  ])('refuses a start with %s: no usable hint', async (_name, hints) => {
    const answer = await gql.request(START, { input: { callId: 'no-hint', hints } });
    expect(answer.status).toBe(200);
    expect(errorsOf(answer)).toEqual(
      invalid('startCall', [{ path: ['identity_hints'], message: 'identity_hints must include ani, external_ids, or customer_ref' }]),
    );
    expect(await gql.data('{ call(callId: "no-hint") { callId } }')).toEqual({ call: null });
  });

  it('refuses a 12-level query as QUERY_TOO_COMPLEX before running it, written out or through fragments', async () => {
    for (const query of [TWELVE_DEEP, TWELVE_DEEP_BY_FRAGMENTS]) {
      const answer = await gql.request(query, { ref });
      expect(answer.status).toBe(400);
      expect(answer.body.data).toBeUndefined();
      expect(errorsOf(answer)).toEqual([{ message: 'Query depth 12 exceeds the limit of 10', extensions: { code: 'QUERY_TOO_COMPLEX' } }]);
    }
    expect((await gql.data(TEN_DEEP, { ref })).customer.calls.edges).toHaveLength(1);
  });

  it('refuses a query whose nested pages of 100 multiply past the cost limit', async () => {
    const answer = await gql.request(COSTLY);
    expect(answer.status).toBe(400);
    // 10,301 field reads, a count, a page and a look behind the cursor for `customers`, one batched query for the nested `calls`.
    expect(errorsOf(answer)).toEqual([{ message: 'Query cost 10381 exceeds the limit of 5000', extensions: { code: 'QUERY_TOO_COMPLEX' } }]);
  });

  it('runs a normal dashboard query', async () => {
    const data = await gql.data(DASHBOARD);
    expect(data).toEqual({
      viewer: { environment: 'TEST', organisation: { slug: expect.any(String) } },
      customers: {
        totalCount: 1,
        pageInfo: { hasNextPage: false, endCursor: data.customers.edges[0].cursor },
        edges: [
          {
            cursor: expect.any(String),
            node: {
              ref,
              callCount: 1,
              lastCallAt: expect.any(String),
              provisional: false,
              identities: [{ kind: 'ANI', key: 'ani', value: '+14155551234', lineType: 'UNKNOWN' }],
              variables: [],
              openIntents: [],
              calls: { totalCount: 1, edges: [{ node: { callId: 'seed', startedAt: expect.any(String), intent: null, identification: { level: 'low' } } }] },
            },
          },
        ],
      },
      intents: { totalCount: 0, edges: [] },
    });
  });

  describe('with limits configured by QUERY_MAX_DEPTH, QUERY_MAX_COST, QUERY_MAX_ROOT_FIELDS and QUERY_MAX_ALIASES', () => {
    let custom: TestApp;
    let client: GraphQLClient;

    beforeAll(async () => {
      custom = await createTestApp(engine, { QUERY_MAX_DEPTH: '12', QUERY_MAX_COST: '100', QUERY_MAX_ROOT_FIELDS: '2', QUERY_MAX_ALIASES: '1' });
      client = await graphqlClient(custom);
    });
    afterAll(() => custom.close());

    it('applies the configured depth and cost instead of the defaults', async () => {
      const deep = await client.request(TWELVE_DEEP, { ref: '00000000-0000-4000-8000-000000000000' });
      expect(deep.body).toEqual({ data: { customer: null } });
      const answer = await client.request('{ customers(first: 5) { edges { node { ref callCount createdAt provisional } } } }');
      expect(answer.status).toBe(400);
      // 31 field reads, and 70 for the count, the page and the look behind the cursor of `customers`.
      expect(errorsOf(answer)).toEqual([{ message: 'Query cost 101 exceeds the limit of 100', extensions: { code: 'QUERY_TOO_COMPLEX' } }]);
    });

    it('applies the configured numbers of root fields and aliases', async () => {
      expect(await client.data('{ a: viewer { environment } viewer { environment } }')).toEqual({
        a: { environment: 'TEST' },
        viewer: { environment: 'TEST' },
      });
      const answer = await client.request('{ a: viewer { environment } b: viewer { environment } c: viewer { environment } }');
      expect(answer.status).toBe(400);
      expect(errorsOf(answer)).toEqual([
        { message: 'Query has 3 root fields, more than the limit of 2', extensions: { code: 'QUERY_TOO_COMPLEX' } },
        { message: 'Query has 3 aliases, more than the limit of 1', extensions: { code: 'QUERY_TOO_COMPLEX' } },
      ]);
    });
  });
});
