/**
 * A mutation operation runs one mutation. With several root mutations a later one could fail after the
 * earlier ones had committed, for a mistake in its input (a call id's length, an intent label, too many
 * or too long variables, an unusable number, hints that name no one) or for one only the data shows (an
 * unknown ref, a customer merged into itself); payloads are non-null, so the answer was `data: null`: a
 * committed write reported as failed. Such an operation is now refused at validation, before anything
 * runs, however its root fields are written (aliases, fragments, @skip). Each of those bad inputs, sent as
 * the one mutation it is, is refused by its service with nothing written. An empty identity is refused
 * too: linking it "linked" nothing yet made the customer permanent.
 */
import { oneMutationOnly } from '../../src/graphql/one-mutation';
import { startCall } from '../support/call-operations';
import { databaseState } from '../support/database-state';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

/** A mutation breaking one of its input rules, and the issue its refusal lists. */
const BAD_INPUTS: [name: string, field: string, issue: { path: (string | number)[]; message: string }][] = [
  ['a value over 4,096 characters', `setVariables(customerRef: $ref, variables: [{ name: "long", value: "${'x'.repeat(4097)}" }]) { variablesUpdated }`, { path: ['variables', 'long'], message: 'value is longer than 4096 characters' }],
  ['101 variables', `setVariables(customerRef: $ref, variables: [${Array.from({ length: 101 }, (_, i) => `{ name: "v${i}", value: "1" }`).join(', ')}]) { variablesUpdated }`, { path: ['variables'], message: 'at most 100 variables per request (got 101)' }],
  ['a call id of 257 characters', `startCall(input: { callId: "${'c'.repeat(257)}", hints: { ani: "4155550100" } }) { replayed }`, { path: ['call_id'], message: 'call_id must be 1-256 characters' }],
  ['a blank call id', 'endCall(input: { callId: "   ", hints: { ani: "4155550101" } }) { replayed }', { path: ['call_id'], message: 'call_id must be 1-256 characters' }],
  ['hints that name no one', 'startCall(input: { callId: "no-hints", hints: { dnis: "8005550100" } }) { replayed }', { path: ['identity_hints'], message: 'identity_hints must include ani, external_ids, or customer_ref' }],
  ['an intent label without a letter or digit', 'endCall(input: { callId: "label", hints: { ani: "4155550101" }, intent: "!!!" }) { replayed }', { path: ['intent'], message: 'intent must contain at least one letter or digit' }],
  ['an unusable number to link', 'linkIdentity(customerRef: $ref, identity: { ani: "not a number" }) { ref }', { path: ['identity', 'ani'], message: 'ani is not a usable phone number' }],
  ['an empty identity to unlink', 'unlinkIdentity(customerRef: $ref, identity: {}) { ref }', { path: ['identity'], message: 'identity must give an ani or an externalId' }],
];

const SET_TIER = 'setVariables(customerRef: $ref, variables: [{ name: "tier", value: "gold" }]) { variablesUpdated }';
const LINK_CRM = 'linkIdentity(customerRef: $ref, identity: { externalId: { key: "crm_id", value: "input-rules" } }) { ref }';

/** Operations of two root mutations, written every way a root field can be. */
const TWO_MUTATIONS: [name: string, query: string][] = [
  ['two valid mutations', `mutation($ref: ID!) { first: ${SET_TIER} second: ${LINK_CRM} }`],
  ['a valid one, then one with a bad input', `mutation($ref: ID!) { first: ${SET_TIER} second: ${BAD_INPUTS[0][1]} }`],
  ['a valid one, then one that fails on the data (a customer merged into itself)', `mutation($ref: ID!) { first: ${SET_TIER} second: mergeCustomers(sourceRef: $ref, targetRef: $ref) { ref } }`],
  ['a valid one, then one on an unknown ref', `mutation($ref: ID!) { first: ${SET_TIER} second: deleteVariable(customerRef: "00000000-0000-4000-8000-000000000000", name: "tier") { deleted } }`],
  ['two unaliased mutations', `mutation($ref: ID!) { ${SET_TIER} ${LINK_CRM} }`],
  ['both in a root fragment', `mutation($ref: ID!) { ...Writes } fragment Writes on Mutation { first: ${SET_TIER} second: ${LINK_CRM} }`],
  ['one beside a root fragment holding the other', `mutation($ref: ID!) { ${SET_TIER} ...Link } fragment Link on Mutation { ${LINK_CRM} }`],
  ['one beside an inline fragment holding the other', `mutation($ref: ID!) { ${SET_TIER} ... on Mutation { ${LINK_CRM} } }`],
  ['the second in an inline fragment without a type', `mutation($ref: ID!) { ${SET_TIER} ... { ${LINK_CRM} } }`],
  ['the second under @skip(if: false)', `mutation($ref: ID!) { ${SET_TIER} ${LINK_CRM.replace(') {', ') @skip(if: false) {')} }`],
  ['the second under @include(if: $also), however $also is set', `mutation($ref: ID!, $also: Boolean = false) { ${SET_TIER} ${LINK_CRM.replace(') {', ') @include(if: $also) {')} }`],
];

describe.each(ENGINES)('a mutation operation runs one mutation, on %s', (engine) => {
  let t: TestApp;
  let gql: GraphQLClient;
  let ref: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    gql = await graphqlClient(t);
    ref = await startCall(gql, 'input-rules-1', { ani: '4155550101' });
  });
  afterAll(() => t.close());

  it.each(TWO_MUTATIONS)('refuses %s before anything runs, and writes nothing', async (_name, query) => {
    const before = await databaseState(t.orm);
    const answer = await gql.request(query, { ref });
    expect(answer.status).toBe(400);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors).toEqual([{ message: oneMutationOnly(2), locations: expect.any(Array), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
    expect(oneMutationOnly(2)).toBe('A mutation operation runs one mutation (this one has 2); send each mutation as its own operation');
    expect(await databaseState(t.orm)).toEqual(before);
  });

  it.each(BAD_INPUTS)('refuses a mutation with %s and writes nothing', async (_name, field, issue) => {
    const name = field.slice(0, field.indexOf('('));
    const query = field.includes('$ref') ? `mutation($ref: ID!) { ${field} }` : `mutation { ${field} }`;
    const before = await databaseState(t.orm);
    const answer = await gql.request(query, field.includes('$ref') ? { ref } : {});
    expect(answer.status).toBe(200);
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors).toEqual([
      { message: 'Validation failed', locations: expect.any(Array), path: [name], extensions: { code: 'BAD_USER_INPUT', issues: [issue] } },
    ]);
    expect(await databaseState(t.orm)).toEqual(before);
  });

  it('runs one mutation however it is written: beside __typename, in a fragment, or twice under one name', async () => {
    expect(await gql.data(`mutation($ref: ID!) { __typename ${SET_TIER} }`, { ref })).toEqual({ __typename: 'Mutation', setVariables: { variablesUpdated: 1 } });
    expect(await gql.data(`mutation($ref: ID!) { ...Link ... on Mutation { __typename } } fragment Link on Mutation { ${LINK_CRM} }`, { ref })).toEqual({
      linkIdentity: { ref },
      __typename: 'Mutation',
    });
    // The same response name with the same arguments is one field (graphql-js merges them): it runs once.
    expect(await gql.data(`mutation($ref: ID!) { ${SET_TIER} ${SET_TIER} }`, { ref })).toEqual({ setVariables: { variablesUpdated: 1 } });
  });

  it('refuses to link an empty identity, and the customer stays provisional', async () => {
    const provisional = await startCall(gql, 'input-rules-2', { dnis: '8005550100', externalIds: [{ key: 'five9_call_id', value: 'per-call' }] });
    const answer = await gql.request('mutation($ref: ID!) { linkIdentity(customerRef: $ref, identity: {}) { ref provisional } }', { ref: provisional });
    expect(answer.body.errors).toEqual([
      expect.objectContaining({
        path: ['linkIdentity'],
        extensions: { code: 'BAD_USER_INPUT', issues: [{ path: ['identity'], message: 'identity must give an ani or an externalId' }] },
      }),
    ]);
    const data = await gql.data('query($ref: ID!) { customer(ref: $ref) { provisional } }', { ref: provisional });
    expect(data.customer.provisional).toBe(true);
  });
});
