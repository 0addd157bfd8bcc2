/**
 * With introspection off (production), GraphQL's "Did you mean …" suggestions would still spell out the
 * schema to anyone guessing names (issue 9, item 13). They are dropped from validation errors and from
 * variable errors alike; with introspection on (development) they stay, since they help.
 */
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { createTestApp, type TestApp } from '../support/test-app';

/** Mistakes graphql-js answers with a suggestion, and the message it gives without one. */
const MISTAKES: { name: string; query: string; variables?: Record<string, unknown>; message: string }[] = [
  {
    name: 'a misspelt field',
    query: '{ customers(first: 1) { totalCont } }',
    message: 'Cannot query field "totalCont" on type "CustomerConnection".',
  },
  {
    name: 'a misspelt argument',
    query: '{ customers(frist: 1) { totalCount } }',
    message: 'Unknown argument "frist" on field "Query.customers".',
  },
  {
    name: 'a misspelt enum value',
    query: '{ intents(filter: { status: OPN }) { totalCount } }',
    message: 'Value "OPN" does not exist in "IntentStatus" enum.',
  },
  {
    name: 'a misspelt input field in a variable',
    query: 'mutation($input: StartCallInput!) { startCall(input: $input) { replayed } }',
    variables: { input: { callId: 'c-1', hints: { ani: '4155550100', lineTyp: 'MOBILE' } } },
    message: 'Variable "$input" got invalid value { ani: "4155550100", lineTyp: "MOBILE" } at "input.hints"; Field "lineTyp" is not defined by type "IdentityHintsInput".',
  },
  {
    name: 'a misspelt enum value in a variable',
    query: 'mutation($input: StartCallInput!) { startCall(input: $input) { replayed } }',
    variables: { input: { callId: 'c-1', hints: { ani: '4155550100', lineType: 'MOBIL' } } },
    message: 'Variable "$input" got invalid value "MOBIL" at "input.hints.lineType"; Value "MOBIL" does not exist in "LineType" enum.',
  },
];

/** The messages of an answer's errors. */
async function messages(gql: GraphQLClient, query: string, variables?: Record<string, unknown>): Promise<string[]> {
  const answer = await gql.request(query, variables);
  expect(answer.status).toBe(400);
  return (answer.body.errors ?? []).map((e) => e.message);
}

describe('GraphQL error messages with introspection off', () => {
  let t: TestApp;
  let gql: GraphQLClient;

  beforeAll(async () => {
    t = await createTestApp('sqlite', { GRAPHQL_INTROSPECTION: 'false' });
    gql = await graphqlClient(t);
  });
  afterAll(() => t.close());

  it('refuses introspection', async () => {
    expect(await messages(gql, '{ __schema { types { name } } }')).toEqual([
      expect.stringContaining('introspection is not allowed'),
    ]);
  });

  it.each(MISTAKES)('names no schema element for $name', async ({ query, variables, message }) => {
    const answer = await messages(gql, query, variables);
    expect(answer).toEqual([message]);
    expect(answer.join(' ')).not.toMatch(/Did you mean/);
  });
});

describe('GraphQL error messages with introspection on', () => {
  let t: TestApp;
  let gql: GraphQLClient;

  beforeAll(async () => {
    t = await createTestApp('sqlite', { GRAPHQL_INTROSPECTION: 'true' });
    gql = await graphqlClient(t);
  });
  afterAll(() => t.close());

  it.each(MISTAKES)('keeps the suggestion for $name', async ({ query, variables, message }) => {
    const [answer] = await messages(gql, query, variables);
    expect(answer).toMatch(new RegExp(`^${escape(message)} Did you mean .+\\?$`));
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
