/**
 * A mutation whose fragments each spread the next one twice is checked in one pass over its fragments,
 * not one pass per spread. The whole-operation argument check (issue 9, item 4) walked every spread: 20
 * levels (913 bytes) held the event loop for 2 s, and each level doubles it, so one small request could
 * stall the service for hours. The fragments select only `__typename`, which the cost limit does not
 * charge, so nothing refused the document before it ran. Root fragments that double are counted once
 * each too, by the rule that a mutation operation runs one mutation. Run against the real service in a
 * child process, so that the old behaviour stalls it, not the test.
 */
import { oneMutationOnly } from '../../src/graphql/one-mutation';
import { generateApiKey } from '../../src/tenancy/api-key-format';
import { Environment } from '../../src/tenancy/environment';
import { serviceDatabase, type ServiceDatabase } from '../support/service-database';
import { killServices, startService, type ServiceProcess } from '../support/service-process';

const KEY = generateApiKey(Environment.TEST);
const LEVELS = 40;
const UNKNOWN_REF = '00000000-0000-4000-8000-000000000000';

/** `fragment F0 on Customer { ...F1 ...F1 }` … `fragment F40 on Customer { __typename }`: 2^40 spreads of F40. */
function doublingFragments(): string {
  const fragments = Array.from({ length: LEVELS }, (_, i) => `fragment F${i} on Customer { ...F${i + 1} ...F${i + 1} }`);
  return [...fragments, `fragment F${LEVELS} on Customer { __typename }`].join('\n');
}

/** `fragment R0 on Mutation { ...R1 ...R1 }` … down to a second root mutation: 2^40 spreads of it at the root. */
function doublingRootFragments(): string {
  const fragments = Array.from({ length: LEVELS }, (_, i) => `fragment R${i} on Mutation { ...R${i + 1} ...R${i + 1} }`);
  return [...fragments, `fragment R${LEVELS} on Mutation { b: deleteVariable(customerRef: "${UNKNOWN_REF}", name: "x") { deleted } }`].join('\n');
}

/** Without arguments below the root (the check only decides whether to run) and with one (the check walks the selections). */
const DOCUMENTS = [
  ['no argument below the root', `mutation { setVariables(customerRef: "${UNKNOWN_REF}", variables: []) { customer { ...F0 } } }`],
  [
    'an argument below the root',
    `mutation {
      setVariables(customerRef: "${UNKNOWN_REF}", variables: [{ name: "x", value: "1" }]) { customer { calls(first: 1) { totalCount } ...F0 } }
    }`,
  ],
];

describe('a mutation whose fragments fan out exponentially', () => {
  let database: ServiceDatabase;
  let service: ServiceProcess;
  beforeAll(async () => {
    database = await serviceDatabase('sqlite');
    service = await startService({ ...database.env, BOOTSTRAP_API_KEY: KEY });
  }, 60_000);
  afterAll(async () => {
    killServices();
    await database.drop();
  });

  /** A GraphQL answer as these tests read it (each expects errors). */
  type Answer = { data?: unknown; errors: unknown[] };

  async function post(query: string): Promise<{ status: number; body: Answer }> {
    const res = await fetch(`http://127.0.0.1:${service.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ query }),
      // A bound for liveness only: the old walk would not have answered for hours.
      signal: AbortSignal.timeout(20_000),
    });
    return { status: res.status, body: (await res.json()) as Answer };
  }

  it.each(DOCUMENTS)('runs a mutation at once with %s, and the service stays ready', async (_name, operation) => {
    const query = `${operation}\n${doublingFragments()}`;
    expect(query.length).toBeLessThan(3000);
    const [answer, ready] = await Promise.all([post(query), fetch(`http://127.0.0.1:${service.port}/readyz`, { signal: AbortSignal.timeout(20_000) })]);
    expect(ready.status).toBe(200);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors[0]).toMatchObject({ message: `No customer with ref ${UNKNOWN_REF}`, extensions: { code: 'NOT_FOUND' } });
  }, 45_000);

  it('refuses at once a second root mutation spread 2^40 times through root fragments, and the service stays ready', async () => {
    const query = `mutation { a: setVariables(customerRef: "${UNKNOWN_REF}", variables: []) { variablesUpdated } ...R0 }\n${doublingRootFragments()}`;
    expect(query.length).toBeLessThan(3000);
    const [answer, ready] = await Promise.all([post(query), fetch(`http://127.0.0.1:${service.port}/readyz`, { signal: AbortSignal.timeout(20_000) })]);
    expect(ready.status).toBe(200);
    expect(answer.status).toBe(400);
    // The cost limit refuses it too (2^40 copies of the field): what matters is that both answered at once.
    expect(answer.body.errors).toContainEqual(expect.objectContaining({ message: oneMutationOnly(2), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
  }, 45_000);
});
