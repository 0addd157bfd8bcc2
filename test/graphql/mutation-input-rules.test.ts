/**
 * An operation of several mutations is refused before any of them writes when one breaks an input rule
 * its service checks before reading the database (a call id's length, an intent label, too many or too
 * long variables, an unusable number, hints that name no one). The whole-operation check (issue 9, item 4)
 * knew only the class-validator rules; these came up when their own mutation ran, after the ones before
 * it had committed, and the answer was `data: null` with BAD_USER_INPUT: a committed write reported as
 * failed. An empty identity is refused too: linking it "linked" nothing yet made the customer permanent.
 */
import { startCall } from '../support/call-operations';
import { databaseState } from '../support/database-state';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

/** The second root field of each case, and the issue its refusal lists. */
const CASES: [name: string, field: string, issue: { path: (string | number)[]; message: string }][] = [
  ['a value over 4,096 characters', `setVariables(customerRef: $ref, variables: [{ name: "long", value: "${'x'.repeat(4097)}" }]) { variablesUpdated }`, { path: ['variables', 'long'], message: 'value is longer than 4096 characters' }],
  ['101 variables', `setVariables(customerRef: $ref, variables: [${Array.from({ length: 101 }, (_, i) => `{ name: "v${i}", value: "1" }`).join(', ')}]) { variablesUpdated }`, { path: ['variables'], message: 'at most 100 variables per request (got 101)' }],
  ['a call id of 257 characters', `startCall(input: { callId: "${'c'.repeat(257)}", hints: { ani: "4155550100" } }) { replayed }`, { path: ['call_id'], message: 'call_id must be 1-256 characters' }],
  ['a blank call id', 'endCall(input: { callId: "   ", hints: { ani: "4155550101" } }) { replayed }', { path: ['call_id'], message: 'call_id must be 1-256 characters' }],
  ['hints that name no one', 'startCall(input: { callId: "no-hints", hints: { dnis: "8005550100" } }) { replayed }', { path: ['identity_hints'], message: 'identity_hints must include ani, external_ids, or customer_ref' }],
  ['an intent label without a letter or digit', 'endCall(input: { callId: "label", hints: { ani: "4155550101" }, intent: "!!!" }) { replayed }', { path: ['intent'], message: 'intent must contain at least one letter or digit' }],
  ['an unusable number to link', 'linkIdentity(customerRef: $ref, identity: { ani: "not a number" }) { ref }', { path: ['identity', 'ani'], message: 'ani is not a usable phone number' }],
  ['an empty identity to unlink', 'unlinkIdentity(customerRef: $ref, identity: {}) { ref }', { path: ['identity'], message: 'identity must give an ani or an externalId' }],
];

describe.each(ENGINES)('an operation of several mutations with a bad input in a later one writes nothing, on %s', (engine) => {
  let t: TestApp;
  let gql: GraphQLClient;
  let ref: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    gql = await graphqlClient(t);
    ref = await startCall(gql, 'input-rules-1', { ani: '4155550101' });
  });
  afterAll(() => t.close());

  it.each(CASES)('refuses %s before the first mutation writes', async (_name, field, issue) => {
    const query = `mutation($ref: ID!) {
      first: setVariables(customerRef: $ref, variables: [{ name: "tier", value: "gold" }]) { variablesUpdated }
      second: ${field}
    }`;
    const before = await databaseState(t.orm);
    const answer = await gql.request(query, { ref });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors).toEqual([
      { message: 'Validation failed', locations: expect.any(Array), path: ['second'], extensions: { code: 'BAD_USER_INPUT', issues: [issue] } },
    ]);
    expect(await databaseState(t.orm)).toEqual(before);
  });

  it('runs every mutation of an operation whose inputs all pass', async () => {
    const data = await gql.data(
      `mutation($ref: ID!) {
        first: setVariables(customerRef: $ref, variables: [{ name: "plan", value: "pro" }]) { variablesUpdated }
        second: linkIdentity(customerRef: $ref, identity: { externalId: { key: "crm_id", value: "input-rules" } }) { ref }
      }`,
      { ref },
    );
    expect(data).toEqual({ first: { variablesUpdated: 1 }, second: { ref } });
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
