/**
 * GraphQL arguments the database cannot take as given are BAD_USER_INPUT at their path, in any argument of
 * any field, given inline or as variables, and refuse the whole operation before it writes (issue 9,
 * item 9): text with a NUL or an unpaired UTF-16 surrogate, and instants outside the years 1 to 9999.
 * Before, a NUL reached the database (PostgreSQL refuses it; SQLite cut the ORM's inlined SQL at it) and
 * year 0 reached PostgreSQL: INTERNAL_SERVER_ERROR.
 */
import { UNSTORABLE_DATE } from '../../src/shared/storable-date';
import { UNSTORABLE_TEXT } from '../../src/shared/text';
import { startCall } from '../support/call-operations';
import { graphqlClient, type GraphQLAnswer, type GraphQLClient } from '../support/graphql-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';
import { writeCounter } from '../support/write-counter';

const text = (field: string) => `${field} ${UNSTORABLE_TEXT}`;

type Issue = { path: (string | number)[]; message: string };

// Issues come in the order of the field's arguments in the schema; which comes first does not matter here.
const sorted = (issues: Issue[] | undefined) => issues && [...issues].sort((a, b) => JSON.stringify(a.path).localeCompare(JSON.stringify(b.path)));

function refusal(answer: GraphQLAnswer) {
  return answer.body.errors?.map((e) => ({ code: e.extensions?.code, issues: sorted(e.extensions?.issues) }));
}

describe.each(ENGINES)('GraphQL refuses arguments the database cannot store on %s', (engine) => {
  let t: TestApp;
  let gql: GraphQLClient;
  let ref: string;
  let writes: () => Promise<number>;

  beforeAll(async () => {
    t = await createTestApp(engine);
    gql = await graphqlClient(t);
    ref = await startCall(gql, 'seed', { ani: '4155551234', externalIds: [{ key: 'crm_id', value: 'crm-1' }] });
    writes = await writeCounter(t.orm, engine);
  });
  afterAll(() => t.close());

  /** Sends the operation; expects one BAD_USER_INPUT with these issues and no write. */
  async function expectRefused(query: string, variables: Record<string, unknown> | undefined, issues: Issue[]) {
    const before = await writes();
    const answer = await gql.request(query, variables);
    expect(answer.status).toBe(200);
    expect(refusal(answer)).toEqual([{ code: 'BAD_USER_INPUT', issues: sorted(issues) }]);
    expect(await writes()).toBe(before);
  }

  it.each([
    ['a NUL', '\u0000'],
    ['a lone surrogate', '\ud800'],
  ])('refuses %s in an input object given as a variable (startCall), writing nothing', async (_case, poison) => {
    await expectRefused(
      'mutation($input: StartCallInput!) { startCall(input: $input) { replayed } }',
      { input: { callId: 'g-1', hints: { ani: '4155551234', externalIds: [{ key: 'crm_id', value: `crm${poison}` }] } } },
      [{ path: ['hints', 'externalIds', 0, 'value'], message: text('value') }],
    );
  });

  it('refuses a NUL written inline in a query argument (customerByIdentity)', async () => {
    await expectRefused('{ customerByIdentity(identity: { externalId: { key: "crm_id", value: "crm-1\\u0000" } }) { ref } }', undefined, [
      { path: ['externalId', 'value'], message: text('value') },
    ]);
  });

  it('refuses every bad string of a list argument and a scalar argument at once (setVariables)', async () => {
    await expectRefused(
      'mutation($ref: ID!, $variables: [VariableInput!]!) { setVariables(customerRef: $ref, variables: $variables) { variablesUpdated } }',
      { ref: `${ref}\u0000`, variables: [{ name: 'ok', value: 'fine' }, { name: 'tier', value: 'gold\udc00', source: '\u0000' }] },
      [
        { path: ['customerRef'], message: text('customerRef') },
        { path: ['variables', 1, 'value'], message: text('value') },
        { path: ['variables', 1, 'source'], message: text('source') },
      ],
    );
  });

  it('refuses a lone surrogate in a scalar ID argument (customer)', async () => {
    await expectRefused('query($ref: ID!) { customer(ref: $ref) { ref } }', { ref: '\udbff' }, [{ path: ['ref'], message: text('ref') }]);
  });

  it('refuses a bad string nested under a mutation before the mutation writes', async () => {
    const before = await writes();
    const answer = await gql.request(
      'mutation { startCall(input: { callId: "g-nested", hints: { ani: "4155551234" } }) { customer { calls(after: "\\u0000") { totalCount } } } }',
    );
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.body.errors?.[0].extensions?.issues).toContainEqual({ path: ['after'], message: text('after') });
    expect(await writes()).toBe(before);
  });

  it.each([
    ['calls', 'startedAfter', '0000-01-01T00:00:00Z'],
    ['calls', 'startedBefore', '0000-12-31T23:59:59Z'],
    ['customers', 'lastCallAfter', '0000-06-01T00:00:00Z'],
  ])('refuses an instant outside the years 1-9999 in %s(filter: {%s})', async (list, field, instant) => {
    await expectRefused(`{ ${list}(filter: { ${field}: "${instant}" }) { totalCount } }`, undefined, [{ path: [field], message: `${field} ${UNSTORABLE_DATE}` }]);
  });

  it('accepts the first and last storable instants and emoji', async () => {
    const answer = await gql.request(
      'query($after: DateTimeISO, $before: DateTimeISO, $name: String) { calls(filter: { startedAfter: $after, startedBefore: $before, intent: $name }) { totalCount } }',
      { after: '0001-01-01T00:00:00Z', before: '9999-12-31T23:59:59.999Z', name: 'refund 😀' },
    );
    expect(answer.body).toEqual({ data: { calls: { totalCount: 0 } } });
  });
});
